import * as z from 'zod';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * A report period (docs/contract.md#reports): one UTC day `YYYY-MM-DD`, a real date, not after today (UTC) as `now`
 * sees it. Today is allowed: run on demand, it reports the day so far.
 */
export function periodSchema(now: () => Date = () => new Date()) {
  return z
    .string()
    .refine(isCalendarDay, 'Must be a UTC day written YYYY-MM-DD')
    .refine((day) => !isCalendarDay(day) || day <= now().toISOString().slice(0, 10), 'Must not be in the future');
}

/** The UTC day before the instant `at`: what the 00:15 schedule reports on. */
export function previousDay(at: Date): string {
  return new Date(at.getTime() - MS_PER_DAY).toISOString().slice(0, 10);
}

/** The UTC day `days` after `day` (negative for before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The last millisecond of a UTC day: a bare date as `asOf` means that whole day (docs/contract.md#conventions). */
export function endOfDay(day: string): string {
  return `${day}T23:59:59.999Z`;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / MS_PER_DAY);
}
