import { describe, expect, it } from 'vitest';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { invokeProcessor, testClients, testResources } from '../support/index.ts';
import {
  accountBalance,
  call,
  catalogueValue,
  itemBody,
  orderBody,
  purchaseOrdersFor,
  readItem,
  readOrder,
  uniqueSku,
} from './orders-inventory-fixtures.ts';

async function createItem(overrides: Record<string, unknown>): Promise<string> {
  const sku = uniqueSku('HOT');
  const answer = await call(putItem, {
    method: 'PUT',
    path: `/v1/inventory/items/${sku}`,
    roles: ['inventory'],
    body: itemBody(overrides),
  });
  expect(answer.status).toBe(201);
  return sku;
}

/** Writes `count` RECEIVED orders of one unit each (intake itself is covered elsewhere). */
async function receivedOrders(sku: string, count: number): Promise<string[]> {
  const orders = makeOrderService({ doc: testClients().doc, tableName: testResources().tableName, currency: 'USD' });
  const submitted = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      orders.submitOrder(orderBody([{ sku, quantity: 1 }], `buyer-${i}@example.com`), {
        actor: 'test',
        correlationId: `c-${i}`,
      }),
    ),
  );
  return submitted.map((order) => order.orderId);
}

/** Each order's message handled by its own processor invocation, all at once, like Lambda scaling out. */
function processAllAtOnce(orderIds: string[]) {
  return Promise.all(
    orderIds.map((orderId) =>
      invokeProcessor(processOrder, [
        { type: 'order.submitted', id: orderId, correlationId: `c-${orderId}`, sentAt: new Date().toISOString() },
      ]),
    ),
  );
}

describe('stock under concurrent orders', () => {
  it(
    'confirms exactly the 10 units on hand among 100 simultaneous one-unit orders ' + 'and backorders the rest',
    async () => {
      const sku = await createItem({ onHand: 10, unitCostCents: 333, reorderPoint: 0 });
      const orderIds = await receivedOrders(sku, 100);

      const results = await processAllAtOnce(orderIds);
      const statuses = await Promise.all(orderIds.map(async (orderId) => (await readOrder(orderId))?.status));

      expect(results.flatMap((result) => result.failedIds)).toEqual([]);
      expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(10);
      expect(statuses.filter((status) => status === 'BACKORDERED')).toHaveLength(90);
      expect(await readItem(sku)).toMatchObject({ onHand: 0, stockValueCents: 0, version: 11 });
      expect(await accountBalance('1200')).toBe(await catalogueValue());
    },
    60_000,
  );

  it('opens exactly one purchase order when many orders take an item below its reorder point at once', async () => {
    const sku = await createItem({ onHand: 20, reorderPoint: 15, reorderQuantity: 40 });
    const orderIds = await receivedOrders(sku, 12);

    await processAllAtOnce(orderIds);

    const open = await purchaseOrdersFor(sku);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ sku, quantity: 40, status: 'OPEN' });
    expect(await readItem(sku)).toMatchObject({ onHand: 8, openPurchaseOrderId: open[0]!.purchaseOrderId });
  }, 30_000);
});
