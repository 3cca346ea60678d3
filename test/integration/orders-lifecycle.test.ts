import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from '#shared/platform/clients.ts';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as getOrder } from '../../functions/orders/get-order.ts';
import { handler as getInvoice } from '../../functions/accounting/get-invoice.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { handler as receiveGoods } from '../../functions/inventory/receive-goods.ts';
import { handler as reorderSweep } from '../../functions/inventory/reorder-sweep.ts';
import { sweepSubmissions } from '#shared/services/ops-sweep.ts';
import {
  drainQueue,
  eventually,
  invokeProcessor,
  lambdaContext,
  pumpQueue,
  scheduledEvent,
  testClients,
  testQueue,
  testResources,
} from '../support/index.ts';
import {
  accountBalance,
  auditEventsOf,
  call,
  catalogueValue,
  entriesFor,
  invoicesOfOrder,
  itemBody,
  journalEntries,
  orderBody,
  purchaseOrdersFor,
  readItem,
  readOrder,
  uniqueSku,
  withPurchaseOrdersThrottled,
} from './orders-inventory-fixtures.ts';

const FRONT_OFFICE = ['front-office'];
const INVENTORY = ['inventory'];

async function createItem(overrides: Record<string, unknown> = {}): Promise<string> {
  const sku = uniqueSku();
  const answer = await call(putItem, {
    method: 'PUT',
    path: `/v1/inventory/items/${sku}`,
    roles: INVENTORY,
    body: itemBody(overrides),
  });
  expect(answer.status).toBe(201);
  return sku;
}

async function submit(lines: { sku: string; quantity: number }[]): Promise<string> {
  const answer = await call(submitOrder, {
    method: 'POST',
    path: '/v1/orders',
    roles: FRONT_OFFICE,
    body: orderBody(lines),
  });
  expect(answer.status).toBe(202);
  return answer.body.orderId as string;
}

const message = (type: string, id: string) => ({
  type,
  id,
  correlationId: `corr-${id}`,
  sentAt: new Date().toISOString(),
});
const submittedMessage = (orderId: string) => message('order.submitted', orderId);

beforeEach(async () => {
  await drainQueue('orders');
});

describe('order lifecycle', () => {
  it(
    'confirms once and keeps the message processed when the purchase order cannot be opened; ' + 'the sweep opens it',
    async () => {
      const sku = await createItem({ onHand: 5, reorderPoint: 3, reorderQuantity: 30 });
      const orderId = await submit([{ sku, quantity: 3 }]);

      const first = await withPurchaseOrdersThrottled([sku], () =>
        invokeProcessor(processOrder, [submittedMessage(orderId)]),
      );

      expect(first.failedIds).toEqual([]);
      expect((await readOrder(orderId))?.status).toBe('CONFIRMED');
      expect(await purchaseOrdersFor(sku)).toEqual([]);
      const again = await invokeProcessor(processOrder, [submittedMessage(orderId)]);
      expect(again.failedIds).toEqual([]);
      expect(await readItem(sku)).toMatchObject({ onHand: 2 });
      expect(await invoicesOfOrder(orderId)).toHaveLength(1);
      await reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep'));
      expect(await purchaseOrdersFor(sku)).toEqual([expect.objectContaining({ sku, quantity: 30, status: 'OPEN' })]);
    },
  );

  it('confirms an order in stock: stock down, invoice issued, sale journaled and balanced, audit written', async () => {
    const a = await createItem({ unitPriceCents: 1250, unitCostCents: 400, onHand: 3 });
    const b = await createItem({ unitPriceCents: 99, unitCostCents: 1000, onHand: 3 });
    await call(receiveGoods, {
      method: 'POST',
      path: '/v1/inventory/receipts',
      roles: INVENTORY,
      body: { sku: b, quantity: 1, unitCostCents: 1 },
    });
    await drainQueue('orders');

    const submitted = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      roles: FRONT_OFFICE,
      body: orderBody([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ]),
    });
    const orderId = submitted.body.orderId as string;
    await pumpQueue('orders', processOrder);
    const order = await call(getOrder, { path: `/v1/orders/${orderId}`, roles: FRONT_OFFICE });
    const invoice = await call(getInvoice, { path: `/v1/invoices/${order.body.invoiceId}`, roles: ['accounting'] });

    expect(submitted.body).toEqual({ orderId, status: 'RECEIVED' });
    expect(submitted.headers.location).toBe(`/v1/orders/${orderId}`);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      orderId,
      status: 'CONFIRMED',
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' },
      lines: [
        { sku: a, quantity: 2, unitPriceCents: 1250 },
        { sku: b, quantity: 1, unitPriceCents: 99 },
      ],
      totalCents: 2599,
      currency: 'USD',
    });
    expect(order.body.customerId).toMatch(/^cus_/);
    expect(invoice.body).toEqual({
      invoiceId: order.body.invoiceId,
      orderId,
      status: 'OPEN',
      totalCents: 2599,
      paidCents: 0,
      currency: 'USD',
      issuedAt: expect.any(String),
      dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const due = Date.parse(`${invoice.body.dueDate}T00:00:00Z`) - Date.parse(invoice.body.issuedAt.slice(0, 10));
    expect(due / 86_400_000).toBe(30);

    // b held 3 units worth 3000 plus 1 unit at 1: 4 units, 3001; one out removes round(3001/4) = 750.
    expect(await readItem(a)).toMatchObject({ onHand: 1, stockValueCents: 400 });
    expect(await readItem(b)).toMatchObject({ onHand: 3, stockValueCents: 2251 });
    const [sale] = await entriesFor(orderId);
    expect(sale?.lines).toEqual([
      { account: '1100', debitCents: 2599, creditCents: 0 },
      { account: '4000', debitCents: 0, creditCents: 2599 },
      { account: '5000', debitCents: 1550, creditCents: 0 },
      { account: '1200', debitCents: 0, creditCents: 1550 },
    ]);
    for (const entry of await journalEntries()) {
      const debits = entry.lines.reduce((sum, line) => sum + line.debitCents, 0);
      const credits = entry.lines.reduce((sum, line) => sum + line.creditCents, 0);
      expect(debits).toBe(credits);
    }
    expect(await accountBalance('1200')).toBe(await catalogueValue());

    const events = await auditEventsOf(orderId);
    expect(events.map((event) => [event.action, event.status, event.actor])).toEqual([
      ['order.submitted', 'RECEIVED', 'test-user'],
      ['order.confirmed', 'CONFIRMED', 'system:order-processor'],
    ]);
    expect(events[1]!.related).toEqual(
      expect.arrayContaining([
        { entityType: 'item', entityId: a },
        { entityType: 'invoice', entityId: order.body.invoiceId },
      ]),
    );
    expect((await auditEventsOf(order.body.invoiceId)).map((event) => event.action)).toEqual(['invoice.issued']);
    const customerEvents = await auditEventsOf(order.body.customerId);
    expect(JSON.stringify([...events, ...customerEvents])).not.toMatch(/Ada|example\.com|7946/);
  });

  it('rejects an order naming an unknown SKU and touches no stock', async () => {
    const known = await createItem({ onHand: 5 });

    const orderId = await submit([
      { sku: known, quantity: 1 },
      { sku: 'NO-SUCH-SKU', quantity: 1 },
    ]);
    await invokeProcessor(processOrder, [submittedMessage(orderId)]);

    expect(await readOrder(orderId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'unknown_sku' });
    expect((await call(getOrder, { path: `/v1/orders/${orderId}`, roles: FRONT_OFFICE })).body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'unknown_sku',
    });
    expect(await readItem(known)).toMatchObject({ onHand: 5, version: 1 });
    expect(await entriesFor(orderId)).toEqual([]);
  });

  it(
    'backorders an order short of stock with nothing reserved, ' +
      'then confirms backorders oldest first when goods arrive',
    async () => {
      const plenty = await createItem({ onHand: 50 });
      const scarce = await createItem({ onHand: 1, unitCostCents: 300 });

      const older = await submit([
        { sku: plenty, quantity: 5 },
        { sku: scarce, quantity: 3 },
      ]);
      const newer = await submit([{ sku: scarce, quantity: 3 }]);
      await pumpQueue('orders', processOrder);

      expect((await readOrder(older))?.status).toBe('BACKORDERED');
      expect((await readOrder(newer))?.status).toBe('BACKORDERED');
      expect(await readItem(plenty)).toMatchObject({ onHand: 50, version: 1 });
      expect(await readItem(scarce)).toMatchObject({ onHand: 1, version: 1 });

      // 1 + 4 = 5 units: enough for the older order (3), not then for the newer one (3).
      const receipt = await call(receiveGoods, {
        method: 'POST',
        path: '/v1/inventory/receipts',
        roles: INVENTORY,
        body: { sku: scarce, quantity: 4, unitCostCents: 300 },
      });
      expect(receipt.status).toBe(201);
      await pumpQueue('orders', processOrder);

      expect((await readOrder(older))?.status).toBe('CONFIRMED');
      expect((await readOrder(newer))?.status).toBe('BACKORDERED');
      expect(await readItem(scarce)).toMatchObject({ onHand: 2 });
      expect(await readItem(plenty)).toMatchObject({ onHand: 45 });

      await call(receiveGoods, {
        method: 'POST',
        path: '/v1/inventory/receipts',
        roles: INVENTORY,
        body: { sku: scarce, quantity: 1, unitCostCents: 300 },
      });
      await pumpQueue('orders', processOrder);

      expect((await readOrder(newer))?.status).toBe('CONFIRMED');
      expect(await readItem(scarce)).toMatchObject({ onHand: 0, stockValueCents: 0 });
      expect(await accountBalance('1200')).toBe(await catalogueValue());
    },
  );

  it('changes nothing when the same message is delivered again', async () => {
    const sku = await createItem({ onHand: 10 });
    const orderId = await submit([{ sku, quantity: 4 }]);
    await invokeProcessor(processOrder, [submittedMessage(orderId)]);
    const entriesBefore = (await journalEntries()).length;
    const itemBefore = await readItem(sku);
    const orderBefore = await readOrder(orderId);

    const again = await invokeProcessor(processOrder, [submittedMessage(orderId), submittedMessage(orderId)]);

    expect(again.failedIds).toEqual([]);
    expect((await journalEntries()).length).toBe(entriesBefore);
    expect(await readItem(sku)).toEqual(itemBefore);
    expect(await readOrder(orderId)).toEqual(orderBefore);
    expect((await auditEventsOf(orderId)).filter((event) => event.action === 'order.confirmed')).toHaveLength(1);
  });

  it('writes nothing when a backordered order is retried and is still short', async () => {
    const sku = await createItem({ onHand: 1 });
    const orderId = await submit([{ sku, quantity: 2 }]);
    await invokeProcessor(processOrder, [submittedMessage(orderId)]);
    const before = await readOrder(orderId);

    await invokeProcessor(processOrder, [submittedMessage(orderId), message('backorders.retry', sku)]);

    expect(await readOrder(orderId)).toEqual(before);
    expect((await auditEventsOf(orderId)).map((event) => event.action)).toEqual([
      'order.submitted',
      'order.backordered',
    ]);
  });

  it('reports a message of an unknown type as a failure so it reaches the dead-letter queue', async () => {
    const result = await invokeProcessor(processOrder, [message('order.teleported', 'x')]);

    expect(result.failedIds).toEqual(['msg-0']);
  });
});

/** The submission sweeper (the `sweep-submissions` job's work) with its clock set to `atMs`, on this file's queue. */
function sweepAt(atMs: number) {
  const { doc, sqs: client } = testClients();
  return sweepSubmissions({
    doc,
    sqs: client,
    tableName: testResources().tableName,
    queueUrl: testQueue('orders').url,
    now: () => new Date(atMs),
  });
}

/**
 * Drains the orders queue until `count` `order.submitted` messages for `orderId` came (the local SQS server makes a
 * message receivable a timer tick after its send), then once more so an extra one would show; others are dropped.
 */
async function orderMessagesExpecting(
  orderId: string,
  count: number,
): Promise<{ type: string; id: string; correlationId: string }[]> {
  const mine: { type: string; id: string; correlationId: string }[] = [];
  const take = async () => {
    for (const m of await drainQueue<{ type: string; id: string; correlationId: string }>('orders'))
      if (m.id === orderId) mine.push(m);
  };
  await eventually(async () => {
    await take();
    return mine.length >= count;
  });
  await take();
  return mine;
}

describe('a queue send that fails after the order was written', () => {
  let sqsMock: ReturnType<typeof mockClient> | undefined;
  afterEach(() => sqsMock?.restore());

  it('still answers 202 and leaves the order RECEIVED and readable for the sweeper', async () => {
    sqsMock = mockClient(sqs);
    sqsMock.on(SendMessageCommand).rejects(new Error('SQS is unavailable'));
    const sku = await createItem();

    const answer = await call(submitOrder, {
      method: 'POST',
      path: '/v1/orders',
      roles: FRONT_OFFICE,
      body: orderBody([{ sku, quantity: 1 }]),
    });
    sqsMock.restore();
    const read = await call(getOrder, { path: `/v1/orders/${answer.body.orderId}`, roles: FRONT_OFFICE });

    expect(answer.status).toBe(202);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('RECEIVED');
    expect(await drainQueue('orders')).toEqual([]);
  });
  it(
    'is healed end to end: ' +
      'the sweeper re-queues the order 5 minutes on and the processor confirms it exactly once',
    async () => {
      sqsMock = mockClient(sqs);
      sqsMock.on(SendMessageCommand).rejects(new Error('SQS is unavailable'));
      const sku = await createItem({ onHand: 5, unitPriceCents: 700, unitCostCents: 300 });
      const answer = await call(submitOrder, {
        method: 'POST',
        path: '/v1/orders',
        roles: FRONT_OFFICE,
        body: orderBody([{ sku, quantity: 2 }]),
        headers: { 'x-correlation-id': 'corr-lost-send' },
      });
      sqsMock.restore();
      const orderId = answer.body.orderId as string;
      const submittedAt = Date.now();

      // Too early: 4 minutes on, the message may still be on its way. Then two runs 5+ minutes on, before the
      // processor has taken the first re-sent message, so the order is queued twice.
      const early = await sweepAt(submittedAt + 4 * 60_000);
      const first = await sweepAt(submittedAt + 6 * 60_000);
      const second = await sweepAt(submittedAt + 11 * 60_000);
      const resent = await orderMessagesExpecting(orderId, 2);
      const delivered = await invokeProcessor(processOrder, resent);
      const afterConfirmation = await sweepAt(submittedAt + 16 * 60_000);

      expect(answer.status).toBe(202);
      expect(early.requeued).not.toContain(orderId);
      expect(first.requeued).toContain(orderId);
      expect(second.requeued).toContain(orderId);
      expect(resent).toEqual([
        expect.objectContaining({ type: 'order.submitted', id: orderId, correlationId: 'corr-lost-send' }),
        expect.objectContaining({ type: 'order.submitted', id: orderId, correlationId: 'corr-lost-send' }),
      ]);
      expect(delivered.failedIds).toEqual([]);
      expect(afterConfirmation.requeued).not.toContain(orderId);
      expect(await readOrder(orderId)).toMatchObject({ status: 'CONFIRMED', totalCents: 1400 });
      expect(await readItem(sku)).toMatchObject({ onHand: 3, stockValueCents: 900 });
      const invoices = await invoicesOfOrder(orderId);
      expect(invoices).toEqual([expect.objectContaining({ orderId, status: 'OPEN', totalCents: 1400 })]);
      expect((await entriesFor(orderId)).map((entry) => entry.lines)).toEqual([
        [
          { account: '1100', debitCents: 1400, creditCents: 0 },
          { account: '4000', debitCents: 0, creditCents: 1400 },
          { account: '5000', debitCents: 600, creditCents: 0 },
          { account: '1200', debitCents: 0, creditCents: 600 },
        ],
      ]);
      expect((await auditEventsOf(orderId)).map((event) => event.action)).toEqual([
        'order.submitted',
        'order.confirmed',
      ]);
      expect(await accountBalance('1200')).toBe(await catalogueValue());
    },
  );
});
