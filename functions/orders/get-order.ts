import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { orderPathSchema, orderView } from '#shared/http/orders.ts';
import { makeOrderStore } from '#shared/data/orders.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const orders = makeOrderStore({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/orders/{orderId}`: the order with its status, priced lines once confirmed, and invoice id. */
export const handler = httpRoute({ route: 'GET /v1/orders/{orderId}', params: orderPathSchema }, async ({ params }) => {
  const order = await orders.getOrder(params.orderId);
  if (!order) throw new NotFoundError(`Order ${params.orderId} was not found.`);
  return { status: 200, body: orderView(order) };
});
