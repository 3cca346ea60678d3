import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '#shared/manifest.ts';
import type { PeriodKind } from '#shared/reports/period.ts';

/** What a report generator may use: the table (read only, by access pattern), the clock and the currency. */
export interface ReportDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  currency: string;
  now: () => Date;
}

/** The fields every stored report starts with (docs/contract.md#reports). */
export interface ReportHeader {
  type: string;
  /** The UTC day reported on, `YYYY-MM-DD`, or the month `YYYY-MM` of a monthly type. */
  period: string;
  /** When generation started; every record written before then is in the report. */
  generatedAt: string;
}

export type Report<B extends object = Record<string, unknown>> = ReportHeader & B;

/** One report type: who may run and read it, how its body is computed, how it is written as CSV. */
export interface ReportDefinition<B extends object> {
  type: string;
  /** Roles that may run and read it, besides `admin` (docs/contract.md#reports). */
  readers: readonly Role[];
  /** One line on what it reports, for logs and docs. */
  description: string;
  /** What one period is: a UTC day `YYYY-MM-DD` (the default) or a calendar month `YYYY-MM`. */
  periodKind?: PeriodKind;
  /**
   * The report's figures for one period (a UTC day, or a month for a monthly type). It must read only through access
   * patterns bounded by the period or by the current working set (open invoices, low stock, the staff), never the
   * table's history: no Scan (docs/contract.md#reports).
   */
  generate(period: string, deps: ReportDeps): Promise<B>;
  /** The stored report (header and body) as CSV; `reportCsv` from `#shared/reports/csv.ts` fits most shapes. */
  toCsv(report: Report<B>): string;
}

/** A definition with its body type erased, as the registry holds it. */
export interface RegisteredReport {
  type: string;
  readers: readonly Role[];
  description: string;
  periodKind: PeriodKind;
  generate(period: string, deps: ReportDeps): Promise<Record<string, unknown>>;
  toCsv(report: Report): string;
}

/**
 * Declares a report type. The body type is checked here, where generator and CSV writer meet; the registry holds
 * the erased form, and a stored body is only ever handed back to the `toCsv` of the type that generated it.
 */
export function defineReport<B extends object>(definition: ReportDefinition<B>): RegisteredReport {
  return {
    type: definition.type,
    readers: definition.readers,
    description: definition.description,
    periodKind: definition.periodKind ?? 'day',
    generate: async (period, deps) => (await definition.generate(period, deps)) as Record<string, unknown>,
    toCsv: (report) => definition.toCsv(report as unknown as Report<B>),
  };
}
