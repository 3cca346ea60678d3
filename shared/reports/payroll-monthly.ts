import { sumCents } from '#shared/domain/money.ts';
import { monthBounds, monthlyHeadcount, type PayrollLine, type PayrollRunStatus } from '#shared/domain/payroll.ts';
import { makeEmployeeStore } from '#shared/data/employees.ts';
import { makePayrollStore } from '#shared/data/payroll.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';

/**
 * `payroll-monthly` (docs/contract.md#reports): a calendar month's headcount, hires and leavers, from the staff and the
 * leavers since the month began, and its gross pay from the month's completed payroll run.
 */
export interface PayrollMonthly {
  currency: string;
  /** Employed on the month's last day. */
  headcount: number;
  /** Employees whose `startDate` is in the month. */
  hires: number;
  /** Employees whose `lastDay` is in the month. */
  leavers: number;
  /** The month's run: `COMPLETED`, `PENDING` (requested, not paid yet) or `MISSING` (never requested). */
  payrollStatus: PayrollRunStatus | 'MISSING';
  /** The completed run's total; `null` while the run is missing or pending (no pay has been posted for the month). */
  grossPayCents: number | null;
  /** The completed run's lines summed by the department each employee was in when paid, by department. */
  grossPayByDepartment: { department: string; employees: number; grossPayCents: number }[];
}

/** Gross pay by department from a run's lines, by department name. Pure. */
export function grossByDepartment(lines: readonly PayrollLine[]): PayrollMonthly['grossPayByDepartment'] {
  const byDepartment = new Map<string, number[]>();
  for (const line of lines)
    byDepartment.set(line.department, [...(byDepartment.get(line.department) ?? []), line.grossCents]);
  return [...byDepartment.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([department, amounts]) => ({ department, employees: amounts.length, grossPayCents: sumCents(amounts) }));
}

export const payrollMonthly = defineReport<PayrollMonthly>({
  type: 'payroll-monthly',
  readers: ['hr', 'accounting', 'ops'],
  description: 'Headcount, hires, leavers and gross pay (by department) of a calendar month.',
  periodKind: 'month',
  async generate(period, deps) {
    const employees = makeEmployeeStore(deps);
    const runs = makePayrollStore(deps);
    const [people, found] = await Promise.all([
      employees.staffAndLeaversSince(monthBounds(period).firstDay),
      runs.getRunWithLines(period),
    ]);
    const completed = found?.run.status === 'COMPLETED' ? found : undefined;
    return {
      currency: deps.currency,
      ...monthlyHeadcount(people, period),
      payrollStatus: found?.run.status ?? 'MISSING',
      grossPayCents: completed ? (completed.run.totalCents ?? 0) : null,
      grossPayByDepartment: completed ? grossByDepartment(completed.lines) : [],
    };
  },
  toCsv: reportCsv,
});
