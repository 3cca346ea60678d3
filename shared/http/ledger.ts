import * as z from 'zod';
import type { JournalEntry } from '#shared/data/journal.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * The instant a query's date or time names (README, Routes: `?from&to`, `?asOf=`): a bare date is its day's first
 * or last millisecond.
 */
export function parseInstant(value: string, edge: 'start' | 'end'): Date | undefined {
  if (BARE_DATE.test(value)) {
    const start = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) return undefined;
    return edge === 'start' ? start : new Date(start.getTime() + MS_PER_DAY - 1);
  }
  if (!TIMESTAMP.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * A query parameter that is a UTC day `YYYY-MM-DD` or an ISO 8601 time with a zone, as an instant (the ledger's
 * `?from&to&asOf`, the audit trail's `?from&to`).
 */
export function instant(edge: 'start' | 'end') {
  return z.string().transform((value, ctx) => {
    const at = parseInstant(value, edge);
    if (!at) {
      ctx.addIssue({
        code: 'custom',
        message: 'Must be a date YYYY-MM-DD or an ISO 8601 time such as 2026-11-23T10:00:00Z',
      });
      return z.NEVER;
    }
    return at;
  });
}

/** Most UTC days one `GET /v1/ledger/entries` range may span. */
export const MAX_LEDGER_RANGE_DAYS = 366;

/** `GET /v1/ledger/entries?from&to` (both required; bare dates mean whole days), paged. */
export const ledgerEntriesQuerySchema = pageQuerySchema
  .extend({ from: instant('start'), to: instant('end') })
  .superRefine((query, ctx) => {
    if (query.to.getTime() < query.from.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must not be before from' });
      return;
    }
    const days = Math.floor(query.to.getTime() / MS_PER_DAY) - Math.floor(query.from.getTime() / MS_PER_DAY) + 1;
    if (days > MAX_LEDGER_RANGE_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `The range may span at most ${MAX_LEDGER_RANGE_DAYS} days`,
      });
    }
  });

/** `GET /v1/ledger/trial-balance?asOf=`: a day (its end) or an instant; now when omitted. */
export const trialBalanceQuerySchema = z.object({ asOf: instant('end').optional() });

/**
 * An entry as `GET /v1/ledger/entries` and `POST /v1/ledger/entries` show it (README, Routes); its amounts are in
 * `currency`, the deployment's `CURRENCY`.
 */
export function journalEntryView(entry: JournalEntry, currency: string) {
  return {
    entryId: entry.entryId,
    postedAt: entry.postedAt,
    memo: entry.memo,
    currency,
    source: { type: entry.source.type, id: entry.source.id },
    lines: entry.lines.map((line) => ({
      account: line.account,
      debitCents: line.debitCents,
      creditCents: line.creditCents,
    })),
  };
}
