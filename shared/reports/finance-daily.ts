import { toSafeNumber } from '#shared/domain/money.ts';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import type { Invoice } from '#shared/data/invoices.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import type { TrialBalance } from '#shared/domain/balances.ts';
import { trialBalance } from '#shared/services/ledger.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';
import { daysBetween, endOfDay } from '#shared/reports/period.ts';
import { RECEIVABLE_STATUSES, receivablesSince, type ReceivableChange } from '#shared/reports/receivables.ts';

export { RECEIVABLE_STATUSES } from '#shared/reports/receivables.ts';

/** AR aging buckets by days past the due date (docs/contract.md#reports), in the order they are reported. */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The bucket of an invoice due on `dueDate`, aged at the end of `period`: due that day or later is `current`. */
export function agingBucket(dueDate: string, period: string): AgingBucket {
  const overdue = daysBetween(dueDate, period);
  if (overdue <= 0) return 'current';
  if (overdue <= 30) return '1-30';
  if (overdue <= 60) return '31-60';
  if (overdue <= 90) return '61-90';
  return '90+';
}

export interface ArAging {
  /** Open balance of the invoices issued by the end of the period, as it stood at that end, by bucket. */
  arAgingCents: Record<AgingBucket, number>;
  /** The sum of the buckets: 1100 Accounts Receivable at the end of the period, but for manual entries on 1100. */
  arTotalCents: number;
  /** How many invoices the buckets hold. */
  arOpenInvoices: number;
}

/**
 * AR aging at the end of `period`. Each invoice's balance then is its balance in the snapshot given (`totalCents −
 * paidCents` while `OPEN` or `PARTIALLY_PAID`, else 0) plus the receivable credits of the `changesAfter` the period
 * that the snapshot already shows (posted after the period's end and at or before the snapshot's `updatedAt`):
 * undoing the payments and cancellations posted since gives back the balance at the end of the day, whichever
 * moment the snapshot was read at. Invoices issued after the period are left out. Pure.
 */
export async function arAging(
  invoices: AsyncIterable<Invoice> | Iterable<Invoice>,
  period: string,
  changesAfter: Iterable<ReceivableChange> = [],
): Promise<ArAging> {
  const cutoff = endOfDay(period);
  const undone = new Map<string, ReceivableChange[]>();
  for (const change of changesAfter) {
    if (change.postedAt <= cutoff) continue;
    undone.set(change.invoiceId, [...(undone.get(change.invoiceId) ?? []), change]);
  }
  const buckets = Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0n])) as Record<AgingBucket, bigint>;
  let count = 0;
  for await (const invoice of invoices) {
    if (invoice.issuedAt > cutoff) continue;
    let open = BigInt(RECEIVABLE_STATUSES.includes(invoice.status) ? invoice.totalCents - invoice.paidCents : 0);
    for (const change of undone.get(invoice.invoiceId) ?? [])
      if (change.postedAt <= invoice.updatedAt) open += BigInt(change.creditCents);
    if (open <= 0n) continue;
    buckets[agingBucket(invoice.dueDate, period)] += open;
    count += 1;
  }
  const arAgingCents = Object.fromEntries(AGING_BUCKETS.map((b) => [b, toSafeNumber(buckets[b], `AR ${b}`)])) as Record<
    AgingBucket,
    number
  >;
  const total = AGING_BUCKETS.reduce((sum, b) => sum + buckets[b], 0n);
  return { arAgingCents, arTotalCents: toSafeNumber(total, 'AR total'), arOpenInvoices: count };
}

/**
 * Cash received from customers in some entries: the Dr 1000 Cash lines of payment entries
 * (docs/contract.md#accounting). Pure.
 */
export async function cashReceived(entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>): Promise<number> {
  let cash = 0n;
  for await (const entry of entries) {
    if (entry.source.type !== 'payment') continue;
    for (const line of entry.lines) if (line.account === ACCOUNT.cash) cash += BigInt(line.debitCents);
  }
  return toSafeNumber(cash, 'cash received');
}

/**
 * `finance-daily` (docs/contract.md#reports): the trial balance at the end of the day, AR aging at the end of the day,
 * and the cash customers paid that day.
 */
export interface FinanceDaily extends ArAging {
  currency: string;
  /** Every account's debits, credits and balance at the end of the day, from the ledger's daily closing. */
  trialBalance: TrialBalance;
  cashReceivedCents: number;
}

export const financeDaily = defineReport<FinanceDaily>({
  type: 'finance-daily',
  readers: ['accounting', 'ops'],
  description: 'Trial balance and AR aging at the end of the day, and cash received that day.',
  async generate(period, deps) {
    const journal = makeJournal(deps);
    const [balances, aging, cashReceivedCents] = await Promise.all([
      trialBalance(deps, new Date(endOfDay(period))),
      receivablesSince(period, deps).then(({ invoices, changes }) => arAging(invoices, period, changes)),
      cashReceived(journal.byDay.all({ day: period })),
    ]);
    return { currency: deps.currency, trialBalance: balances, ...aging, cashReceivedCents };
  },
  toCsv: reportCsv,
});
