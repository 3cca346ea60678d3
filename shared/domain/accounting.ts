import * as z from 'zod';
import { ACCOUNTS, type AccountCode } from '#shared/domain/ledger.ts';
import { isAccountCode } from '#shared/domain/balances.ts';
import { pageQuerySchema } from '#shared/data/pagination.ts';

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The instant a query's date or time names (SPEC §3): a bare date is its day's first or last millisecond. */
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

/** A query parameter that is a UTC day `YYYY-MM-DD` or an ISO 8601 time with a zone, as an instant. */
function instant(edge: 'start' | 'end') {
  return z.string().transform((value, ctx) => {
    const at = parseInstant(value, edge);
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'Must be a date YYYY-MM-DD or an ISO 8601 time such as 2026-11-23T10:00:00Z' });
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
      ctx.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${MAX_LEDGER_RANGE_DAYS} days` });
    }
  });

/** `GET /v1/ledger/trial-balance?asOf=`: a day (its end) or an instant; now when omitted. */
export const trialBalanceQuerySchema = z.object({ asOf: instant('end').optional() });

/** Largest amount on one line of a manual entry; a hundred such lines still add up exactly. */
export const MAX_LINE_CENTS = 10 ** 13;
export const MAX_MANUAL_LINES = 100;

const chart = Object.keys(ACCOUNTS).join(', ');

const manualLineSchema = z.object({
  account: z.string().refine(isAccountCode, `Must be an account of the chart: ${chart}`),
  // The side a line does not use may be left out: `{"account":"1000","debitCents":500}` is a debit of 500.
  debitCents: z.number().int().min(0).max(MAX_LINE_CENTS).default(0),
  creditCents: z.number().int().min(0).max(MAX_LINE_CENTS).default(0),
});

const manualFieldsSchema = z.object({
  memo: z.string().trim().min(1).max(200),
  lines: z.array(manualLineSchema).min(2).max(MAX_MANUAL_LINES),
});

const amount = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_LINE_CENTS ? value : undefined;

/**
 * The double-entry rules of a manual entry, read from the raw input beside the field schema (an intersection, as
 * for an order's distinct SKUs) so every broken rule is listed in the same answer as every bad field: each line has
 * exactly one positive side (`lines.N`), and debits equal credits (`lines`) — checked when every amount is valid.
 */
const doubleEntrySchema = z.unknown().transform((input, ctx) => {
  const lines = (input as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return {};
  let debits = 0n;
  let credits = 0n;
  let allValid = true;
  lines.forEach((line: unknown, index) => {
    const debit = amount((line as { debitCents?: unknown } | null)?.debitCents ?? 0);
    const credit = amount((line as { creditCents?: unknown } | null)?.creditCents ?? 0);
    if (debit === undefined || credit === undefined) {
      allValid = false;
      return;
    }
    if ((debit > 0) === (credit > 0)) {
      ctx.addIssue({ code: 'custom', path: ['lines', index], message: 'Exactly one of debitCents and creditCents must be positive' });
    }
    debits += BigInt(debit);
    credits += BigInt(credit);
  });
  if (allValid && lines.length > 0 && debits !== credits) {
    ctx.addIssue({ code: 'custom', path: ['lines'], message: `The entry does not balance: debits ${debits}, credits ${credits}` });
  }
  return {};
});

/** `POST /v1/ledger/entries` (SPEC §4.2): a manual journal entry, at least two lines, balanced, known accounts. */
export const manualEntrySchema = manualFieldsSchema.and(doubleEntrySchema);
export type ManualEntry = {
  memo: string;
  lines: { account: AccountCode; debitCents: number; creditCents: number }[];
};
