import { describe, expect, it } from 'vitest';
import {
  MAX_ORDER_LINES,
  addDaysUtc,
  assertTransition,
  awaitsFulfilment,
  canTransition,
  orderSubmissionSchema,
  planFulfilment,
  type StockedItem,
} from '#shared/domain/orders.ts';
import { totals } from '#shared/domain/ledger.ts';
import { ConflictError } from '#shared/errors.ts';

const item = (sku: string, overrides: Partial<StockedItem> = {}): StockedItem => ({
  sku,
  unitPriceCents: 1000,
  reorderPoint: 0,
  version: 1,
  onHand: 10,
  stockValueCents: 4000,
  unitCostCents: 400,
  ...overrides,
});
const stockOf = (...items: StockedItem[]) => new Map(items.map((i) => [i.sku, i]));
const submission = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Ada Lovelace', email: 'Ada@Example.COM' },
  lines: [{ sku: 'WIDGET-1', quantity: 2 }],
  ...overrides,
});
const pathsOf = (input: unknown) =>
  (orderSubmissionSchema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.join('.')).sort();

describe('order submission schema', () => {
  it('accepts a valid order, lower-cases the email and drops unknown fields', () => {
    const parsed = orderSubmissionSchema.parse(submission({ extra: true, notes: 'ring twice' }));

    expect(parsed).toEqual({
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      lines: [{ sku: 'WIDGET-1', quantity: 2 }],
      notes: 'ring twice',
    });
  });

  it('lists every bad field at once', () => {
    const paths = pathsOf({
      customer: { name: '', email: 'not-an-email', phone: 'x'.repeat(33) },
      lines: [
        { sku: 'lower', quantity: 0 },
        { sku: 'OK', quantity: 1.5 },
        { sku: 'OK', quantity: 10_001 },
      ],
      notes: 'n'.repeat(5001),
    });

    expect(paths).toEqual([
      'customer.email',
      'customer.name',
      'customer.phone',
      'lines.0.quantity',
      'lines.0.sku',
      'lines.1.quantity',
      'lines.2.quantity',
      'lines.2.sku',
      'notes',
    ]);
  });

  it('reports a repeated SKU at the repeating line', () => {
    expect(
      pathsOf(
        submission({
          lines: [
            { sku: 'A', quantity: 1 },
            { sku: 'B', quantity: 1 },
            { sku: 'A', quantity: 3 },
          ],
        }),
      ),
    ).toEqual(['lines.2.sku']);
  });

  it(`takes 1 to ${MAX_ORDER_LINES} lines`, () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));

    expect(pathsOf(submission({ lines: [] }))).toEqual(['lines']);
    expect(pathsOf(submission({ lines: lines(MAX_ORDER_LINES) }))).toEqual([]);
    expect(pathsOf(submission({ lines: lines(MAX_ORDER_LINES + 1) }))).toEqual(['lines']);
  });

  it('refuses an email longer than 254 characters and an overlong name', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;

    expect(email.length).toBeGreaterThan(254);
    expect(pathsOf(submission({ customer: { name: 'n'.repeat(201), email } }))).toEqual([
      'customer.email',
      'customer.name',
    ]);
  });

  it('survives lines that are not objects', () => {
    expect(pathsOf(submission({ lines: [null, 'x'] }))).toEqual(['lines.0', 'lines.1']);
  });
});

describe('fulfilment', () => {
  it('rejects an order naming an unknown SKU, before looking at stock', () => {
    const plan = planFulfilment(
      [
        { sku: 'A', quantity: 99 },
        { sku: 'GHOST', quantity: 1 },
      ],
      stockOf(item('A')),
    );

    expect(plan).toEqual({ outcome: 'REJECTED', rejectionReason: 'unknown_sku', unknownSkus: ['GHOST'] });
  });

  it('backorders an order with any line short of stock', () => {
    const plan = planFulfilment(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 11 },
      ],
      stockOf(item('A'), item('B')),
    );

    expect(plan).toEqual({ outcome: 'BACKORDERED', shortSkus: ['B'] });
  });

  it('prices each line at the current price, takes stock at average cost and journals a balanced sale', () => {
    const plan = planFulfilment(
      [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ],
      stockOf(item('A', { unitPriceCents: 999 }), item('B', { unitPriceCents: 1, onHand: 3, stockValueCents: 1000 })),
    );

    if (plan.outcome !== 'CONFIRMED') throw new Error(`expected CONFIRMED, got ${plan.outcome}`);
    expect(plan.lines).toEqual([
      { sku: 'A', quantity: 3, unitPriceCents: 999 },
      { sku: 'B', quantity: 1, unitPriceCents: 1 },
    ]);
    expect(plan.totalCents).toBe(2998);
    expect(plan.movements.map((m) => [m.sku, m.costCents, m.after.onHand, m.after.stockValueCents])).toEqual([
      ['A', 1200, 7, 2800],
      ['B', 333, 2, 667],
    ]);
    expect(plan.costCents).toBe(1533);
    expect(plan.journalLines).toEqual([
      { account: '1100', debitCents: 2998, creditCents: 0 },
      { account: '4000', debitCents: 0, creditCents: 2998 },
      { account: '5000', debitCents: 1533, creditCents: 0 },
      { account: '1200', debitCents: 0, creditCents: 1533 },
    ]);
    expect(totals(plan.journalLines).debitCents).toBe(totals(plan.journalLines).creditCents);
  });

  it('confirms exactly the last units on hand and empties their value', () => {
    const plan = planFulfilment([{ sku: 'A', quantity: 10 }], stockOf(item('A', { stockValueCents: 4001 })));

    if (plan.outcome !== 'CONFIRMED') throw new Error('expected CONFIRMED');
    expect(plan.movements[0]!.after).toEqual({ onHand: 0, stockValueCents: 0, unitCostCents: 400 });
    expect(plan.costCents).toBe(4001);
  });

  it('posts no revenue lines for free goods', () => {
    const plan = planFulfilment([{ sku: 'A', quantity: 1 }], stockOf(item('A', { unitPriceCents: 0 })));

    if (plan.outcome !== 'CONFIRMED') throw new Error('expected CONFIRMED');
    expect(plan.journalLines.map((line) => line.account)).toEqual(['5000', '1200']);
  });
});

describe('order status transitions', () => {
  it('lets new and backordered orders be decided, and nothing leave a final status', () => {
    expect(canTransition('RECEIVED', 'CONFIRMED')).toBe(true);
    expect(canTransition('RECEIVED', 'BACKORDERED')).toBe(true);
    expect(canTransition('BACKORDERED', 'CONFIRMED')).toBe(true);
    expect(canTransition('BACKORDERED', 'BACKORDERED')).toBe(false);
    expect(canTransition('CONFIRMED', 'BACKORDERED')).toBe(false);
    expect(canTransition('REJECTED', 'CONFIRMED')).toBe(false);
    expect(canTransition('CANCELLED', 'RECEIVED')).toBe(false);
  });

  it('refuses a transition that is not allowed as a conflict', () => {
    expect(() => assertTransition('CONFIRMED', 'REJECTED')).toThrow(ConflictError);
    expect(() => assertTransition('RECEIVED', 'REJECTED')).not.toThrow();
  });

  it('awaits fulfilment only while received or backordered', () => {
    expect(
      ['RECEIVED', 'BACKORDERED', 'CONFIRMED', 'REJECTED', 'PAID', 'CANCELLED'].filter((s) =>
        awaitsFulfilment(s as 'RECEIVED'),
      ),
    ).toEqual(['RECEIVED', 'BACKORDERED']);
  });
});

describe('invoice terms', () => {
  it('falls due 30 UTC days after issue', () => {
    expect(addDaysUtc('2026-01-15T23:59:59.000Z', 30)).toBe('2026-02-14');
    expect(addDaysUtc('2026-12-10T00:00:00.000Z', 30)).toBe('2027-01-09');
  });
});
