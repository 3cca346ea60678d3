import { toSafeNumber } from '#shared/domain/money.ts';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import { INVOICE_TERMS_DAYS } from '#shared/domain/orders.ts';
import { makeInvoiceStore, type Invoice, type InvoiceStatus } from '#shared/data/invoices.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import type { TrialBalance } from '#shared/domain/balances.ts';
import { trialBalance } from '#shared/services/ledger.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';
import { addDays, daysBetween, endOfDay } from '#shared/reports/period.ts';

/** AR aging buckets by days past the due date (SPEC §4.8), in the order they are reported. */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** Invoices that still have a balance to collect. */
export const RECEIVABLE_STATUSES: readonly InvoiceStatus[] = ['OPEN', 'PARTIALLY_PAID'];

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
  /** Open balance (`totalCents − paidCents`) of the receivable invoices issued by the end of the period, by bucket. */
  arAgingCents: Record<AgingBucket, number>;
  /** The sum of the buckets. */
  arTotalCents: number;
  /** How many invoices the buckets hold. */
  arOpenInvoices: number;
}

/** AR aging at the end of `period` from the receivable invoices, consumed as they are read. Pure. */
export async function arAging(invoices: AsyncIterable<Invoice> | Iterable<Invoice>, period: string): Promise<ArAging> {
  const cutoff = endOfDay(period);
  const buckets = Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0n])) as Record<AgingBucket, bigint>;
  let count = 0;
  for await (const invoice of invoices) {
    if (!RECEIVABLE_STATUSES.includes(invoice.status) || invoice.issuedAt > cutoff) continue;
    const open = invoice.totalCents - invoice.paidCents;
    if (open <= 0) continue;
    buckets[agingBucket(invoice.dueDate, period)] += BigInt(open);
    count += 1;
  }
  const arAgingCents = Object.fromEntries(AGING_BUCKETS.map((b) => [b, toSafeNumber(buckets[b], `AR ${b}`)])) as Record<AgingBucket, number>;
  const total = AGING_BUCKETS.reduce((sum, b) => sum + buckets[b], 0n);
  return { arAgingCents, arTotalCents: toSafeNumber(total, 'AR total'), arOpenInvoices: count };
}

/** Cash received from customers in some entries: the Dr 1000 Cash lines of payment entries (SPEC §4.2). Pure. */
export async function cashReceived(entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>): Promise<number> {
  let cash = 0n;
  for await (const entry of entries) {
    if (entry.source.type !== 'payment') continue;
    for (const line of entry.lines) if (line.account === ACCOUNT.cash) cash += BigInt(line.debitCents);
  }
  return toSafeNumber(cash, 'cash received');
}

/**
 * `finance-daily` (SPEC §4.8): the trial balance at the end of the day, AR aging at the end of the day, and the cash
 * customers paid that day.
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
    const invoices = makeInvoiceStore(deps);
    const journal = makeJournal(deps);
    // An invoice issued by the end of the period is due by period + terms: the key condition stops there.
    const dueBefore = addDays(period, INVOICE_TERMS_DAYS + 1);
    async function* receivables(): AsyncGenerator<Invoice> {
      for (const status of RECEIVABLE_STATUSES) yield* invoices.invoicesByStatus(status, { dueBefore });
    }
    const [balances, aging, cashReceivedCents] = await Promise.all([
      trialBalance(deps, new Date(endOfDay(period))),
      arAging(receivables(), period),
      cashReceived(journal.journalEntriesByDay(period)),
    ]);
    return { currency: deps.currency, trialBalance: balances, ...aging, cashReceivedCents };
  },
  toCsv: reportCsv,
});
