import { sqsProcessor } from '#shared/queue/processor.ts';
import { systemActor } from '#shared/data/audit.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const orders = makeOrderService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });
const actor = systemActor('order-processor');

/** Processor of the `orders` queue: confirms, backorders or rejects orders; redelivery changes nothing. */
export const handler = sqsProcessor('orders', {
  /** A new (or re-queued) submission: decide it against current stock. */
  'order.submitted': async (message) => {
    const outcome = await orders.processOrder(message.id, actor);
    if (outcome.status === undefined)
      logger.error('queued order does not exist; message dropped', { orderId: message.id });
    else logger.info('order processed', { ...outcome });
  },
  /** Goods arrived (`id` is the SKU, or the sweeper): retry every backordered order, oldest first. */
  'backorders.retry': async () => {
    const outcomes = await orders.retryBackorders(actor);
    logger.info('backorders retried', {
      attempted: outcomes.length,
      confirmed: outcomes.filter((outcome) => outcome.status === 'CONFIRMED').length,
    });
  },
});
