import { httpRoute } from '#shared/http/route.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { listPurchaseOrdersQuerySchema, purchaseOrderView } from '#shared/http/inventory.ts';
import { makePurchaseOrderStore } from '#shared/data/purchase-orders.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const purchaseOrders = makePurchaseOrderStore({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/purchase-orders?status=OPEN|RECEIVED` (OPEN by default): purchase orders, oldest first. */
export const handler = httpRoute(
  { route: 'GET /v1/purchase-orders', query: pageQuerySchema.extend(listPurchaseOrdersQuerySchema.shape) },
  async ({ query }) => {
    const found = await purchaseOrders.byStatus.page(
      { status: query.status },
      { limit: query.limit, cursor: query.cursor },
    );
    return { status: 200, body: { items: found.items.map(purchaseOrderView), nextCursor: found.nextCursor } };
  },
);
