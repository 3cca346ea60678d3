import { httpRoute } from '#shared/http/route.ts';
import { itemPathSchema, itemView } from '#shared/http/inventory.ts';
import { itemInputSchema } from '#shared/domain/inventory.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const inventory = makeInventoryService({ doc, tableName: config.TABLE_NAME });

/**
 * `PUT /v1/inventory/items/{sku}` (inventory): creates the item (201, opening stock journaled) or updates its
 * catalogue settings (200). A different `onHand` or `unitCostCents` on update is a 409.
 */
export const handler = httpRoute(
  { route: 'PUT /v1/inventory/items/{sku}', params: itemPathSchema, body: itemInputSchema },
  async ({ params, body, caller }) => {
    const { created, item } = await inventory.putItem(params.sku, body, caller.sub);
    return { status: created ? 201 : 200, body: itemView(item, config.CURRENCY) };
  },
);
