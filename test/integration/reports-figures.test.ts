import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeReportService } from '#shared/services/reports.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { makeCancellationService } from '#shared/services/cancellations.ts';
import { makeOrderStore } from '#shared/data/orders.ts';
import { makeInvoiceStore, type Invoice } from '#shared/data/invoices.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { transactWrite } from '#shared/data/transact.ts';
import type { OrderStatus } from '#shared/domain/orders.ts';
import type { JournalLine } from '#shared/domain/ledger.ts';
import { testClients, testResources } from '../support/index.ts';

/**
 * Each report's figures on a small known dataset, written through the real use cases with a clock set to chosen
 * days (sales on 2025-03-10, receivables and cash on 2025-01-15), so every figure can be worked out by hand.
 * Payments and cancellations are written as their records will be (entries with `source.type: 'payment'`, a status
 * change to CANCELLED or PAID), since those use cases live in another area.
 */

const doc = testClients().doc;
const tableName = testResources().tableName;
let clock = Date.parse('2025-01-01T00:00:00.000Z');
const now = () => new Date(clock++);
const setClock = (iso: string) => {
  clock = Date.parse(iso);
};

const orderService = makeOrderService({ doc, tableName, currency: 'USD', now });
const inventory = makeInventoryService({ doc, tableName, now });
const reports = makeReportService({ doc, tableName, currency: 'USD', now });
const payments = makePaymentService({ doc, tableName, currency: 'USD', now });
const cancellations = makeCancellationService({ doc, tableName, now });
const orders = makeOrderStore({ doc, tableName });
const invoices = makeInvoiceStore({ doc, tableName });
const journal = makeJournal({ doc, tableName });

const SALES_DAY = '2025-03-10';
const FINANCE_DAY = '2025-01-15';
const customer = { name: 'Ada Lovelace', email: 'ada@example.com' };

async function submit(lines: { sku: string; quantity: number }[]): Promise<string> {
  return (await orderService.submitOrder({ customer, lines }, { actor: 'clerk', correlationId: 'c' })).orderId;
}
async function submitAndProcess(lines: { sku: string; quantity: number }[]): Promise<string> {
  const orderId = await submit(lines);
  await orderService.processOrder(orderId, 'system:test');
  return orderId;
}
async function moveOrder(orderId: string, to: OrderStatus): Promise<void> {
  const order = (await orders.getOrder(orderId))!;
  await transactWrite(doc, [orders.transitionItem(order, to, {}, now().toISOString())]);
}
async function post(type: string, postedAt: string, lines: JournalLine[]): Promise<void> {
  await transactWrite(
    doc,
    journal.entryItems({
      entryId: `je_${type}_${postedAt}_${Math.random()}`,
      postedAt,
      memo: type,
      source: { type, id: 'x' },
      lines,
    }),
  );
}
async function issue(
  status: Invoice['status'],
  issuedAt: string,
  dueDate: string,
  totalCents: number,
  paidCents = 0,
): Promise<void> {
  const invoice: Invoice = {
    entity: 'invoice',
    invoiceId: `inv_${issuedAt}_${Math.random()}`,
    orderId: 'ord_x',
    customerId: 'cus_x',
    status,
    totalCents,
    paidCents,
    currency: 'USD',
    issuedAt,
    dueDate,
    createdAt: issuedAt,
    updatedAt: issuedAt,
  };
  await transactWrite(doc, [invoices.newInvoiceItem(invoice)]);
}
const generated = async (type: string, period: string): Promise<Record<string, unknown>> => {
  const { report } = await reports.generateReport(type, period);
  return { ...report, generatedAt: undefined };
};

beforeAll(async () => {
  // The day before: the catalogue (opening stock posts on that day) and one order that waits until the next day.
  setClock('2025-03-09T08:00:00.000Z');
  await inventory.putItem(
    'REP-A',
    { name: 'A', unitPriceCents: 1000, unitCostCents: 400, reorderPoint: 0, reorderQuantity: 10, onHand: 100 },
    'tester',
  );
  await inventory.putItem(
    'REP-B',
    { name: 'B', unitPriceCents: 250, unitCostCents: 100, reorderPoint: 90, reorderQuantity: 50, onHand: 100 },
    'tester',
  );
  await inventory.putItem(
    'REP-C',
    { name: 'C', unitPriceCents: 5000, unitCostCents: 3000, reorderPoint: 1, reorderQuantity: 5, onHand: 1 },
    'tester',
  );
  setClock('2025-03-09T22:00:00.000Z');
  const submittedTheDayBefore = await submit([{ sku: 'REP-A', quantity: 3 }]);

  // The sales day.
  setClock(`${SALES_DAY}T09:00:00.000Z`);
  await submitAndProcess([
    { sku: 'REP-A', quantity: 2 },
    { sku: 'REP-B', quantity: 4 },
  ]); // confirmed, 3000
  await submitAndProcess([{ sku: 'REP-A', quantity: 1 }]); // confirmed, 1000
  await submitAndProcess([{ sku: 'REP-C', quantity: 5 }]); // backordered
  await submitAndProcess([{ sku: 'NO-SUCH-SKU', quantity: 1 }]); // rejected
  await moveOrder(await submit([{ sku: 'REP-B', quantity: 1 }]), 'CANCELLED');
  await submit([{ sku: 'REP-B', quantity: 2 }]); // still RECEIVED
  await moveOrder(await submitAndProcess([{ sku: 'REP-B', quantity: 10 }]), 'PAID'); // confirmed, 2500, then paid
  setClock(`${SALES_DAY}T12:00:00.000Z`);
  await orderService.processOrder(submittedTheDayBefore, 'system:test'); // its sale posts on the sales day

  // The day after.
  setClock('2025-03-11T09:00:00.000Z');
  await submitAndProcess([{ sku: 'REP-A', quantity: 1 }]);

  // Receivables around the finance day, and cash.
  await issue('OPEN', '2025-01-05T10:00:00.000Z', '2025-02-04', 1000); // current
  await issue('OPEN', '2025-01-15T23:00:00.000Z', '2025-02-14', 900); // current, issued late that day
  await issue('OPEN', '2024-12-01T10:00:00.000Z', '2024-12-31', 2000); // 15 days overdue
  await issue('PARTIALLY_PAID', '2024-11-01T10:00:00.000Z', '2024-12-01', 3000, 500); // 45 days, 2500 open
  await issue('OPEN', '2024-10-01T10:00:00.000Z', '2024-10-31', 4000); // 76 days
  await issue('OPEN', '2024-08-01T10:00:00.000Z', '2024-08-31', 5000); // 137 days
  await issue('PAID', '2024-12-01T10:00:00.000Z', '2024-12-31', 6000, 6000);
  await issue('VOID', '2024-12-01T10:00:00.000Z', '2024-12-31', 7000);
  await issue('OPEN', '2025-01-16T00:00:00.000Z', '2025-02-15', 8000); // issued the day after
  await post('payment', `${FINANCE_DAY}T10:00:00.000Z`, [
    { account: '1000', debitCents: 1200, creditCents: 0 },
    { account: '1100', debitCents: 0, creditCents: 1200 },
  ]);
  await post('payment', `${FINANCE_DAY}T23:59:59.999Z`, [
    { account: '1000', debitCents: 34, creditCents: 0 },
    { account: '1100', debitCents: 0, creditCents: 34 },
  ]);
  await post('payment', '2025-01-16T00:00:00.000Z', [
    { account: '1000', debitCents: 999, creditCents: 0 },
    { account: '1100', debitCents: 0, creditCents: 999 },
  ]);
  await post('payroll', `${FINANCE_DAY}T12:00:00.000Z`, [
    { account: '6000', debitCents: 5000, creditCents: 0 },
    { account: '1000', debitCents: 0, creditCents: 5000 },
  ]);
  setClock('2026-01-01T00:15:00.000Z');
});

describe('report figures on a known dataset', () => {
  it(
    "sales-daily: the day's orders by current status, their revenue and top SKUs, " +
      'and the revenue the ledger posted that day',
    async () => {
      const report = await generated('sales-daily', SALES_DAY);

      expect(report).toEqual({
        type: 'sales-daily',
        period: SALES_DAY,
        generatedAt: undefined,
        currency: 'USD',
        ordersReceived: 7,
        ordersConfirmed: 3,
        ordersBackordered: 1,
        ordersRejected: 1,
        ordersCancelled: 1,
        ordersPending: 1,
        revenueCents: 6500,
        averageOrderValueCents: 2167,
        topSkus: [
          { sku: 'REP-B', quantity: 14, revenueCents: 3500 },
          { sku: 'REP-A', quantity: 3, revenueCents: 3000 },
        ],
        // 3000 + 1000 + 2500 confirmed that day, plus 3000 for the order submitted the day before.
        revenuePostedCents: 9500,
      });
    },
  );

  it('sales-daily: an order submitted one day and confirmed the next counts on the day it was submitted', async () => {
    const before = await generated('sales-daily', '2025-03-09');

    expect(before).toMatchObject({ ordersReceived: 1, ordersConfirmed: 1, revenueCents: 3000, revenuePostedCents: 0 });
  });

  it(
    'finance-daily: the trial balance and AR aging at the end of the day, ' + 'and the cash customers paid that day',
    async () => {
      const report = await generated('finance-daily', FINANCE_DAY);
      const balance = (code: string) =>
        (report.trialBalance as { accounts: { code: string }[] }).accounts.find((a) => a.code === code);

      expect(Object.keys(report)).toEqual([
        'type',
        'period',
        'generatedAt',
        'currency',
        'trialBalance',
        'arAgingCents',
        'arTotalCents',
        'arOpenInvoices',
        'cashReceivedCents',
      ]);
      expect(report).toMatchObject({
        type: 'finance-daily',
        period: FINANCE_DAY,
        currency: 'USD',
        // Only that day's payments (1200 + 34) and payroll (5000) had been posted by its end;
        // the next day's payment not.
        trialBalance: { asOf: `${FINANCE_DAY}T23:59:59.999Z`, totalDebitCents: 6234, totalCreditCents: 6234 },
        arAgingCents: { current: 1900, '1-30': 2000, '31-60': 2500, '61-90': 4000, '90+': 5000 },
        arTotalCents: 15400,
        arOpenInvoices: 6,
        cashReceivedCents: 1234,
      });
      expect(balance('1000')).toEqual({
        code: '1000',
        name: 'Cash',
        debitCents: 1234,
        creditCents: 5000,
        balanceCents: -3766,
      });
      expect(balance('1100')).toMatchObject({ debitCents: 0, creditCents: 1234, balanceCents: -1234 });
      expect(balance('6000')).toMatchObject({ debitCents: 5000, balanceCents: 5000 });
    },
  );

  it(
    'finance-daily: the trial balance at the end of the sales day ' + "holds that day's sales and nothing posted later",
    async () => {
      const report = await generated('finance-daily', SALES_DAY);
      const balance = (code: string) =>
        (report.trialBalance as { accounts: { code: string; balanceCents: number }[] }).accounts.find(
          (a) => a.code === code,
        )!.balanceCents;

      // Revenue: 3000 + 1000 + 2500 + 3000 confirmed on the sales day; the next day's 1000 is not in it.
      expect(balance('4000')).toBe(-9500);
      // Opening stock 100 × 400 + 100 × 100 + 1 × 3000, less the cost of the 6 A and 14 B sold that day.
      expect(balance('1200')).toBe(53_000 - 6 * 400 - 14 * 100);
    },
  );

  it('inventory-daily: low stock, stock valuation at moving average cost, and open purchase orders', async () => {
    const report = await generated('inventory-daily', SALES_DAY);

    expect(report).toEqual({
      type: 'inventory-daily',
      period: SALES_DAY,
      generatedAt: undefined,
      currency: 'USD',
      lowStock: [
        { sku: 'REP-B', onHand: 86, reorderPoint: 90 },
        { sku: 'REP-C', onHand: 1, reorderPoint: 1 },
      ],
      // A: 93 × 400, B: 86 × 100, C: 1 × 3000.
      stockValuationCents: 48_800,
      itemCount: 3,
      purchaseOrdersOpen: 2,
    });
  });

  it('writes the sales report as CSV in the order of the JSON, ranked SKUs included', async () => {
    const { report } = await reports.generateReport('sales-daily', SALES_DAY);

    const lines = reports.reportCsv(report).split('\r\n');

    expect(lines.slice(0, 4)).toEqual([
      'section,key,metric,value',
      'report,,type,sales-daily',
      `report,,period,${SALES_DAY}`,
      `report,,generatedAt,${report.generatedAt}`,
    ]);
    expect(lines).toContain('report,,averageOrderValueCents,2167');
    expect(lines.filter((line) => line.startsWith('topSkus,'))).toEqual([
      'topSkus,REP-B,quantity,14',
      'topSkus,REP-B,revenueCents,3500',
      'topSkus,REP-A,quantity,3',
      'topSkus,REP-A,revenueCents,3000',
    ]);
  });

  it('counts payments and cancellations made through their own use cases on the day they happen', async () => {
    const day = '2025-04-20';
    setClock(`${day}T09:00:00.000Z`);
    const paid = await submitAndProcess([{ sku: 'REP-A', quantity: 3 }]); // 3000
    const cancelled = await submitAndProcess([{ sku: 'REP-A', quantity: 1 }]); // 1000, then cancelled
    const invoiceId = (await orders.getOrder(paid))!.invoiceId!;
    const { paymentId } = await payments.submitPayment(
      { invoiceId, amountCents: 1200, method: 'card' },
      { actor: 'clerk', correlationId: 'c' },
    );
    await payments.applyPayment(paymentId, 'system:test');
    await cancellations.cancelOrder(cancelled, 'clerk');
    setClock('2026-01-01T00:15:00.000Z');

    const sales = await generated('sales-daily', day);
    const finance = await generated('finance-daily', day);

    expect(sales).toMatchObject({
      ordersReceived: 2,
      ordersConfirmed: 1,
      ordersCancelled: 1,
      revenueCents: 3000,
      // Both sales were posted that day and the cancelled one reversed that day.
      revenuePostedCents: 3000,
      topSkus: [{ sku: 'REP-A', quantity: 3, revenueCents: 3000 }],
    });
    expect(finance).toMatchObject({ cashReceivedCents: 1200 });
    // The partly paid invoice is the only one not yet due on that day; the cancelled order's invoice is VOID.
    expect((finance.arAgingCents as Record<string, number>).current).toBe(1800);
  });
});

/**
 * Declared last on purpose: it posts on days before every other record of this file (2024), which would shift the
 * cumulative balances the tests above assert.
 */
describe('finance-daily aging as at the end of its day', () => {
  const DAY = '2024-06-30';
  const balance1100 = (report: Record<string, unknown>) =>
    (report.trialBalance as { accounts: { code: string; balanceCents: number }[] }).accounts.find(
      (a) => a.code === '1100',
    )!.balanceCents;
  async function confirmedOn(at: string, quantity: number): Promise<{ orderId: string; invoiceId: string }> {
    setClock(at);
    const orderId = await submitAndProcess([{ sku: 'AGE-A', quantity }]);
    return { orderId, invoiceId: (await orders.getOrder(orderId))!.invoiceId! };
  }
  async function pay(at: string, invoiceId: string, amountCents: number): Promise<void> {
    setClock(at);
    const { paymentId } = await payments.submitPayment(
      { invoiceId, amountCents, method: 'bank_transfer' },
      { actor: 'clerk', correlationId: 'c' },
    );
    expect((await payments.applyPayment(paymentId, 'system:test')).status).toBe('APPLIED');
  }

  it(
    'ages each invoice by its due date and balance at the end of the day, whatever was paid or cancelled after, ' +
      'and sums to 1100 then',
    async () => {
      setClock('2024-03-01T08:00:00.000Z');
      await inventory.putItem(
        'AGE-A',
        { name: 'Aged', unitPriceCents: 1000, unitCostCents: 400, reorderPoint: 0, reorderQuantity: 10, onHand: 1000 },
        'tester',
      );
      // Due 2024-04-04, 87 days overdue at the end of DAY; 1500 of 5000 paid before it ends.
      const sixtyOne = await confirmedOn('2024-03-05T10:00:00.000Z', 5);
      await pay('2024-05-01T10:00:00.000Z', sixtyOne.invoiceId, 1500);
      // Due 2024-05-10, 51 days overdue: paid in part after DAY ends.
      const thirtyOne = await confirmedOn('2024-04-10T10:00:00.000Z', 3);
      // Due 2024-06-19, 11 days overdue: paid in full after DAY ends.
      const oneToThirty = await confirmedOn('2024-05-20T10:00:00.000Z', 2);
      // Due 2024-07-25, not yet due: its order is cancelled after DAY ends.
      const current = await confirmedOn('2024-06-25T10:00:00.000Z', 1);
      // Paid in full, and cancelled, before DAY ends: nothing left to age.
      const paidBefore = await confirmedOn('2024-06-01T10:00:00.000Z', 6);
      await pay('2024-06-10T10:00:00.000Z', paidBefore.invoiceId, 6000);
      const cancelledBefore = await confirmedOn('2024-06-02T10:00:00.000Z', 7);
      setClock('2024-06-30T23:00:00.000Z');
      await cancellations.cancelOrder(cancelledBefore.orderId, 'clerk');
      const exact = {
        arAgingCents: { current: 1000, '1-30': 2000, '31-60': 3000, '61-90': 3500, '90+': 0 },
        arTotalCents: 9500,
        arOpenInvoices: 4,
      };

      // The first payment after the day lands before the 00:15 run.
      await pay('2024-07-01T00:05:00.000Z', thirtyOne.invoiceId, 1200);
      setClock('2024-07-01T00:15:00.000Z');
      const nightly = await generated('finance-daily', DAY);
      // Then the rest: the full payment, the cancellation (voiding its invoice), a sale after the day, paid in part.
      await pay('2024-07-02T09:00:00.000Z', oneToThirty.invoiceId, 2000);
      setClock('2024-07-02T10:00:00.000Z');
      await cancellations.cancelOrder(current.orderId, 'clerk');
      const after = await confirmedOn('2024-07-03T10:00:00.000Z', 4);
      await pay('2024-07-04T10:00:00.000Z', after.invoiceId, 100);
      await pay('2024-07-05T10:00:00.000Z', thirtyOne.invoiceId, 800);
      setClock('2024-08-15T09:00:00.000Z');
      const weeksLater = await generated('finance-daily', DAY);

      expect(nightly).toMatchObject(exact);
      expect(balance1100(nightly)).toBe(exact.arTotalCents);
      expect(weeksLater).toMatchObject(exact);
      expect(balance1100(weeksLater)).toBe(exact.arTotalCents);
      expect(weeksLater).toEqual({ ...nightly });
      // A later day, aged at its own end, holds what happened up to then and not the payment of the day after it.
      expect(await generated('finance-daily', '2024-07-04')).toMatchObject({
        arAgingCents: { current: 3900, '1-30': 0, '31-60': 1800, '61-90': 0, '90+': 3500 },
        arTotalCents: 9200,
        arOpenInvoices: 3,
      });
    },
  );
});
