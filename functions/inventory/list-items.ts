import { httpRoute } from '#shared/http/route.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { itemView, listItemsQuerySchema } from '#shared/http/inventory.ts';
import { makeItemStore } from '#shared/data/items.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const items = makeItemStore({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/inventory/items`: the catalogue by SKU, or with `?belowReorderPoint=true` only the items at or below
 * their reorder point (the sparse low-stock index, so the cost follows the low items).
 */
export const handler = httpRoute(
  { route: 'GET /v1/inventory/items', query: pageQuerySchema.extend(listItemsQuerySchema.shape) },
  async ({ query }) => {
    const page = { limit: query.limit, cursor: query.cursor };
    const found =
      query.belowReorderPoint === 'true' ? await items.lowStock.page({}, page) : await items.catalogue.page({}, page);
    return {
      status: 200,
      body: { items: found.items.map((item) => itemView(item, config.CURRENCY)), nextCursor: found.nextCursor },
    };
  },
);
