import { accepted, httpRoute } from '#shared/http/route.ts';
import { storedResponse } from '#shared/http/stored-response.ts';
import { orderSubmissionSchema } from '#shared/domain/orders.ts';
import { makeOrderService, type SubmittedOrder } from '#shared/services/orders.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { loadConfig, queueUrl } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';

const config = loadConfig();
const ordersQueueUrl = queueUrl('orders');
const orders = makeOrderService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

const answer = (order: SubmittedOrder) => accepted(`/v1/orders/${order.orderId}`, { orderId: order.orderId, status: order.status });

/**
 * `POST /v1/orders` (front-office): writes the order `RECEIVED`, then queues it for the order processor. If the send
 * fails after the write, the order was still accepted: the answer stays 202 and the submission sweeper re-queues it.
 */
export const handler = httpRoute(
  { route: 'POST /v1/orders', body: orderSubmissionSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const order = await orders.submitOrder(body, {
      actor: caller.sub,
      correlationId,
      ...(idempotency ? { remember: (result: SubmittedOrder) => idempotency.record(storedResponse(answer(result))) } : {}),
    });
    countWork(WorkMetric.received, 'order');
    try {
      await sendEnvelope(sqs, ordersQueueUrl, { type: 'order.submitted', id: order.orderId, correlationId });
    } catch (error) {
      logger.error('order accepted but not queued; the submission sweeper will re-queue it', {
        orderId: order.orderId,
        error: error as Error,
      });
    }
    return answer(order);
  },
);
