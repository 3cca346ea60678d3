import { dayOf } from '#shared/keys.ts';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import { INVOICE_TERMS_DAYS } from '#shared/domain/orders.ts';
import { makeInvoiceStore, type Invoice, type InvoiceStatus } from '#shared/data/invoices.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import { makePaymentStore } from '#shared/data/payments.ts';
import { makeOrderStore } from '#shared/data/orders.ts';
import type { ReportDeps } from '#shared/reports/definition.ts';
import { addDays, endOfDay } from '#shared/reports/period.ts';

/** Invoices that still have a balance to collect. */
export const RECEIVABLE_STATUSES: readonly InvoiceStatus[] = ['OPEN', 'PARTIALLY_PAID'];

/**
 * A change of one invoice's receivable posted after some instant: the entry's net credit to 1100 Accounts
 * Receivable (a payment's amount, a cancellation's total), and when it was posted.
 */
export interface ReceivableChange {
  invoiceId: string;
  postedAt: string;
  creditCents: number;
}

/** The receivables as they stand now and the changes since the end of a day: enough to age them as at that end. */
export interface ReceivablesSince {
  /** Invoices issued by the end of the day that are open now or were changed after it, one snapshot each. */
  invoices: Invoice[];
  /** Every change of those invoices posted after the end of the day, as far as the journal shows them. */
  changes: ReceivableChange[];
}

/** How many reads run at once when walking days of the journal and looking up what their entries name. */
const PARALLEL_READS = 16;
/** How often the journal is read again when an invoice shows a change the journal did not show yet. */
const ATTEMPTS = 3;

async function inBatches<T, R>(values: readonly T[], read: (value: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < values.length; start += PARALLEL_READS) {
    results.push(...(await Promise.all(values.slice(start, start + PARALLEL_READS).map(read))));
  }
  return results;
}

/** The net credit (credits − debits) an entry's lines post to 1100 Accounts Receivable. */
function receivableCredit(entry: JournalEntry): number {
  let credit = 0;
  for (const line of entry.lines)
    if (line.account === ACCOUNT.accountsReceivable) credit += line.creditCents - line.debitCents;
  return credit;
}

/**
 * Invoices whose snapshot shows a change after `cutoff` that `changes` does not hold. Every change of an invoice
 * (a payment applied, a cancellation voiding it) writes `updatedAt` = its journal entry's `postedAt` in one
 * transaction, so a snapshot changed after the cutoff must find the entry posted at its `updatedAt`; if it does not,
 * the journal was read before that entry showed and must be read again. Pure.
 */
export function unexplainedInvoices(
  invoices: readonly Invoice[],
  changes: readonly ReceivableChange[],
  cutoff: string,
): string[] {
  const posted = new Set(changes.map((change) => `${change.invoiceId}@${change.postedAt}`));
  return invoices
    .filter((invoice) => invoice.issuedAt <= cutoff && invoice.totalCents > 0 && invoice.updatedAt > cutoff)
    .filter((invoice) => !posted.has(`${invoice.invoiceId}@${invoice.updatedAt}`))
    .map((invoice) => invoice.invoiceId);
}

/**
 * What finance-daily needs to age receivables exactly as at the end of `period`: the invoices open now that were
 * issued by then (the status index, due before period + terms + 1, as nothing issued by the period is due later),
 * then every journal entry posted since the period ended (one day partition per day since, so the nightly run reads
 * a quarter of an hour of entries), the payment or order each payment or cancellation entry names (one GetItem each),
 * and each invoice those name that is no longer open (one GetItem each). Cost therefore grows with the receivables
 * open now and the activity since the period ended, never with the history before it.
 *
 * The index is read before the journal, so an invoice that left it (paid in full, voided) had its entry posted
 * before the journal is read; an invoice snapshot showing a change the journal read missed (a posting committed
 * while the report ran) makes it read the journal again, up to three times, then fail so the report is retried.
 */
export async function receivablesSince(period: string, deps: ReportDeps): Promise<ReceivablesSince> {
  const cutoff = endOfDay(period);
  const invoices = makeInvoiceStore(deps);
  const journal = makeJournal(deps);
  const payments = makePaymentStore(deps);
  const orders = makeOrderStore(deps);
  const dueBefore = addDays(period, INVOICE_TERMS_DAYS + 1);

  async function openNow(): Promise<Map<string, Invoice>> {
    const found = new Map<string, Invoice>();
    for (const status of RECEIVABLE_STATUSES) {
      for await (const invoice of invoices.byStatus.all({ status }, { before: dueBefore })) {
        if (invoice.issuedAt > cutoff) continue;
        // An index moving an invoice between statuses may show it in both for a moment: keep the later snapshot.
        const seen = found.get(invoice.invoiceId);
        if (!seen || seen.updatedAt < invoice.updatedAt) found.set(invoice.invoiceId, invoice);
      }
    }
    return found;
  }

  async function changesSince(): Promise<ReceivableChange[]> {
    const days: string[] = [];
    for (let day = addDays(period, 1), today = dayOf(deps.now().toISOString()); day <= today; day = addDays(day, 1))
      days.push(day);
    const entries = (
      await inBatches(days, async (day) => {
        const ofDay: JournalEntry[] = [];
        for await (const entry of journal.byDay.all({ day })) ofDay.push(entry);
        return ofDay;
      })
    ).flat();
    // Sales posted after the cutoff are of invoices issued after it; manual entries name no invoice.
    const relevant = entries.filter(
      (entry) => ['payment', 'cancellation'].includes(entry.source.type) && receivableCredit(entry) !== 0,
    );
    const named = await inBatches(relevant, async (entry) =>
      entry.source.type === 'payment'
        ? (await payments.getPayment(entry.source.id))?.invoiceId
        : (await orders.getOrder(entry.source.id))?.invoiceId,
    );
    return relevant.flatMap((entry, i) => {
      const invoiceId = named[i];
      return invoiceId ? [{ invoiceId, postedAt: entry.postedAt, creditCents: receivableCredit(entry) }] : [];
    });
  }

  const open = await openNow();
  for (let attempt = 1; ; attempt++) {
    const changes = await changesSince();
    const missing = [...new Set(changes.map((change) => change.invoiceId))].filter((id) => !open.has(id));
    const fetched = (await inBatches(missing, (id) => invoices.getInvoice(id))).filter(
      (invoice): invoice is Invoice => invoice !== undefined && invoice.issuedAt <= cutoff,
    );
    const all = [...open.values(), ...fetched];
    const unexplained = unexplainedInvoices(all, changes, cutoff);
    if (unexplained.length === 0) return { invoices: all, changes };
    if (attempt >= ATTEMPTS) {
      throw new Error(
        `Invoices ${unexplained.join(', ')} changed after ${cutoff} but the journal does not show it yet`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}
