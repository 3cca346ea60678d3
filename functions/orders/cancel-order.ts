import { httpRoute } from '#shared/http/route.ts';
import { orderPathSchema, orderView } from '#shared/http/orders.ts';
import { makeCancellationService } from '#shared/services/cancellations.ts';
import { queueTarget, sendAfterCommit } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const ordersQueue = queueTarget('orders');
const cancellations = makeCancellationService({ doc, tableName: config.TABLE_NAME });

/**
 * `POST /v1/orders/{orderId}/cancel` (front-office, support), no body: cancels an order not yet decided, or a
 * confirmed one with no payment applied (stock back, invoice `VOID`, reversing entry) → 200 with the order; paid,
 * cancelled or rejected → 409. Stock released by a cancellation may fill backorders: a retry is queued (the
 * sweeper queues one within 5 minutes if this send fails).
 */
export const handler = httpRoute(
  { route: 'POST /v1/orders/{orderId}/cancel', params: orderPathSchema },
  async ({ params, caller, correlationId }) => {
    const { order, releasedStock } = await cancellations.cancelOrder(params.orderId, caller.sub);
    if (releasedStock) {
      await sendAfterCommit(
        sqs,
        ordersQueue,
        { type: 'backorders.retry', id: order.orderId, correlationId },
        {
          log: 'order cancelled but the backorder retry was not queued; the sweeper will queue one',
          level: 'warn',
        },
      );
    }
    return { status: 200, body: orderView(order) };
  },
);
