/**
 * Calendar months `YYYY-MM` (UTC): a payroll run's period and a monthly report's. Pure; days (`YYYY-MM-DD`) are the
 * reports' own (`#shared/reports/period.ts`) and HR's (`calendarDaySchema`).
 */

const MONTH = /^(\d{4})-(\d{2})$/;

/** Whether `value` is a calendar month written `YYYY-MM` (month 01–12, year 1970 or later). */
export function isCalendarMonth(value: string): boolean {
  const match = MONTH.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 1970 && month >= 1 && month <= 12;
}

/** The UTC month `YYYY-MM` of an instant. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The month before `period` (`2026-01` → `2025-12`). */
export function previousMonth(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** A month's first and last day (`YYYY-MM-DD`) and how many days it has (a leap February has 29). */
export function monthBounds(period: string): { firstDay: string; lastDay: string; days: number } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { firstDay: `${period}-01`, lastDay: `${period}-${String(days).padStart(2, '0')}`, days };
}
