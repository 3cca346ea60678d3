import { httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { adjustmentInputSchema } from '#shared/domain/inventory.ts';
import { itemView } from '#shared/http/inventory.ts';
import type { Item } from '#shared/data/items.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const inventory = makeInventoryService({ doc, tableName: config.TABLE_NAME });

const answer = (item: Item): HttpResult => ({ status: 201, body: itemView(item, config.CURRENCY) });

/**
 * `POST /v1/inventory/adjustments` (inventory): a stock-count correction journaled against 5100; one that would take
 * stock below zero is a 409 and changes nothing. Answers 201 with the item as it now stands.
 */
export const handler = httpRoute(
  { route: 'POST /v1/inventory/adjustments', body: adjustmentInputSchema, idempotent: true },
  async ({ body, caller, idempotency }) => {
    const { item } = await inventory.adjustStock(body, caller.sub, rememberAnswer(idempotency, answer));
    return answer(item);
  },
);
