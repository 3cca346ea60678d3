import { beforeEach, describe, expect, it } from 'vitest';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as getOrder } from '../../functions/orders/get-order.ts';
import { handler as getInvoice } from '../../functions/accounting/get-invoice.ts';
import { drainQueue } from '../support/index.ts';
import { captureJsonLines } from '../support/output.ts';
import { httpRoute } from '#shared/http/route.ts';
import { call, customerKnown, orderBody, ordersOfToday, readOrder } from './orders-inventory-fixtures.ts';

const FRONT_OFFICE = ['front-office'];

function post(body: unknown, options: { headers?: Record<string, string>; roles?: string[]; sub?: string } = {}) {
  return call(submitOrder, {
    method: 'POST',
    path: '/v1/orders',
    roles: options.roles ?? FRONT_OFFICE,
    body,
    ...options,
  });
}

let emails = 0;
const freshEmail = () => `customer-${Date.now()}-${++emails}@example.com`;

beforeEach(async () => {
  await drainQueue('orders');
});

describe('order intake', () => {
  it(
    'accepts an order with 202, a Location and the RECEIVED status, ' + 'and queues it with the correlation id',
    async () => {
      const answer = await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail()), {
        headers: { 'x-correlation-id': 'corr-intake-1' },
      });
      const queued = await drainQueue<{ type: string; id: string; correlationId: string }>('orders');

      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ orderId: expect.stringMatching(/^ord_/), status: 'RECEIVED' });
      expect(answer.headers.location).toBe(`/v1/orders/${answer.body.orderId}`);
      expect(queued).toEqual([
        expect.objectContaining({ type: 'order.submitted', id: answer.body.orderId, correlationId: 'corr-intake-1' }),
      ]);
      expect(await readOrder(answer.body.orderId)).toMatchObject({
        status: 'RECEIVED',
        correlationId: 'corr-intake-1',
      });
    },
  );

  it('gives one customer id to every order of an email, whatever its case', async () => {
    const email = freshEmail();
    const first = await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], email));
    const second = await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], email.toUpperCase()));

    const [a, b] = await Promise.all([readOrder(first.body.orderId), readOrder(second.body.orderId)]);

    expect(a?.customerId).toMatch(/^cus_/);
    expect(b?.customerId).toBe(a?.customerId);
    expect(b?.customer.email).toBe(email);
  });

  it('gives one customer id to simultaneous first orders of a new email', async () => {
    const email = freshEmail();

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(orderBody([{ sku: 'ANY-1', quantity: 1 }], email))),
    );
    const orders = await Promise.all(answers.map((answer) => readOrder(answer.body.orderId)));

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(orders.map((order) => order?.customerId)).size).toBe(1);
  });

  it('does not store unknown fields', async () => {
    const answer = await post({
      ...orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail()),
      discount: 99,
      lines: [{ sku: 'ANY-1', quantity: 1, free: true }],
    });

    const stored = await readOrder(answer.body.orderId);

    expect(stored).not.toHaveProperty('discount');
    expect(stored?.lines).toEqual([{ sku: 'ANY-1', quantity: 1 }]);
  });
});

describe('bad input is refused and changes nothing', () => {
  async function expectNothingWritten(email: string, ordersBefore: number) {
    expect(await customerKnown(email)).toBe(false);
    expect((await ordersOfToday()).length).toBe(ordersBefore);
    expect(await drainQueue('orders')).toEqual([]);
  }

  it('lists every bad field in a 400', async () => {
    const email = freshEmail();
    const before = (await ordersOfToday()).length;

    const answer = await post({
      customer: { name: '', email, phone: 'p'.repeat(40) },
      lines: [
        { sku: 'A', quantity: 0 },
        { sku: 'A', quantity: 2 },
        { sku: 'bad sku', quantity: 1 },
      ],
    });

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'customer.name',
      'customer.phone',
      'lines.0.quantity',
      'lines.1.sku',
      'lines.2.sku',
    ]);
    await expectNothingWritten(email, before);
  });

  it('refuses malformed JSON with 400, a wrong content type with 415 and an oversized body with 413', async () => {
    const email = freshEmail();
    const before = (await ordersOfToday()).length;
    const valid = JSON.stringify(orderBody([{ sku: 'ANY-1', quantity: 1 }], email));

    const malformed = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      roles: FRONT_OFFICE,
      body: '{"customer":',
      headers: { 'content-type': 'application/json' },
    });
    const wrongType = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      roles: FRONT_OFFICE,
      body: valid,
      headers: { 'content-type': 'text/plain' },
    });
    const oversized = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      roles: FRONT_OFFICE,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...orderBody([{ sku: 'ANY-1', quantity: 1 }], email), notes: 'n'.repeat(70 * 1024) }),
    });

    expect([malformed.status, wrongType.status, oversized.status]).toEqual([400, 415, 413]);
    await expectNothingWritten(email, before);
  });

  it('refuses a caller without the front-office role with 403 and one without a token with 401', async () => {
    const email = freshEmail();
    const before = (await ordersOfToday()).length;

    const forbidden = await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], email), { roles: ['inventory'] });
    const anonymous = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      body: orderBody([{ sku: 'ANY-1', quantity: 1 }], email),
    });

    expect(forbidden.status).toBe(403);
    expect(anonymous.status).toBe(401);
    await expectNothingWritten(email, before);
  });
});

describe('Idempotency-Key on order submission', () => {
  it('answers a repeat with the same key and body with the first response and creates one order', async () => {
    const body = orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail());
    const headers = { 'idempotency-key': `key-${freshEmail()}` };
    const before = (await ordersOfToday()).length;

    const first = await post(body, { headers });
    const second = await post(body, { headers });

    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await ordersOfToday()).length).toBe(before + 1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const headers = { 'idempotency-key': `key-${freshEmail()}` };
    await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail()), { headers });
    const before = (await ordersOfToday()).length;

    const other = await post(orderBody([{ sku: 'ANY-1', quantity: 2 }], freshEmail()), { headers });

    expect(other.status).toBe(422);
    expect((await ordersOfToday()).length).toBe(before);
  });

  it('creates one order from ten parallel requests with one key, and every accepted answer names it', async () => {
    const body = orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail());
    const headers = { 'idempotency-key': `key-${freshEmail()}` };
    const before = (await ordersOfToday()).length;
    await drainQueue('orders');

    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, { headers })));

    const created = answers.filter((answer) => answer.status === 202);
    const orderIds = new Set(created.map((answer) => answer.body.orderId));
    expect(answers.every((answer) => answer.status === 202 || answer.status === 409)).toBe(true);
    expect(created.length).toBeGreaterThan(0);
    expect(orderIds.size).toBe(1);
    expect((await ordersOfToday()).length).toBe(before + 1);
    expect(await drainQueue('orders')).toHaveLength(1);
  });

  it('keeps keys apart per caller', async () => {
    const body = orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail());
    const headers = { 'idempotency-key': 'shared-key' };

    const mine = await post(body, { headers, sub: 'clerk-1' });
    const theirs = await post(body, { headers, sub: 'clerk-2' });

    expect(mine.body.orderId).not.toBe(theirs.body.orderId);
  });
});

describe('an idempotent route that forgets to record its answer', () => {
  it('still answers, logs the bug for ops, and the request is simply not replayable', async () => {
    // A route declared idempotent whose handler creates nothing through `idempotency.record(...)`.
    const forgetful = httpRoute({ route: 'POST /v1/orders', idempotent: true }, async () => ({
      status: 201,
      body: { made: 'something' },
    }));
    const options = {
      method: 'POST',
      path: '/v1/orders',
      roles: ['front-office'],
      body: {},
      headers: { 'idempotency-key': `forgot-${freshEmail()}` },
    };

    const {
      result: [first, second],
      lines,
    } = await captureJsonLines(async () => [await call(forgetful, options), await call(forgetful, options)]);

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(
      lines
        .filter((line) => line.message === 'idempotent route answered without recording its Idempotency-Key answer')
        .map((line) => [line.level, line.status, line.route]),
    ).toEqual([
      ['ERROR', 201, 'POST /v1/orders'],
      ['ERROR', 201, 'POST /v1/orders'],
    ]);
  });
});

describe('reading orders and invoices', () => {
  it('answers 404 problems for unknown ids', async () => {
    const order = await call(getOrder, { path: '/v1/orders/ord_missing', roles: FRONT_OFFICE });
    const invoice = await call(getInvoice, { path: '/v1/invoices/inv_missing', roles: ['accounting'] });

    expect(order.status).toBe(404);
    expect(order.headers['content-type']).toBe('application/problem+json');
    expect(invoice.status).toBe(404);
  });

  it('lets support read an order but not inventory staff', async () => {
    const answer = await post(orderBody([{ sku: 'ANY-1', quantity: 1 }], freshEmail()));

    const bySupport = await call(getOrder, { path: `/v1/orders/${answer.body.orderId}`, roles: ['support'] });
    const byInventory = await call(getOrder, { path: `/v1/orders/${answer.body.orderId}`, roles: ['inventory'] });

    expect(bySupport.status).toBe(200);
    expect(byInventory.status).toBe(403);
  });
});
