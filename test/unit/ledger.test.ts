import { describe, expect, it } from 'vitest';
import { ACCOUNT, UnbalancedEntryError, assertBalanced, linesOf, netByAccount, totals } from '#shared/domain/ledger.ts';

describe('journal lines', () => {
  it('turns each posting into a debit and a credit line that balance', () => {
    const lines = linesOf([
      { debit: ACCOUNT.accountsReceivable, credit: ACCOUNT.salesRevenue, amountCents: 2500 },
      { debit: ACCOUNT.costOfGoodsSold, credit: ACCOUNT.inventory, amountCents: 1200 },
    ]);

    expect(lines).toEqual([
      { account: '1100', debitCents: 2500, creditCents: 0 },
      { account: '4000', debitCents: 0, creditCents: 2500 },
      { account: '5000', debitCents: 1200, creditCents: 0 },
      { account: '1200', debitCents: 0, creditCents: 1200 },
    ]);
    expect(totals(lines)).toEqual({ debitCents: 3700, creditCents: 3700 });
  });

  it('leaves out zero-amount postings', () => {
    const lines = linesOf([
      { debit: ACCOUNT.accountsReceivable, credit: ACCOUNT.salesRevenue, amountCents: 0 },
      { debit: ACCOUNT.costOfGoodsSold, credit: ACCOUNT.inventory, amountCents: 10 },
    ]);

    expect(lines.map((line) => line.account)).toEqual(['5000', '1200']);
  });

  it('refuses negative or fractional amounts', () => {
    expect(() => linesOf([{ debit: '1200', credit: '3000', amountCents: -1 }])).toThrow(RangeError);
    expect(() => linesOf([{ debit: '1200', credit: '3000', amountCents: 0.5 }])).toThrow(RangeError);
  });

  it('refuses lines that do not balance or name an unknown account', () => {
    expect(() => assertBalanced([{ account: '1200', debitCents: 5, creditCents: 0 }])).toThrow(UnbalancedEntryError);
    expect(() =>
      assertBalanced([
        { account: '9999' as '1200', debitCents: 5, creditCents: 0 },
        { account: '1200', debitCents: 0, creditCents: 5 },
      ]),
    ).toThrow(UnbalancedEntryError);
  });

  it('nets lines per account as debit minus credit', () => {
    const net = netByAccount(linesOf([{ debit: '1200', credit: '2000', amountCents: 300 }]));

    expect(net.get('1200')).toBe(300);
    expect(net.get('2000')).toBe(-300);
  });
});
