import * as z from 'zod';

/**
 * How long the table keeps each kind of record (docs/decisions.md#retention). Records the books or the law require
 * (the journal, invoices, audit events) are kept `booksYears` / `auditYears` full calendar years after the year they
 * were written in, then DynamoDB TTL removes them; transient records expire sooner (their own modules say when).
 */
export interface RetentionPolicy {
  /** Journal entries and invoices: years kept after the end of the calendar year of the record. */
  booksYears: number;
  /** Audit events: years kept after the end of the calendar year of the event. */
  auditYears: number;
}

/** Ten years after the end of the year: the longest statutory period for books and vouchers we serve (HGB §257). */
export const DEFAULT_RETENTION: RetentionPolicy = { booksYears: 10, auditYears: 10 };

const yearsSchema = z.coerce.number().int().min(1).max(100);

/**
 * The policy from `RETENTION_BOOKS_YEARS` and `RETENTION_AUDIT_YEARS` (whole years, 1–100; unset keeps the default),
 * read once at cold start: a malformed value fails the function's first invocation, not a write half-way through.
 */
export function retentionFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  const years = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = yearsSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${name} must be a whole number of years from 1 to 100`);
    return parsed.data;
  };
  return {
    booksYears: years('RETENTION_BOOKS_YEARS', DEFAULT_RETENTION.booksYears),
    auditYears: years('RETENTION_AUDIT_YEARS', DEFAULT_RETENTION.auditYears),
  };
}

/**
 * The TTL value (epoch seconds) of a record written at `at` and kept `years` full calendar years after the end of
 * its year: an event of 2026-03-05 kept 10 years expires at 2037-01-01T00:00:00Z.
 */
export function retainedUntil(at: string, years: number): number {
  const year = new Date(at).getUTCFullYear();
  return Date.UTC(year + 1 + years, 0, 1) / 1000;
}

/** The TTL value (epoch seconds) `seconds` after the instant `at`: transient records. */
export function expiresAfter(at: string, seconds: number): number {
  return Math.floor(Date.parse(at) / 1000) + seconds;
}
