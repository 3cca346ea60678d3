import type { Role } from '#shared/manifest.ts';
import type { RegisteredReport } from '#shared/reports/definition.ts';
import { salesDaily } from '#shared/reports/sales-daily.ts';
import { financeDaily } from '#shared/reports/finance-daily.ts';
import { inventoryDaily } from '#shared/reports/inventory-daily.ts';
import { supportDaily } from '#shared/reports/support-daily.ts';
import { payrollMonthly } from '#shared/reports/payroll-monthly.ts';

/**
 * Every report type, one entry each. The run and read routes, the processor and the `daily-reports` schedule all go
 * through this list: adding a report is one module with `defineReport(...)` plus one entry here (and, if it brings a
 * new reader role, that role on the two report routes in `shared/manifest.ts`; a unit test checks they agree).
 */
export const REPORTS: readonly RegisteredReport[] = [
  salesDaily,
  financeDaily,
  supportDaily,
  inventoryDaily,
  payrollMonthly,
];

/** The registered report of a type, or undefined for a type that does not exist. */
export function reportDefinition(type: string): RegisteredReport | undefined {
  return REPORTS.find((report) => report.type === type);
}

/** Every registered report type, in registry order. */
export function reportTypes(): string[] {
  return REPORTS.map((report) => report.type);
}

/** The roles that may run or read at least one report type: what the report routes must allow, no more. */
export function reportReaderRoles(): Role[] {
  return [...new Set(REPORTS.flatMap((report) => report.readers))];
}
