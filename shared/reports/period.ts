import * as z from 'zod';
import { isCalendarMonth, monthBounds, monthOf } from '#shared/domain/calendar.ts';

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

/** What one period of a report type is: a UTC day `YYYY-MM-DD` or a calendar month `YYYY-MM`. */
export type PeriodKind = 'day' | 'month';

/** Whether `value` is a period of that kind, written as it should be (`2026-02-30` and `2026-13` are not). */
export function isPeriodOf(kind: PeriodKind, value: string): boolean {
  return kind === 'month' ? isCalendarMonth(value) : isCalendarDay(value);
}

/**
 * A report period of a kind, not in the future as `now` sees it: a day not after today, a month not after the current
 * one (the current month, run on demand, reports the month so far).
 */
export function reportPeriodSchema(kind: PeriodKind, now: () => Date = () => new Date()) {
  if (kind === 'day') return periodSchema(now);
  return z
    .string()
    .refine(isCalendarMonth, 'Must be a calendar month written YYYY-MM')
    .refine((month) => !isCalendarMonth(month) || month <= monthOf(now()), 'Must not be after the current month');
}

/**
 * The periods the 00:15 schedule reports on for the day `day` just ended: that day for daily types, and its month for
 * monthly types once the day is the month's last (so the run on the 1st reports the month before).
 */
export function scheduledPeriod(kind: PeriodKind, day: string): string | undefined {
  if (kind === 'day') return day;
  const month = day.slice(0, 7);
  return monthBounds(month).lastDay === day ? month : undefined;
}
