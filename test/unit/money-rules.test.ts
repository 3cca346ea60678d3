import { describe, expect, it } from 'vitest';
import { decidePayment, paymentSubmissionSchema } from '#shared/domain/payments.ts';
import { parseInstant, trialBalanceQuerySchema } from '#shared/http/ledger.ts';
import { manualEntrySchema } from '#shared/domain/accounting.ts';
import { planCancellation, planFulfilment, type StockedItem } from '#shared/domain/orders.ts';
import { putBack, takeOut } from '#shared/domain/inventory.ts';
import { addLines, emptyBalances, trialBalanceOf } from '#shared/domain/balances.ts';
import { balanceShardUpdate, shardOfEntry, shardState } from '#shared/data/ledger.ts';
import { LEDGER_BALANCE_SHARDS } from '#shared/keys.ts';

const invoice = (
  overrides: Partial<{
    status: 'OPEN' | 'PARTIALLY_PAID' | 'PAID' | 'VOID';
    totalCents: number;
    paidCents: number;
  }> = {},
) => ({ status: 'OPEN' as const, totalCents: 1000, paidCents: 0, ...overrides });

describe('deciding a payment', () => {
  it('applies what is still open: part → PARTIALLY_PAID, the rest → PAID, journaled Dr 1000 / Cr 1100', () => {
    expect(decidePayment(invoice(), 300)).toEqual({
      outcome: 'APPLY',
      paidCents: 300,
      invoiceStatus: 'PARTIALLY_PAID',
      journalLines: [
        { account: '1000', debitCents: 300, creditCents: 0 },
        { account: '1100', debitCents: 0, creditCents: 300 },
      ],
    });
    expect(decidePayment(invoice({ status: 'PARTIALLY_PAID', paidCents: 300 }), 700)).toMatchObject({
      outcome: 'APPLY',
      paidCents: 1000,
      invoiceStatus: 'PAID',
    });
  });

  it('refuses an unknown invoice, a VOID one, and anything beyond the open balance (so anything on a PAID one)', () => {
    expect(decidePayment(undefined, 1)).toEqual({ outcome: 'REJECT', rejectionReason: 'invoice_not_found' });
    expect(decidePayment(invoice({ status: 'VOID' }), 1)).toEqual({
      outcome: 'REJECT',
      rejectionReason: 'invoice_void',
    });
    expect(decidePayment(invoice({ paidCents: 999, status: 'PARTIALLY_PAID' }), 2)).toEqual({
      outcome: 'REJECT',
      rejectionReason: 'would_overpay',
    });
    expect(decidePayment(invoice({ paidCents: 1000, status: 'PAID' }), 1)).toEqual({
      outcome: 'REJECT',
      rejectionReason: 'would_overpay',
    });
  });

  it('takes integer cents of at least 1, a known method and a reference of at most 200 characters', () => {
    const ok = paymentSubmissionSchema.safeParse({
      invoiceId: 'inv_1',
      amountCents: 1,
      method: 'bank_transfer',
      reference: 'r'.repeat(200),
    });
    const bad = paymentSubmissionSchema.safeParse({
      invoiceId: 'inv_1',
      amountCents: 10.5,
      method: 'cheque',
      reference: 'r'.repeat(201),
    });

    expect(ok.success).toBe(true);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['amountCents', 'method', 'reference']);
  });
});

describe('manual journal entries', () => {
  const paths = (input: unknown) =>
    manualEntrySchema
      .safeParse(input)
      .error?.issues.map((i) => i.path.join('.'))
      .sort() ?? [];
  const line = (account: string, debitCents: number, creditCents: number) => ({ account, debitCents, creditCents });

  it('accepts two or more balanced lines, each one positive side, on accounts of the chart', () => {
    expect(paths({ memo: 'Accrual', lines: [line('5100', 10, 0), line('2000', 0, 4), line('2000', 0, 6)] })).toEqual(
      [],
    );
  });

  it('lists every broken rule at once: account, sides, balance, count, memo', () => {
    expect(paths({ memo: ' ', lines: [line('7000', 1, 0), line('1000', 1, 1)] })).toEqual([
      'lines',
      'lines.0.account',
      'lines.1',
      'memo',
    ]);
    expect(paths({ memo: 'x', lines: [line('1000', 10, 0), line('4000', 0, 9)] })).toEqual(['lines']);
    expect(paths({ memo: 'x', lines: [line('1000', 0, 0)] })).toEqual(['lines', 'lines.0']);
    expect(paths({ memo: 'x' })).toEqual(['lines']);
  });

  it('takes a side left out as 0, and still wants exactly one positive side per line', () => {
    const parsed = manualEntrySchema.parse({
      memo: 'Accrual',
      lines: [
        { account: '5100', debitCents: 10 },
        { account: '2000', creditCents: 10 },
      ],
    });

    expect(parsed.lines).toEqual([line('5100', 10, 0), line('2000', 0, 10)]);
    expect(paths({ memo: 'x', lines: [{ account: '1000' }, { account: '4000', creditCents: 5 }] })).toEqual([
      'lines',
      'lines.0',
    ]);
    expect(
      paths({
        memo: 'x',
        lines: [
          { account: '1000', debitCents: -5 },
          { account: '4000', creditCents: 5 },
        ],
      }),
    ).toEqual(['lines.0.debitCents']);
  });
});

describe('dates and instants in queries', () => {
  it('reads a bare date as its first or last millisecond, and times with a zone as given', () => {
    expect(parseInstant('2026-11-23', 'start')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(parseInstant('2026-11-23', 'end')?.toISOString()).toBe('2026-11-23T23:59:59.999Z');
    expect(parseInstant('2026-11-23T10:00:00+02:00', 'end')?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });

  it('refuses impossible dates and times without a zone', () => {
    expect(parseInstant('2026-02-30', 'end')).toBeUndefined();
    expect(parseInstant('2026-11-23T10:00:00', 'end')).toBeUndefined();
    expect(trialBalanceQuerySchema.safeParse({ asOf: 'today' }).success).toBe(false);
    expect(trialBalanceQuerySchema.parse({})).toEqual({});
  });
});

describe('cancelling a confirmed order', () => {
  const item = (sku: string, onHand: number, stockValueCents: number): StockedItem => ({
    sku,
    onHand,
    stockValueCents,
    unitCostCents: Math.round(stockValueCents / Math.max(onHand, 1)),
    unitPriceCents: 500,
    reorderPoint: 0,
    version: 1,
  });

  it('puts back exactly what the sale took out, so the item is valued as if it never happened', () => {
    const before = item('A', 3, 1000);
    const { costCents, after } = takeOut(before, 2);

    const restored = putBack(after, 2, costCents);

    expect(costCents).toBe(667);
    expect(restored).toEqual({ onHand: 3, stockValueCents: 1000, unitCostCents: 333 });
  });

  it('reverses the sale: Dr 4000 / Cr 1100 for the total and Dr 1200 / Cr 5000 for the cost', () => {
    const items = new Map([
      ['A', item('A', 5, 1000)],
      ['B', item('B', 1, 7)],
    ]);
    const sale = planFulfilment(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      items,
    );
    if (sale.outcome !== 'CONFIRMED') throw new Error('expected a confirmation');
    const lines = sale.lines.map((line, i) => ({ ...line, costCents: sale.movements[i]!.costCents }));
    const afterSale = new Map(sale.movements.map((m) => [m.sku, { ...m.before, ...m.after, version: 2 }]));

    const plan = planCancellation({ totalCents: sale.totalCents, lines }, afterSale);

    expect(plan.restocks.map((r) => [r.sku, r.after.onHand, r.after.stockValueCents])).toEqual([
      ['A', 5, 1000],
      ['B', 1, 7],
    ]);
    expect(plan.journalLines).toEqual([
      { account: '4000', debitCents: 1500, creditCents: 0 },
      { account: '1100', debitCents: 0, creditCents: 1500 },
      { account: '1200', debitCents: 407, creditCents: 0 },
      { account: '5000', debitCents: 0, creditCents: 407 },
    ]);
  });

  it('refuses an order confirmed before line costs were recorded', () => {
    expect(() =>
      planCancellation(
        { totalCents: 10, lines: [{ sku: 'A', quantity: 1, unitPriceCents: 10 }] },
        new Map([['A', item('A', 1, 5)]]),
      ),
    ).toThrow(/line costs/);
  });
});

describe('balance shards and the trial balance', () => {
  const entry = {
    entryId: 'je_01',
    postedAt: '2026-11-23T10:00:00.000Z',
    lines: [
      { account: '1100' as const, debitCents: 250, creditCents: 0 },
      { account: '4000' as const, debitCents: 0, creditCents: 200 },
      { account: '4000' as const, debitCents: 0, creditCents: 50 },
    ],
  };

  it('adds an entry to one shard with a single ADD of running totals and the posting day', () => {
    const update = balanceShardUpdate('table', entry).Update!;

    expect(update.Key).toEqual({ pk: 'LEDGER#BALANCE', sk: `SHARD#${String(shardOfEntry('je_01')).padStart(2, '0')}` });
    expect(update.UpdateExpression).toBe('SET #entity = :entity ADD #b0 :b0, #b1 :b1, #b2 :b2, #b3 :b3');
    expect(Object.values(update.ExpressionAttributeNames!).slice(1)).toEqual([
      'd1100',
      'd1100@2026-11-23',
      'c4000',
      'c4000@2026-11-23',
    ]);
    expect(update.ConditionExpression).toBeUndefined();
  });

  it('reads a shard back into running totals and per-day movements', () => {
    const state = shardState({
      pk: 'LEDGER#BALANCE',
      sk: 'SHARD#03',
      entity: 'ledgerBalanceShard',
      d1100: 250,
      c4000: 250,
      'd1100@2026-11-23': 250,
      'c4000@2026-11-23': 250,
      x: 'y',
    });

    expect(state.current.get('1100')).toEqual({ debitCents: 250n, creditCents: 0n });
    expect([...state.movements.keys()]).toEqual(['2026-11-23']);
  });

  it('spreads ids over every shard', () => {
    const used = new Set(
      Array.from({ length: 2000 }, (_, i) => shardOfEntry(`je_01KB${i.toString(36).padStart(22, '0')}`)),
    );

    expect(used.size).toBe(LEDGER_BALANCE_SHARDS);
  });

  it(
    'lists every account of the chart, ' +
      'balance = debits − credits, totals equal, ' +
      'and refuses an unbalanced ledger',
    () => {
      const tb = trialBalanceOf(addLines(emptyBalances(), entry.lines), '2026-11-23T23:59:59.999Z');

      expect(tb.accounts).toHaveLength(9);
      expect(tb.accounts.find((a) => a.code === '4000')).toEqual({
        code: '4000',
        name: 'Sales Revenue',
        debitCents: 0,
        creditCents: 250,
        balanceCents: -250,
      });
      expect([tb.totalDebitCents, tb.totalCreditCents]).toEqual([250, 250]);
      expect(() => trialBalanceOf(addLines(emptyBalances(), entry.lines.slice(0, 2)), 'x')).toThrow(/out of balance/);
    },
  );
});
