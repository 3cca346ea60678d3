import { describe, expect, it } from 'vitest';
import { routes } from '#shared/manifest.ts';
import type { Order } from '#shared/data/orders.ts';
import type { Invoice } from '#shared/data/invoices.ts';
import type { JournalEntry } from '#shared/data/journal.ts';
import { csvField, reportCsv } from '#shared/reports/csv.ts';
import { addDays, daysBetween, periodSchema, previousDay } from '#shared/reports/period.ts';
import { REPORTS, reportDefinition, reportReaderRoles } from '#shared/reports/registry.ts';
import { salesDailyFigures } from '#shared/reports/sales-daily.ts';
import { agingBucket, arAging, cashReceived } from '#shared/reports/finance-daily.ts';
import { inventoryDailyFigures } from '#shared/reports/inventory-daily.ts';
import { wantsCsv } from '#shared/http/reports.ts';

const order = (status: Order['status'], lines: [string, number, number][], totalCents?: number): Order => ({
  entity: 'order',
  orderId: `ord_${Math.random()}`,
  status,
  customerId: 'cus_1',
  customer: { name: 'A', email: 'a@example.com' },
  lines: lines.map(([sku, quantity, unitPriceCents]) => ({ sku, quantity, unitPriceCents })),
  currency: 'USD',
  createdAt: '2025-03-10T10:00:00.000Z',
  updatedAt: '2025-03-10T10:00:00.000Z',
  ...(totalCents !== undefined ? { totalCents } : {}),
});

const entry = (type: string, lines: [string, number, number][]): JournalEntry => ({
  entity: 'journalEntry',
  entryId: `je_${Math.random()}`,
  postedAt: '2025-03-10T10:00:00.000Z',
  memo: 'm',
  source: { type, id: 'x' },
  lines: lines.map(([account, debitCents, creditCents]) => ({
    account: account as JournalEntry['lines'][number]['account'],
    debitCents,
    creditCents,
  })),
});

const invoice = (
  status: Invoice['status'],
  issuedAt: string,
  dueDate: string,
  totalCents: number,
  paidCents = 0,
): Invoice => ({
  entity: 'invoice',
  invoiceId: `inv_${Math.random()}`,
  orderId: 'o',
  customerId: 'c',
  status,
  totalCents,
  paidCents,
  currency: 'USD',
  issuedAt,
  dueDate,
  createdAt: issuedAt,
  updatedAt: issuedAt,
});

describe('report periods', () => {
  const now = () => new Date('2026-11-23T10:00:00Z');

  it('accepts a calendar day up to today and refuses other days, bad dates and the future', () => {
    const schema = periodSchema(now);

    expect(schema.safeParse('2026-11-23').success).toBe(true);
    expect(schema.safeParse('2024-02-29').success).toBe(true);
    expect(schema.safeParse('2026-11-24').error?.issues.map((i) => i.message)).toEqual(['Must not be in the future']);
    for (const bad of ['2025-02-29', '2026-13-01', '2026-1-05', '20261123', 'yesterday', '2026-11-23T00:00:00Z']) {
      expect(schema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('counts UTC days across month and year ends', () => {
    expect(previousDay(new Date('2026-01-01T00:15:00Z'))).toBe('2025-12-31');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-12-31', '2026-01-30')).toBe(30);
    expect(daysBetween('2026-01-30', '2025-12-31')).toBe(-30);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-A1')).toBe("'-A1");
    expect(csvField(-1500)).toBe('-1500');
    expect(csvField(undefined)).toBe('');
  });

  it(
    'writes any report as section,key,metric,value: figures, nested objects, ' + 'and lists keyed by their first field',
    () => {
      const csv = reportCsv({
        type: 'x',
        period: '2025-03-10',
        count: 2,
        buckets: { current: 5, '1-30': 0 },
        topSkus: [
          { sku: 'B', quantity: 1, revenueCents: 9 },
          { sku: 'A', quantity: 2, revenueCents: 8 },
        ],
        trialBalance: { asOf: 't', accounts: [{ code: '1000', name: 'Cash', balanceCents: -3 }] },
      });

      expect(csv.split('\r\n')).toEqual([
        'section,key,metric,value',
        'report,,type,x',
        'report,,period,2025-03-10',
        'report,,count,2',
        'buckets,,current,5',
        'buckets,,1-30,0',
        'topSkus,B,quantity,1',
        'topSkus,B,revenueCents,9',
        'topSkus,A,quantity,2',
        'topSkus,A,revenueCents,8',
        'trialBalance,,asOf,t',
        'trialBalance.accounts,1000,name,Cash',
        'trialBalance.accounts,1000,balanceCents,-3',
        '',
      ]);
    },
  );
});

describe('content negotiation', () => {
  it('answers CSV only when text/csv is asked for and not outranked by JSON', () => {
    expect(wantsCsv('text/csv')).toBe(true);
    expect(wantsCsv('text/csv; charset=utf-8')).toBe(true);
    expect(wantsCsv('application/json;q=0.5, text/csv')).toBe(true);
    expect(wantsCsv(undefined)).toBe(false);
    expect(wantsCsv('*/*')).toBe(false);
    expect(wantsCsv('application/json')).toBe(false);
    expect(wantsCsv('text/csv;q=0')).toBe(false);
    expect(wantsCsv('text/csv, application/json')).toBe(false);
  });
});

describe('the report registry', () => {
  it('gives each type the readers docs/contract.md#reports names (admin may always)', () => {
    const spec: Record<string, string[]> = {
      'sales-daily': ['accounting', 'ops'],
      'finance-daily': ['accounting', 'ops'],
      'support-daily': ['support', 'ops'],
      'inventory-daily': ['inventory', 'accounting', 'ops'],
      'payroll-monthly': ['hr', 'accounting', 'ops'],
    };

    for (const report of REPORTS)
      expect([...report.readers].sort(), report.type).toEqual([...spec[report.type]!].sort());
    expect(new Set(REPORTS.map((r) => r.type)).size).toBe(REPORTS.length);
    expect(reportDefinition('no-such-report')).toBeUndefined();
  });

  it("lets the report routes admit exactly the union of the types' readers", () => {
    const reportRoutes = routes.filter((r) => r.path.startsWith('/v1/reports/'));

    expect(reportRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v1/reports/{type}/{period}',
      'POST /v1/reports/{type}/{period}/run',
    ]);
    for (const route of reportRoutes) expect([...route.roles].sort()).toEqual(reportReaderRoles().sort());
  });
});

describe('sales-daily figures', () => {
  it('counts each order of the day once by status, and ranks SKUs by revenue, then quantity, then SKU', async () => {
    const orders = [
      order(
        'CONFIRMED',
        [
          ['A', 2, 500],
          ['B', 1, 1000],
        ],
        2000,
      ),
      order('PAID', [['B', 1, 1000]], 1000),
      order('CONFIRMED', [['C', 4, 250]], 1000),
      order('BACKORDERED', [['A', 99, 0]]),
      order('REJECTED', [['Z', 1, 0]]),
      order('CANCELLED', [['A', 5, 500]], 2500),
      order('RECEIVED', [['A', 1, 0]]),
    ];

    const figures = await salesDailyFigures(orders, [], 'USD');

    expect(figures).toEqual({
      currency: 'USD',
      ordersReceived: 7,
      ordersConfirmed: 3,
      ordersBackordered: 1,
      ordersRejected: 1,
      ordersCancelled: 1,
      ordersPending: 1,
      revenueCents: 4000,
      averageOrderValueCents: 1333,
      topSkus: [
        { sku: 'B', quantity: 2, revenueCents: 2000 },
        { sku: 'C', quantity: 4, revenueCents: 1000 },
        { sku: 'A', quantity: 2, revenueCents: 1000 },
      ],
      revenuePostedCents: 0,
    });
  });

  it(
    'rounds the average order value half up, lists at most ten SKUs, ' + 'and nets revenue posted in the ledger',
    async () => {
      const many = Array.from({ length: 12 }, (_, i) =>
        order('CONFIRMED', [[`S${String(i).padStart(2, '0')}`, 1, 100 + i]], 100 + i),
      );
      const two = [order('CONFIRMED', [['A', 1, 1]], 1), order('CONFIRMED', [['A', 1, 2]], 2)];
      const entries = [
        entry('order', [
          ['1100', 3000, 0],
          ['4000', 0, 3000],
          ['5000', 100, 0],
          ['1200', 0, 100],
        ]),
        entry('cancellation', [
          ['4000', 1000, 0],
          ['1100', 0, 1000],
        ]),
        entry('payment', [
          ['1000', 500, 0],
          ['1100', 0, 500],
        ]),
      ];

      const top = await salesDailyFigures(many, [], 'USD');
      const half = await salesDailyFigures(two, entries, 'USD');

      expect(top.topSkus.map((s) => s.sku)).toEqual([
        'S11',
        'S10',
        'S09',
        'S08',
        'S07',
        'S06',
        'S05',
        'S04',
        'S03',
        'S02',
      ]);
      expect(half.averageOrderValueCents).toBe(2);
      expect(half.revenuePostedCents).toBe(2000);
    },
  );
});

describe('finance-daily figures', () => {
  it('puts each receivable in its bucket by days past due at the end of the period', () => {
    const period = '2025-06-15';
    const dueDaysAgo = (n: number) => addDays(period, -n);

    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map((n) => agingBucket(dueDaysAgo(n), period))).toEqual([
      'current',
      'current',
      '1-30',
      '1-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '90+',
      '90+',
    ]);
  });

  it('ages only open balances of invoices issued by the end of the period', async () => {
    const invoices = [
      invoice('OPEN', '2025-06-01T10:00:00Z', '2025-07-01', 1000),
      invoice('PARTIALLY_PAID', '2025-04-01T10:00:00Z', '2025-05-01', 1000, 300),
      invoice('OPEN', '2025-06-15T23:59:59.999Z', '2025-07-15', 50),
      invoice('OPEN', '2025-06-16T00:00:00.000Z', '2025-07-16', 7777),
      invoice('PAID', '2025-01-01T10:00:00Z', '2025-01-31', 9999, 9999),
      invoice('VOID', '2025-01-01T10:00:00Z', '2025-01-31', 8888),
    ];

    const aging = await arAging(invoices, '2025-06-15');

    expect(aging).toEqual({
      arAgingCents: { current: 1050, '1-30': 0, '31-60': 700, '61-90': 0, '90+': 0 },
      arTotalCents: 1750,
      arOpenInvoices: 3,
    });
  });

  it('counts as cash received only the Dr 1000 lines of payment entries', async () => {
    const entries = [
      entry('payment', [
        ['1000', 1200, 0],
        ['1100', 0, 1200],
      ]),
      entry('payment', [
        ['1000', 34, 0],
        ['1100', 0, 34],
      ]),
      entry('payroll', [
        ['6000', 5000, 0],
        ['1000', 0, 5000],
      ]),
      entry('manual', [
        ['1000', 999, 0],
        ['3000', 0, 999],
      ]),
    ];

    expect(await cashReceived(entries)).toBe(1234);
  });
});

describe('inventory-daily figures', () => {
  it('lists low stock by SKU, values the stock and counts open purchase orders', async () => {
    const item = (sku: string, onHand: number, reorderPoint: number, stockValueCents: number) => ({
      entity: 'item' as const,
      sku,
      name: sku,
      unitPriceCents: 1,
      unitCostCents: 1,
      stockValueCents,
      onHand,
      reorderPoint,
      reorderQuantity: 5,
      version: 1,
      createdAt: 't',
      updatedAt: 't',
    });
    const po = (status: 'OPEN' | 'RECEIVED') => ({
      entity: 'purchaseOrder' as const,
      purchaseOrderId: 'po',
      sku: 'A',
      quantity: 1,
      status,
      createdAt: 't',
      updatedAt: 't',
    });

    const figures = await inventoryDailyFigures(
      [item('A', 2, 2, 200), item('B', 10, 2, 1000), item('C', 0, 0, 0)],
      [po('OPEN'), po('OPEN')],
      'USD',
    );

    expect(figures).toEqual({
      currency: 'USD',
      lowStock: [
        { sku: 'A', onHand: 2, reorderPoint: 2 },
        { sku: 'C', onHand: 0, reorderPoint: 0 },
      ],
      stockValuationCents: 1200,
      itemCount: 3,
      purchaseOrdersOpen: 2,
    });
  });
});
