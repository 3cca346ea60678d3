import * as z from 'zod';
import type { PayrollLine } from '#shared/domain/payroll.ts';
import { payPeriodSchema } from '#shared/domain/payroll.ts';
import type { PayrollRun } from '#shared/data/payroll.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';

/** `{period}` of `GET /v1/hr/payroll-runs/{period}`: a calendar month `YYYY-MM`, not after the current one. */
export function payrollRunPathSchema(now: () => Date = () => new Date()) {
  return z.object({ period: payPeriodSchema(now) });
}

/** `?limit&cursor` of `GET /v1/hr/payroll-runs`. */
export const payrollRunListQuerySchema = pageQuerySchema;

/** Where a run is read: the `Location` of a request's answer. */
export const payrollRunLocation = (period: string): string => `/v1/hr/payroll-runs/${period}`;

/** An entry of `GET /v1/hr/payroll-runs`: the run without its lines. */
export function payrollRunSummaryView(run: PayrollRun) {
  return {
    period: run.period,
    status: run.status,
    totalCents: run.totalCents ?? 0,
    lineCount: run.lineCount ?? 0,
    requestedAt: run.requestedAt,
    ...(run.completedAt !== undefined ? { completedAt: run.completedAt } : {}),
    ...(run.journalEntryId !== undefined ? { journalEntryId: run.journalEntryId } : {}),
  };
}

/**
 * `GET /v1/hr/payroll-runs/{period}` (docs/contract.md#hr): the run with a line per employee paid; a `PENDING` run has
 * no lines yet and a total of 0.
 */
export function payrollRunView(run: PayrollRun, lines: readonly PayrollLine[]) {
  return {
    period: run.period,
    status: run.status,
    totalCents: run.totalCents ?? 0,
    lines: lines.map((line) => ({
      employeeId: line.employeeId,
      department: line.department,
      days: line.days,
      grossCents: line.grossCents,
    })),
    requestedAt: run.requestedAt,
    ...(run.completedAt !== undefined ? { completedAt: run.completedAt } : {}),
    ...(run.journalEntryId !== undefined ? { journalEntryId: run.journalEntryId } : {}),
  };
}
