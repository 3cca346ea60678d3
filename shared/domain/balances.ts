import { ACCOUNTS, type AccountCode, type JournalLine } from '#shared/domain/ledger.ts';
import { toSafeNumber } from '#shared/domain/money.ts';

/**
 * Account balances as sums of debit and credit lines, in BigInt so that adding up any number of entries never
 * rounds. Pure: the ledger's balance shards, its daily closings and the trial balance are all built from these.
 */
export interface AccountTotals {
  debitCents: bigint;
  creditCents: bigint;
}

export type Balances = Map<AccountCode, AccountTotals>;

export const ACCOUNT_CODES = Object.keys(ACCOUNTS) as AccountCode[];

export function isAccountCode(value: string): value is AccountCode {
  return Object.prototype.hasOwnProperty.call(ACCOUNTS, value);
}

export function emptyBalances(): Balances {
  return new Map();
}

/** Adds `sign ×` an amount to one side of one account. */
export function addTo(
  balances: Balances,
  account: AccountCode,
  side: 'debit' | 'credit',
  cents: bigint,
  sign: 1n | -1n = 1n,
): void {
  const totals = balances.get(account) ?? { debitCents: 0n, creditCents: 0n };
  if (side === 'debit') totals.debitCents += sign * cents;
  else totals.creditCents += sign * cents;
  balances.set(account, totals);
}

/** Adds (or with `sign = -1n` takes away) some journal lines. */
export function addLines(balances: Balances, lines: readonly JournalLine[], sign: 1n | -1n = 1n): Balances {
  for (const line of lines) {
    if (line.debitCents !== 0) addTo(balances, line.account, 'debit', BigInt(line.debitCents), sign);
    if (line.creditCents !== 0) addTo(balances, line.account, 'credit', BigInt(line.creditCents), sign);
  }
  return balances;
}

/** `into += sign × other`, account by account. */
export function addBalances(into: Balances, other: Balances, sign: 1n | -1n = 1n): Balances {
  for (const [account, totals] of other) {
    addTo(into, account, 'debit', totals.debitCents, sign);
    addTo(into, account, 'credit', totals.creditCents, sign);
  }
  return into;
}

/** The debit and credit sums each account gets from some lines, netted per account and side (one shard update). */
export function entryTotals(lines: readonly JournalLine[]): Balances {
  return addLines(emptyBalances(), lines);
}

/** Balances as stored (numbers of cents), refusing anything JavaScript cannot hold exactly. */
export type StoredBalances = Partial<Record<AccountCode, { debitCents: number; creditCents: number }>>;

export function toStored(balances: Balances): StoredBalances {
  const stored: StoredBalances = {};
  for (const code of ACCOUNT_CODES) {
    const totals = balances.get(code);
    if (!totals || (totals.debitCents === 0n && totals.creditCents === 0n)) continue;
    stored[code] = {
      debitCents: toSafeNumber(totals.debitCents, `${code} debits`),
      creditCents: toSafeNumber(totals.creditCents, `${code} credits`),
    };
  }
  return stored;
}

export function fromStored(stored: StoredBalances): Balances {
  const balances = emptyBalances();
  for (const [code, totals] of Object.entries(stored)) {
    if (!isAccountCode(code) || !totals) continue;
    balances.set(code, { debitCents: BigInt(totals.debitCents), creditCents: BigInt(totals.creditCents) });
  }
  return balances;
}

export interface TrialBalanceLine {
  code: AccountCode;
  name: string;
  debitCents: number;
  creditCents: number;
  balanceCents: number;
}

/**
 * `GET /v1/ledger/trial-balance` (docs/contract.md#accounting): every account of the chart, in code order, and the two
 * totals.
 */
export interface TrialBalance {
  asOf: string;
  accounts: TrialBalanceLine[];
  totalDebitCents: number;
  totalCreditCents: number;
}

/**
 * The trial balance of some balances: every account of the chart (zeros included, so the shape never changes),
 * `balanceCents = debitCents − creditCents`. The totals are equal whenever the balances were built from balanced
 * entries; anything else is a broken ledger and throws rather than being shown.
 */
export function trialBalanceOf(balances: Balances, asOf: string): TrialBalance {
  let totalDebit = 0n;
  let totalCredit = 0n;
  const accounts = ACCOUNT_CODES.map((code) => {
    const totals = balances.get(code) ?? { debitCents: 0n, creditCents: 0n };
    totalDebit += totals.debitCents;
    totalCredit += totals.creditCents;
    return {
      code,
      name: ACCOUNTS[code],
      debitCents: toSafeNumber(totals.debitCents, `${code} debits`),
      creditCents: toSafeNumber(totals.creditCents, `${code} credits`),
      balanceCents: toSafeNumber(totals.debitCents - totals.creditCents, `${code} balance`),
    };
  });
  if (totalDebit !== totalCredit) {
    throw new Error(`ledger out of balance as of ${asOf}: debits ${totalDebit}, credits ${totalCredit}`);
  }
  return {
    asOf,
    accounts,
    totalDebitCents: toSafeNumber(totalDebit, 'total debits'),
    totalCreditCents: toSafeNumber(totalCredit, 'total credits'),
  };
}
