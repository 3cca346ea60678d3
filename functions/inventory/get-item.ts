import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { itemPathSchema, itemView } from '#shared/http/inventory.ts';
import { makeItemStore } from '#shared/data/items.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const items = makeItemStore({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/inventory/items/{sku}`: an item with its stock, valuation and reorder settings. */
export const handler = httpRoute(
  { route: 'GET /v1/inventory/items/{sku}', params: itemPathSchema },
  async ({ params }) => {
    const item = await items.getItem(params.sku);
    if (!item) throw new NotFoundError(`Item ${params.sku} was not found.`);
    return { status: 200, body: itemView(item, config.CURRENCY) };
  },
);
