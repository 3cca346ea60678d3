import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestStack, type LocalStack } from '../support/stack.ts';
import { eventually } from '../support/index.ts';

/**
 * Order to cash over HTTP against the local runtime, as `npm start` runs it: an order confirmed by the order
 * processor, paid in two payments through the payments queue and processor, a second order cancelled, the manual
 * entries and the trial balance read by accounting; then the day's sales and finance reports, run through the reports
 * queue and read as JSON and as CSV.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const frontOffice = ['front-office'];
const accounting = ['accounting'];

async function confirmedOrder(sku: string): Promise<{ orderId: string; invoiceId: string; totalCents: number }> {
  const submitted = await call(stack, 'POST', '/v1/orders', {
    roles: frontOffice,
    body: { customer: { name: 'Grace Hopper', email: 'grace@example.com' }, lines: [{ sku, quantity: 2 }] },
  });
  expect(submitted.status).toBe(202);
  return eventually(async () => {
    const order = await call(stack, 'GET', `/v1/orders/${submitted.body.orderId}`, { roles: frontOffice });
    return order.body.status === 'CONFIRMED' ? order.body : undefined;
  }, 15_000);
}

/** Runs a report for a day through the reports queue and reads it back as JSON and as CSV, once generated. */
async function report(type: string, day: string): Promise<{ json: Record<string, any>; csv: string[] }> {
  const ran = await call(stack, 'POST', `/v1/reports/${type}/${day}/run`, { roles: accounting });
  expect(ran.status).toBe(202);
  expect(ran.body).toEqual({ type, period: day, status: 'QUEUED' });
  const json = await eventually(async () => {
    const answer = await call(stack, 'GET', `/v1/reports/${type}/${day}`, { roles: accounting });
    return answer.status === 200 ? answer.body : undefined;
  }, 15_000);
  const csv = await call(stack, 'GET', `/v1/reports/${type}/${day}`, {
    roles: ['ops'],
    headers: { accept: 'text/csv' },
  });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return { json, csv: (csv.body as string).split('\r\n') };
}

async function settled(paymentId: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const payment = await call(stack, 'GET', `/v1/payments/${paymentId}`, { roles: accounting });
    return payment.body.status !== 'RECEIVED' ? payment.body : undefined;
  }, 15_000);
}

describe('order to cash over HTTP', () => {
  it(
    'pays an invoice in two payments, refuses an overpayment, cancels another order, balances the books, ' +
      'and reports the day',
    async () => {
      const item = await call(stack, 'PUT', '/v1/inventory/items/E2E-CASH', {
        roles: ['inventory'],
        body: {
          name: 'Cash cow',
          unitPriceCents: 1500,
          unitCostCents: 600,
          reorderPoint: 0,
          reorderQuantity: 10,
          onHand: 10,
        },
      });
      expect(item.status).toBe(201);
      const paid = await confirmedOrder('E2E-CASH');
      const cancelled = await confirmedOrder('E2E-CASH');

      const first = await call(stack, 'POST', '/v1/payments', {
        roles: frontOffice,
        headers: { 'idempotency-key': 'e2e-pay-1' },
        body: { invoiceId: paid.invoiceId, amountCents: 1000, method: 'card' },
      });
      expect(first.status).toBe(202);
      expect(first.headers.get('location')).toBe(`/v1/payments/${first.body.paymentId}`);
      expect(await settled(first.body.paymentId)).toMatchObject({ status: 'APPLIED', amountCents: 1000 });
      const overpay = await call(stack, 'POST', '/v1/payments', {
        roles: accounting,
        body: { invoiceId: paid.invoiceId, amountCents: 2001, method: 'cash' },
      });
      const second = await call(stack, 'POST', '/v1/payments', {
        roles: accounting,
        body: { invoiceId: paid.invoiceId, amountCents: 2000, method: 'bank_transfer' },
      });
      expect(await settled(second.body.paymentId)).toMatchObject({ status: 'APPLIED' });
      const cancel = await call(stack, 'POST', `/v1/orders/${cancelled.orderId}/cancel`, { roles: ['support'] });
      const cancelPaid = await call(stack, 'POST', `/v1/orders/${paid.orderId}/cancel`, { roles: frontOffice });

      expect(overpay.status).toBe(409);
      expect((await call(stack, 'GET', `/v1/invoices/${paid.invoiceId}`, { roles: accounting })).body).toMatchObject({
        status: 'PAID',
        paidCents: 3000,
      });
      expect((await call(stack, 'GET', `/v1/orders/${paid.orderId}`, { roles: frontOffice })).body.status).toBe('PAID');
      expect(cancel.status).toBe(200);
      expect(cancel.body.status).toBe('CANCELLED');
      expect(cancelPaid.status).toBe(409);
      expect((await call(stack, 'GET', `/v1/invoices/${cancelled.invoiceId}`, { roles: accounting })).body.status).toBe(
        'VOID',
      );
      expect((await call(stack, 'GET', '/v1/inventory/items/E2E-CASH', { roles: ['inventory'] })).body).toMatchObject({
        onHand: 8,
        stockValueCents: 4800,
      });

      const manual = await call(stack, 'POST', '/v1/ledger/entries', {
        roles: accounting,
        body: {
          memo: 'Bank fee',
          lines: [
            { account: '6000', debitCents: 150, creditCents: 0 },
            { account: '1000', debitCents: 0, creditCents: 150 },
          ],
        },
      });
      expect(manual.status).toBe(201);
      const today = new Date().toISOString().slice(0, 10);
      const entries = await call(stack, 'GET', `/v1/ledger/entries?from=${today}&to=${today}&limit=200`, {
        roles: accounting,
      });
      expect(entries.body.items.map((e: { source: { type: string } }) => e.source.type)).toEqual([
        'item',
        'order',
        'order',
        'payment',
        'payment',
        'cancellation',
        'manual',
      ]);
      const tb = await call(stack, 'GET', '/v1/ledger/trial-balance', { roles: accounting });
      const balance = (code: string) => tb.body.accounts.find((a: { code: string }) => a.code === code).balanceCents;
      expect(tb.body.totalDebitCents).toBe(tb.body.totalCreditCents);
      expect(balance('1000')).toBe(3000 - 150);
      expect(balance('1100')).toBe(0);
      expect(balance('1200')).toBe(4800);
      expect(balance('4000')).toBe(-3000);
      expect(
        (await call(stack, 'GET', '/v1/invoices?status=PAID', { roles: accounting })).body.items.map(
          (i: { invoiceId: string }) => i.invoiceId,
        ),
      ).toEqual([paid.invoiceId]);

      // A third order stays open, so the day ends with something to collect.
      const open = await confirmedOrder('E2E-CASH');
      const sales = await report('sales-daily', today);
      const finance = await report('finance-daily', today);

      // Three orders submitted: one paid (it counts as sold), one cancelled, one confirmed and open.
      expect(sales.json).toMatchObject({
        type: 'sales-daily',
        period: today,
        currency: 'USD',
        ordersReceived: 3,
        ordersConfirmed: 2,
        ordersCancelled: 1,
        ordersBackordered: 0,
        ordersRejected: 0,
        ordersPending: 0,
        revenueCents: 6000,
        averageOrderValueCents: 3000,
        topSkus: [{ sku: 'E2E-CASH', quantity: 4, revenueCents: 6000 }],
        // Three sales posted, one reversed.
        revenuePostedCents: 6000,
      });
      expect(sales.csv).toEqual(
        expect.arrayContaining([
          'report,,ordersReceived,3',
          'report,,revenueCents,6000',
          'topSkus,E2E-CASH,quantity,4',
          'topSkus,E2E-CASH,revenueCents,6000',
        ]),
      );
      const tbNow = await call(stack, 'GET', '/v1/ledger/trial-balance', { roles: accounting });
      const accountsOf = (trialBalance: { accounts: { code: string; balanceCents: number }[] }) =>
        Object.fromEntries(trialBalance.accounts.map((a) => [a.code, a.balanceCents]));
      const books = accountsOf(finance.json.trialBalance);
      expect(finance.json).toMatchObject({
        type: 'finance-daily',
        period: today,
        trialBalance: {
          asOf: `${today}T23:59:59.999Z`,
          totalDebitCents: tbNow.body.totalDebitCents,
          totalCreditCents: tbNow.body.totalDebitCents,
        },
        arAgingCents: { current: open.totalCents, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 },
        arTotalCents: open.totalCents,
        arOpenInvoices: 1,
        cashReceivedCents: 3000,
      });
      expect(books).toEqual(accountsOf(tbNow.body));
      expect(books['1100']).toBe(finance.json.arTotalCents);
      expect(books['1000']).toBe(3000 - 150);
      expect(finance.csv).toEqual(
        expect.arrayContaining([
          `arAgingCents,,current,${open.totalCents}`,
          `report,,arTotalCents,${open.totalCents}`,
          'report,,cashReceivedCents,3000',
          `trialBalance.accounts,1100,balanceCents,${open.totalCents}`,
          `trialBalance,,totalDebitCents,${tbNow.body.totalDebitCents}`,
          `trialBalance,,totalCreditCents,${tbNow.body.totalDebitCents}`,
        ]),
      );

      for (const type of ['sales-daily', 'finance-daily']) {
        expect((await call(stack, 'POST', `/v1/reports/${type}/${today}/run`, { roles: frontOffice })).status).toBe(
          403,
        );
        expect((await call(stack, 'GET', `/v1/reports/${type}/${today}`, { roles: frontOffice })).status).toBe(403);
      }
    },
  );
});
