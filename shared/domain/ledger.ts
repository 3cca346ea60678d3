import { sumCents } from '#shared/domain/money.ts';

/** The chart of accounts (docs/contract.md#accounting). */
export const ACCOUNTS = {
  '1000': 'Cash',
  '1100': 'Accounts Receivable',
  '1200': 'Inventory',
  '2000': 'Accounts Payable',
  '3000': 'Opening Balance Equity',
  '4000': 'Sales Revenue',
  '5000': 'Cost of Goods Sold',
  '5100': 'Inventory Adjustments',
  '6000': 'Salaries Expense',
} as const;

export type AccountCode = keyof typeof ACCOUNTS;

export const ACCOUNT = {
  cash: '1000',
  accountsReceivable: '1100',
  inventory: '1200',
  accountsPayable: '2000',
  openingBalanceEquity: '3000',
  salesRevenue: '4000',
  costOfGoodsSold: '5000',
  inventoryAdjustments: '5100',
  salariesExpense: '6000',
} as const satisfies Record<string, AccountCode>;

export interface JournalLine {
  account: AccountCode;
  debitCents: number;
  creditCents: number;
}

/** One movement of `amountCents` from the credited account to the debited one. */
export interface Posting {
  debit: AccountCode;
  credit: AccountCode;
  amountCents: number;
}

export class UnbalancedEntryError extends Error {
  override name = 'UnbalancedEntryError';
}

/**
 * The journal lines of a set of postings: a debit line and a credit line for each, zero-amount postings left out
 * (a free item sells for 0 and must not leave a 0/0 line). Amounts must be non-negative integers.
 */
export function linesOf(postings: readonly Posting[]): JournalLine[] {
  const lines: JournalLine[] = [];
  for (const posting of postings) {
    if (!Number.isSafeInteger(posting.amountCents) || posting.amountCents < 0) {
      throw new RangeError(`posting amount must be a non-negative integer, got ${posting.amountCents}`);
    }
    if (posting.amountCents === 0) continue;
    lines.push({ account: posting.debit, debitCents: posting.amountCents, creditCents: 0 });
    lines.push({ account: posting.credit, debitCents: 0, creditCents: posting.amountCents });
  }
  assertBalanced(lines);
  return lines;
}

/** Total debits and credits of some lines. */
export function totals(lines: readonly JournalLine[]): { debitCents: number; creditCents: number } {
  return {
    debitCents: sumCents(lines.map((l) => l.debitCents)),
    creditCents: sumCents(lines.map((l) => l.creditCents)),
  };
}

/** Refuses lines whose debits and credits differ, or that name an account outside the chart. */
export function assertBalanced(lines: readonly JournalLine[]): void {
  for (const line of lines) {
    if (!(line.account in ACCOUNTS)) throw new UnbalancedEntryError(`unknown account ${line.account}`);
  }
  const { debitCents, creditCents } = totals(lines);
  if (debitCents !== creditCents) {
    throw new UnbalancedEntryError(`entry does not balance: debits ${debitCents}, credits ${creditCents}`);
  }
}

/** The net debit balance (debits − credits) each account gets from some lines. */
export function netByAccount(lines: readonly JournalLine[]): Map<AccountCode, number> {
  const net = new Map<AccountCode, number>();
  for (const line of lines) net.set(line.account, (net.get(line.account) ?? 0) + line.debitCents - line.creditCents);
  return net;
}
