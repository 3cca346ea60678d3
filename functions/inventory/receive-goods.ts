import { httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { receiptInputSchema } from '#shared/domain/inventory.ts';
import { itemView } from '#shared/http/inventory.ts';
import type { Item } from '#shared/data/items.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { queueTarget, sendAfterCommit } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const ordersQueue = queueTarget('orders');
const inventory = makeInventoryService({ doc, tableName: config.TABLE_NAME });

const answer = (item: Item): HttpResult => ({ status: 201, body: itemView(item, config.CURRENCY) });

/**
 * `POST /v1/inventory/receipts` (inventory): stock up, journal Dr 1200 / Cr 2000, the referenced purchase order
 * `RECEIVED`; then backordered orders are retried through the orders queue. A lost retry message is healed by the
 * submission sweeper, which queues a backorder retry whenever any order is backordered.
 */
export const handler = httpRoute(
  { route: 'POST /v1/inventory/receipts', body: receiptInputSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const { item } = await inventory.receiveGoods(body, caller.sub, rememberAnswer(idempotency, answer));
    await sendAfterCommit(
      sqs,
      ordersQueue,
      { type: 'backorders.retry', id: body.sku, correlationId },
      {
        log: 'goods received but the backorder retry was not queued; the sweeper will queue one',
        fields: { sku: body.sku },
      },
    );
    return answer(item);
  },
);
