import * as z from 'zod';
import { divideRoundHalfUp, sumCents, toSafeNumber } from '#shared/domain/money.ts';
import { ACCOUNT, linesOf, type JournalLine } from '#shared/domain/ledger.ts';
import type { Employee } from '#shared/domain/hr.ts';
import { isCalendarMonth, monthBounds, monthOf } from '#shared/domain/calendar.ts';

export { isCalendarMonth, monthBounds, monthOf, previousMonth } from '#shared/domain/calendar.ts';

/**
 * Payroll (docs/contract.md#hr): one run per calendar month pays every employee employed on any day of it, prorated
 * by the days employed, and posts one entry Dr 6000 Salaries Expense / Cr 1000 Cash for the total. Pure rules only;
 * `#shared/services/payroll.ts` reads and writes.
 */

/** `PENDING` from the request until the processor posts it, then `COMPLETED` (once, with its entry). */
export const PAYROLL_RUN_STATUSES = ['PENDING', 'COMPLETED'] as const;
export type PayrollRunStatus = (typeof PAYROLL_RUN_STATUSES)[number];

/**
 * A pay period: a real calendar month `YYYY-MM`, not after the current UTC month as `now` sees it (the current month
 * may be paid before it ends: its days are known in advance).
 */
export function payPeriodSchema(now: () => Date = () => new Date()) {
  return z
    .string()
    .refine(isCalendarMonth, 'Must be a calendar month written YYYY-MM')
    .refine((month) => !isCalendarMonth(month) || month <= monthOf(now()), 'Must not be after the current month');
}

/** `POST /v1/hr/payroll-runs` (docs/contract.md#hr). */
export function payrollRunRequestSchema(now: () => Date = () => new Date()) {
  return z.object({ period: payPeriodSchema(now) });
}

const MS_PER_DAY = 86_400_000;
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00.000Z`) / MS_PER_DAY;

/**
 * Days employed in the month: from max(startDate, the month's first day) to min(lastDay, the month's last day),
 * inclusive; 0 when those do not meet (started after the month, or left before it).
 */
export function daysEmployed(startDate: string, lastDay: string | undefined, period: string): number {
  const bounds = monthBounds(period);
  const from = startDate > bounds.firstDay ? startDate : bounds.firstDay;
  const to = lastDay !== undefined && lastDay < bounds.lastDay ? lastDay : bounds.lastDay;
  return Math.max(0, dayNumber(to) - dayNumber(from) + 1);
}

/**
 * Gross pay of `days` of a month of `daysInMonth` days: annualSalaryCents / 12 × days / daysInMonth, computed as one
 * exact fraction `annual × days / (12 × daysInMonth)` in BigInt and rounded half up to the cent.
 */
export function grossPayCents(annualSalaryCents: number, days: number, daysInMonth: number): number {
  if (!Number.isSafeInteger(annualSalaryCents) || annualSalaryCents < 0) {
    throw new RangeError(`annual salary must be a non-negative integer, got ${annualSalaryCents}`);
  }
  if (!Number.isInteger(days) || days < 0 || days > daysInMonth) throw new RangeError(`bad days ${days}`);
  return toSafeNumber(
    divideRoundHalfUp(BigInt(annualSalaryCents) * BigInt(days), 12n * BigInt(daysInMonth)),
    'gross pay',
  );
}

/** One employee's pay in a run: who, how many days, how much, and the department (for the monthly report). */
export interface PayrollLine {
  employeeId: string;
  department: string;
  days: number;
  grossCents: number;
}

/** What a run pays: a line per employee employed on any day of the month (by employee id), and their total. */
export interface Payroll {
  lines: PayrollLine[];
  totalCents: number;
}

/**
 * The payroll of a month from the employees read (current staff and recent leavers, possibly overlapping): each
 * employee once, paid for the days employed at the current `annualSalaryCents`; those with no day in the month are
 * left out. Lines are ordered by employee id, so two computations of the same data are identical.
 */
export function computePayroll(employees: Iterable<Employee>, period: string): Payroll {
  const { days: daysInMonth } = monthBounds(period);
  const byId = new Map<string, Employee>();
  for (const employee of employees) byId.set(employee.employeeId, employee);
  const lines: PayrollLine[] = [];
  for (const employee of [...byId.values()].sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1))) {
    const days = daysEmployed(employee.startDate, employee.lastDay, period);
    if (days === 0) continue;
    lines.push({
      employeeId: employee.employeeId,
      department: employee.department,
      days,
      grossCents: grossPayCents(employee.annualSalaryCents, days, daysInMonth),
    });
  }
  return { lines, totalCents: sumCents(lines.map((line) => line.grossCents)) };
}

/** The journal lines of a run: Dr 6000 Salaries Expense / Cr 1000 Cash for the total; none for a total of 0. */
export function payrollJournalLines(totalCents: number): JournalLine[] {
  return linesOf([{ debit: ACCOUNT.salariesExpense, credit: ACCOUNT.cash, amountCents: totalCents }]);
}

/** Monthly HR figures of employees (the `payroll-monthly` report), from the same employees a run reads. */
export interface Headcount {
  /** Employed on the month's last day. */
  headcount: number;
  /** `startDate` in the month. */
  hires: number;
  /** `lastDay` in the month. */
  leavers: number;
}

/** Headcount, hires and leavers of a month; each employee counted once. */
export function monthlyHeadcount(employees: Iterable<Employee>, period: string): Headcount {
  const { firstDay, lastDay } = monthBounds(period);
  const byId = new Map<string, Employee>();
  for (const employee of employees) byId.set(employee.employeeId, employee);
  let headcount = 0;
  let hires = 0;
  let leavers = 0;
  for (const employee of byId.values()) {
    if (employee.startDate <= lastDay && (employee.lastDay === undefined || employee.lastDay >= lastDay)) headcount++;
    if (employee.startDate >= firstDay && employee.startDate <= lastDay) hires++;
    if (employee.lastDay !== undefined && employee.lastDay >= firstDay && employee.lastDay <= lastDay) leavers++;
  }
  return { headcount, hires, leavers };
}
