import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { call, startTestStack, type LocalStack } from '../support/stack.ts';
import { eventually, testClients, testResources } from '../support/index.ts';

/**
 * The order-intake spine over HTTP against the local runtime, as `npm start` runs it: gateway, pollers delivering
 * to the real order processor, DynamoDB Local and the SQS server.
 */
let stack: LocalStack;

beforeAll(async () => {
  // A short visibility timeout so a failing message reaches the dead-letter queue within seconds.
  stack = await startTestStack({ visibilityTimeoutSeconds: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

const inventory = ['inventory'];
const frontOffice = ['front-office'];

async function putItem(sku: string, onHand: number, extra: Record<string, unknown> = {}) {
  const response = await call(stack, 'PUT', `/v1/inventory/items/${sku}`, {
    roles: inventory,
    body: {
      name: `Item ${sku}`,
      unitPriceCents: 1250,
      unitCostCents: 400,
      reorderPoint: 2,
      reorderQuantity: 10,
      onHand,
      ...extra,
    },
  });
  expect(response.status).toBe(201);
}

function orderBody(lines: { sku: string; quantity: number }[]) {
  return { customer: { name: 'Ada Lovelace', email: 'Ada@Example.com' }, lines };
}

async function finalOrder(location: string) {
  return eventually(async () => {
    const order = await call(stack, 'GET', location, { roles: frontOffice });
    expect(order.status).toBe(200);
    expect(order.body.status).not.toBe('RECEIVED');
    return order.body;
  }, 15_000);
}

describe('an order over HTTP', () => {
  it('is accepted, confirmed by the processor, invoiced, and takes the stock', async () => {
    await putItem('E2E-A', 5);
    await putItem('E2E-B', 5);

    const submitted = await call(stack, 'POST', '/v1/orders', {
      roles: frontOffice,
      headers: { 'idempotency-key': 'e2e-order-1', 'x-correlation-id': 'e2e-correlation-1' },
      body: orderBody([
        { sku: 'E2E-A', quantity: 2 },
        { sku: 'E2E-B', quantity: 4 },
      ]),
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ orderId: expect.any(String), status: 'RECEIVED' });
    const location = submitted.headers.get('location')!;
    expect(location).toBe(`/v1/orders/${submitted.body.orderId}`);

    const order = await finalOrder(location);
    expect(order).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 6 * 1250,
      currency: 'USD',
      customer: { email: 'ada@example.com' },
      lines: [
        { sku: 'E2E-A', quantity: 2, unitPriceCents: 1250 },
        { sku: 'E2E-B', quantity: 4, unitPriceCents: 1250 },
      ],
    });

    const invoice = await call(stack, 'GET', `/v1/invoices/${order.invoiceId}`, { roles: ['accounting'] });
    expect(invoice.body).toMatchObject({ orderId: order.orderId, status: 'OPEN', totalCents: 7500, paidCents: 0 });

    const item = await call(stack, 'GET', '/v1/inventory/items/E2E-B', { roles: inventory });
    expect(item.body).toMatchObject({ onHand: 1, stockValueCents: 400 });

    // E2E-B fell to its reorder point: exactly one purchase order is open for it. The processor opens it after the
    // confirming transaction has committed, so the order can read CONFIRMED a moment before the purchase order exists.
    const openFor = async (sku: string) =>
      (
        (await call(stack, 'GET', '/v1/purchase-orders?status=OPEN', { roles: inventory })).body.items as {
          sku: string;
        }[]
      ).filter((po) => po.sku === sku);
    await eventually(async () => (await openFor('E2E-B')).length > 0, 15_000);
    expect(await openFor('E2E-B')).toHaveLength(1);

    // The same key and body replays the first answer; nothing new is created.
    const replay = await call(stack, 'POST', '/v1/orders', {
      roles: frontOffice,
      headers: { 'idempotency-key': 'e2e-order-1' },
      body: orderBody([
        { sku: 'E2E-A', quantity: 2 },
        { sku: 'E2E-B', quantity: 4 },
      ]),
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(submitted.body);

    const summary = await call(stack, 'GET', '/v1/ops/summary', { roles: ['ops'] });
    expect(summary.status).toBe(200);
    expect(summary.body.ordersByStatus.CONFIRMED).toBeGreaterThanOrEqual(1);
  });

  it('answers bad input with a problem listing every field, and queues nothing', async () => {
    const response = await call(stack, 'POST', '/v1/orders', {
      roles: frontOffice,
      body: { customer: { name: '', email: 'not-an-email' }, lines: [{ sku: 'lower', quantity: 0 }] },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const paths = response.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['customer.name', 'customer.email', 'lines.0.sku', 'lines.0.quantity']),
    );

    const queues = await call(stack, 'GET', '/v1/ops/queues', { roles: ['ops'] });
    const orders = queues.body.queues.find((queue: { name: string }) => queue.name === 'orders');
    expect(orders).toMatchObject({ waiting: 0, deadLetters: 0 });
  });

  it(
    'answers signed-in staff asking for a route that does not exist, or a method a route does not take, ' +
      'with 404 problem details; anyone else with 401',
    async () => {
      const unknown = await call(stack, 'GET', '/v1/order', { roles: frontOffice });
      const wrongMethod = await call(stack, 'DELETE', '/v1/orders', { roles: frontOffice });
      const anonymous = await call(stack, 'GET', '/v1/order');

      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      expect(unknown.body).toEqual({
        type: 'urn:back-office:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'No route for GET /v1/order.',
      });
      expect(wrongMethod.status).toBe(404);
      expect(wrongMethod.body.detail).toBe('No route for DELETE /v1/orders.');
      expect(anonymous.status).toBe(401);
    },
  );

  it(
    'lands an order whose processing keeps failing in the dead-letter queue, ' +
      'and redrive brings it to a final state',
    async () => {
      const { doc } = testClients();
      const { tableName } = testResources();
      await putItem('E2E-BROKEN', 3);
      // A damaged item record (say, written by a faulty migration) makes every processing attempt throw.
      const { Item: healthy } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.item.key({ sku: 'E2E-BROKEN' }) }),
      );
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...healthy, onHand: 'three' } }));

      const submitted = await call(stack, 'POST', '/v1/orders', {
        roles: frontOffice,
        body: orderBody([{ sku: 'E2E-BROKEN', quantity: 1 }]),
      });
      expect(submitted.status).toBe(202);

      await eventually(async () => {
        const queues = await call(stack, 'GET', '/v1/ops/queues', { roles: ['ops'] });
        expect(queues.body.queues.find((queue: { name: string }) => queue.name === 'orders').deadLetters).toBe(1);
        return true;
      }, 30_000);
      const stuck = await call(stack, 'GET', `/v1/orders/${submitted.body.orderId}`, { roles: frontOffice });
      expect(stuck.body.status).toBe('RECEIVED');

      // The cause is fixed; ops redrive the dead letters and the order reaches its final state once.
      await doc.send(new PutCommand({ TableName: tableName, Item: healthy }));
      const redrive = await call(stack, 'POST', '/v1/ops/queues/orders/redrive', { roles: ['ops'] });
      expect(redrive.body).toEqual({ moved: 1 });

      const order = await finalOrder(`/v1/orders/${submitted.body.orderId}`);
      expect(order.status).toBe('CONFIRMED');
      const item = await call(stack, 'GET', '/v1/inventory/items/E2E-BROKEN', { roles: inventory });
      expect(item.body.onHand).toBe(2);
    },
  );
});
