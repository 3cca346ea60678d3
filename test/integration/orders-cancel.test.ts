import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeCancellationService } from '#shared/services/cancellations.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makePaymentStore } from '#shared/data/payments.ts';
import { MAX_ORDER_LINES } from '#shared/domain/orders.ts';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as cancelOrder } from '../../functions/orders/cancel-order.ts';
import { handler as getInvoice } from '../../functions/accounting/get-invoice.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { drainQueue, invokeProcessor, pumpQueue, testClients, testResources } from '../support/index.ts';
import {
  accountBalance,
  auditEventsOf,
  call,
  catalogueValue,
  entriesFor,
  itemBody,
  orderBody,
  readItem,
  readOrder,
  uniqueSku,
} from './orders-inventory-fixtures.ts';
import { meteredDocumentClient } from './money-fixtures.ts';

const FRONT_OFFICE = ['front-office'];
const { doc } = testClients();
const tableName = testResources().tableName;
const orders = makeOrderService({ doc, tableName, currency: 'USD' });
const payments = makePaymentService({ doc, tableName, currency: 'USD' });
const cancellations = makeCancellationService({ doc, tableName });
const inventory = makeInventoryService({ doc, tableName });
const invoices = makeInvoiceStore({ doc, tableName });

async function createItem(overrides: Record<string, unknown> = {}): Promise<string> {
  const sku = uniqueSku('CXL');
  const answer = await call(putItem, {
    method: 'PUT',
    path: `/v1/inventory/items/${sku}`,
    roles: ['inventory'],
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

const cancel = (orderId: string, roles = FRONT_OFFICE) =>
  call(cancelOrder, { method: 'POST', path: `/v1/orders/${orderId}/cancel`, roles });
const submitted = (orderId: string) => ({
  type: 'order.submitted',
  id: orderId,
  correlationId: `corr-${orderId}`,
  sentAt: new Date().toISOString(),
});

beforeEach(async () => {
  await drainQueue('orders');
  await drainQueue('payments');
});

describe('cancelling an order not yet decided', () => {
  it('cancels a RECEIVED order with no body, and a late processor run then changes nothing', async () => {
    const sku = await createItem({ onHand: 5 });
    const orderId = await submit([{ sku, quantity: 2 }]);

    const answer = await cancel(orderId);
    await pumpQueue('orders', processOrder);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ orderId, status: 'CANCELLED', lines: [{ sku, quantity: 2 }] });
    expect(await readOrder(orderId)).toMatchObject({ status: 'CANCELLED' });
    expect(await readItem(sku)).toMatchObject({ onHand: 5, version: 1 });
    expect(await entriesFor(orderId)).toEqual([]);
    expect((await auditEventsOf(orderId)).map((e) => [e.action, e.status])).toEqual([
      ['order.submitted', 'RECEIVED'],
      ['order.cancelled', 'CANCELLED'],
    ]);
  });

  it('cancels a BACKORDERED order, which a later receipt then does not fill', async () => {
    const sku = await createItem({ onHand: 0 });
    const orderId = await submit([{ sku, quantity: 3 }]);
    await pumpQueue('orders', processOrder);
    expect((await readOrder(orderId))?.status).toBe('BACKORDERED');

    const answer = await cancel(orderId, ['support']);
    await inventory.receiveGoods({ sku, quantity: 10, unitCostCents: 100 }, 'tester');
    await orders.retryBackorders('system:test');

    expect(answer.status).toBe(200);
    expect((await readOrder(orderId))?.status).toBe('CANCELLED');
    expect(await readItem(sku)).toMatchObject({ onHand: 10 });
  });

  it('lets exactly one of a cancellation and the processor win when they race', async () => {
    for (let round = 0; round < 10; round++) {
      const sku = await createItem({ onHand: 5 });
      const orderId = await submit([{ sku, quantity: 1 }]);

      const [cancelled] = await Promise.all([cancel(orderId), invokeProcessor(processOrder, [submitted(orderId)])]);
      const order = await readOrder(orderId);

      expect(cancelled.status).toBe(200);
      expect(order?.status).toBe('CANCELLED');
      // Either it was never confirmed, or it was confirmed and then undone: stock and books are back either way.
      expect(await readItem(sku)).toMatchObject({ onHand: 5, stockValueCents: 3000 });
      const entries = await entriesFor(orderId);
      expect(entries.length === 0 || entries.length === 2).toBe(true);
    }
    await drainQueue('orders');
  });
});

describe('cancelling a confirmed order', () => {
  it(
    'puts back exactly the units and cost taken out, voids the invoice, ' + 'posts the reversal and audits it',
    async () => {
      const a = await createItem({ onHand: 3, unitCostCents: 333, unitPriceCents: 1000 });
      const b = await createItem({ onHand: 7, unitCostCents: 101, unitPriceCents: 250 });
      const orderId = await submit([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ]);
      await pumpQueue('orders', processOrder);
      const confirmed = (await readOrder(orderId))!;
      // a: 999 for 3, two out remove round(999 × 2 / 3) = 666;
      // b: 707 for 7, three out remove round(707 × 3 / 7) = 303.
      expect(confirmed.lines.map((line) => line.costCents)).toEqual([666, 303]);
      const before = {
        '1100': await accountBalance('1100'),
        '1200': await accountBalance('1200'),
        '4000': await accountBalance('4000'),
        '5000': await accountBalance('5000'),
      };

      const answer = await cancel(orderId);
      const invoice = await call(getInvoice, { path: `/v1/invoices/${confirmed.invoiceId}`, roles: ['accounting'] });

      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('CANCELLED');
      expect(answer.body.lines[0]).not.toHaveProperty('costCents');
      expect(invoice.body).toMatchObject({ status: 'VOID', paidCents: 0 });
      expect(await readItem(a)).toMatchObject({ onHand: 3, stockValueCents: 999, unitCostCents: 333 });
      expect(await readItem(b)).toMatchObject({ onHand: 7, stockValueCents: 707, unitCostCents: 101 });
      const reversal = (await entriesFor(orderId)).find((entry) => entry.source.type === 'cancellation');
      expect(reversal?.lines).toEqual([
        { account: '4000', debitCents: 2750, creditCents: 0 },
        { account: '1100', debitCents: 0, creditCents: 2750 },
        { account: '1200', debitCents: 969, creditCents: 0 },
        { account: '5000', debitCents: 0, creditCents: 969 },
      ]);
      expect(await accountBalance('1100')).toBe(before['1100'] - 2750);
      expect(await accountBalance('4000')).toBe(before['4000'] + 2750);
      expect(await accountBalance('1200')).toBe(before['1200'] + 969);
      expect(await accountBalance('5000')).toBe(before['5000'] - 969);
      expect(await accountBalance('1200')).toBe(await catalogueValue());
      expect(
        (await invoices.byStatus.page({ status: 'VOID' }, { limit: 200 })).items.map((i) => i.invoiceId),
      ).toContain(confirmed.invoiceId);
      expect((await auditEventsOf(orderId)).map((e) => e.action)).toEqual([
        'order.submitted',
        'order.confirmed',
        'order.cancelled',
      ]);
      expect((await auditEventsOf(confirmed.invoiceId!)).map((e) => [e.action, e.status])).toEqual([
        ['invoice.issued', 'OPEN'],
        ['invoice.voided', 'VOID'],
      ]);
    },
  );

  it('queues a backorder retry, so stock released by a cancellation fills waiting orders', async () => {
    const sku = await createItem({ onHand: 2 });
    const first = await submit([{ sku, quantity: 2 }]);
    await pumpQueue('orders', processOrder);
    const waiting = await submit([{ sku, quantity: 2 }]);
    await pumpQueue('orders', processOrder);
    expect((await readOrder(waiting))?.status).toBe('BACKORDERED');

    await cancel(first);
    await pumpQueue('orders', processOrder);

    expect((await readOrder(waiting))?.status).toBe('CONFIRMED');
  });

  it(
    'refuses (409) an order partly or fully paid, already cancelled or rejected, ' + 'and 404 for an unknown one',
    async () => {
      const sku = await createItem({ onHand: 10, unitPriceCents: 1000 });
      const part = await submit([{ sku, quantity: 1 }]);
      const full = await submit([{ sku, quantity: 1 }]);
      const rejected = await submit([{ sku: 'NO-SUCH-SKU', quantity: 1 }]);
      await pumpQueue('orders', processOrder);
      for (const [orderId, amountCents] of [
        [part, 400],
        [full, 1000],
      ] as const) {
        const { paymentId } = await payments.submitPayment(
          { invoiceId: (await readOrder(orderId))!.invoiceId!, amountCents, method: 'card' },
          { actor: 'clerk', correlationId: 'c' },
        );
        await payments.applyPayment(paymentId, 'system:test');
      }
      const cancelled = await submit([{ sku, quantity: 1 }]);
      await cancel(cancelled);

      const answers = await Promise.all([part, full, cancelled, rejected].map((orderId) => cancel(orderId)));

      expect(answers.map((a) => a.status)).toEqual([409, 409, 409, 409]);
      expect(answers[0]!.body.detail).toMatch(/payment/);
      expect((await readOrder(full))?.status).toBe('PAID');
      expect((await cancel('ord_UNKNOWN')).status).toBe(404);
      expect((await cancel(part, ['accounting'])).status).toBe(403);
    },
  );

  it('lets exactly one of a cancellation and a payment win when they race, and the books say which', async () => {
    const sku = await createItem({ onHand: 1000, unitPriceCents: 500, unitCostCents: 200 });
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round++) {
      const orderId = await orders
        .submitOrder(
          { customer: { name: 'Racer', email: 'racer@example.com' }, lines: [{ sku, quantity: 1 }] },
          { actor: 't', correlationId: 'c' },
        )
        .then((o) => o.orderId);
      await orders.processOrder(orderId, 'system:test');
      const invoiceId = (await readOrder(orderId))!.invoiceId!;
      // Half the rounds pay part of the invoice, half all of it (which also moves the order to PAID).
      const amountCents = round % 2 === 0 ? 200 : 500;
      const { paymentId } = await payments.submitPayment(
        { invoiceId, amountCents, method: 'card' },
        { actor: 'clerk', correlationId: 'c' },
      );

      const [cancelled] = await Promise.allSettled([
        cancellations.cancelOrder(orderId, 'clerk'),
        payments.applyPayment(paymentId, 'system:test'),
      ]);
      const order = (await readOrder(orderId))!;
      const invoice = (await invoices.getInvoice(invoiceId))!;
      const payment = (await makePaymentStore({ doc, tableName }).getPayment(paymentId))!;
      const entries = await entriesFor(orderId);

      if (cancelled.status === 'fulfilled') {
        outcomes.push('cancel');
        expect(order.status).toBe('CANCELLED');
        expect(invoice).toMatchObject({ status: 'VOID', paidCents: 0 });
        expect(payment).toMatchObject({ status: 'REJECTED', rejectionReason: 'invoice_void' });
        expect(await entriesFor(paymentId)).toEqual([]);
        expect(entries.map((e) => e.source.type).sort()).toEqual(['cancellation', 'order']);
      } else {
        outcomes.push('payment');
        expect(cancelled.reason).toMatchObject({ name: 'ConflictError' });
        expect(order.status).toBe(amountCents === 500 ? 'PAID' : 'CONFIRMED');
        expect(invoice).toMatchObject({
          status: amountCents === 500 ? 'PAID' : 'PARTIALLY_PAID',
          paidCents: amountCents,
        });
        expect(payment.status).toBe('APPLIED');
        expect(await entriesFor(paymentId)).toHaveLength(1);
        expect(entries.map((e) => e.source.type)).toEqual(['order']);
      }
    }
    expect(outcomes).toHaveLength(12);
    expect(await accountBalance('1200')).toBe(await catalogueValue());
  });

  it(
    `confirms and cancels a ${MAX_ORDER_LINES}-line order, ` + 'each in one transaction of at most 100 actions',
    async () => {
      const skus: string[] = [];
      for (let i = 0; i < MAX_ORDER_LINES; i++) {
        const sku = uniqueSku('BIG');
        await inventory.putItem(
          sku,
          { name: 'Bulk', unitPriceCents: 10 + i, unitCostCents: 3, reorderPoint: 0, reorderQuantity: 1, onHand: 5 },
          'tester',
        );
        skus.push(sku);
      }
      const metered = meteredDocumentClient();
      const meteredOrders = makeOrderService({ doc: metered.doc, tableName, currency: 'USD' });
      const meteredCancellations = makeCancellationService({ doc: metered.doc, tableName });
      const orderId = (
        await meteredOrders.submitOrder(
          {
            customer: { name: 'Bulk Buyer', email: 'bulk@example.com' },
            lines: skus.map((sku) => ({ sku, quantity: 2 })),
          },
          { actor: 't', correlationId: 'c' },
        )
      ).orderId;

      await meteredOrders.processOrder(orderId, 'system:test');
      await meteredCancellations.cancelOrder(orderId, 'clerk');

      expect((await readOrder(orderId))?.status).toBe('CANCELLED');
      expect(await readItem(skus[89]!)).toMatchObject({ onHand: 5, stockValueCents: 15 });
      // Intake (order, audit, new customer's lookup, profile and audit); confirmation (90 stock updates, order,
      // invoice, journal entry, balance shard, two audit events); cancellation (the same shape, voiding instead of
      // issuing).
      expect(metered.usage.transactionSizes).toEqual([5, 96, 96]);
    },
  );
});
