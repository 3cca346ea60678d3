import { accepted, httpRoute } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { orderSubmissionSchema } from '#shared/domain/orders.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { queueTarget } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const ordersQueue = queueTarget('orders');
const orders = makeOrderService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

/**
 * `POST /v1/orders` (front-office): writes the order `RECEIVED`, then queues it for the order processor. If the send
 * fails after the write, the order was still accepted: the answer stays 202 and the submission sweeper re-queues it.
 */
export const handler = httpRoute(
  { route: 'POST /v1/orders', body: orderSubmissionSchema, idempotent: true },
  ({ body, caller, correlationId, idempotency }) =>
    acceptAndQueue(
      { correlationId, idempotency },
      {
        sqs,
        queue: ordersQueue,
        kind: 'order',
        accept: (remember) => orders.submitOrder(body, { actor: caller.sub, correlationId, remember }),
        answer: (order) => accepted(`/v1/orders/${order.orderId}`, { orderId: order.orderId, status: order.status }),
        message: (order) => ({ type: 'order.submitted', id: order.orderId }),
        notQueued: (order) => ({
          log: 'order accepted but not queued; the submission sweeper will re-queue it',
          fields: { orderId: order.orderId },
        }),
      },
    ),
);
