import { InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { makeReportStore, reportOf } from '#shared/data/reports.ts';
import type { RegisteredReport, Report, ReportDeps } from '#shared/reports/definition.ts';
import { reportDefinition } from '#shared/reports/registry.ts';
import { isPeriodOf } from '#shared/reports/period.ts';
import type { ServiceDeps } from '#shared/services/write.ts';

export interface GeneratedReport {
  report: Report;
  /** False when a generation that started later had already been stored (this one was dropped). */
  stored: boolean;
}

const HEADER_FIELDS = ['type', 'period', 'generatedAt'];

/**
 * Report use cases (docs/contract.md#reports), one mechanism for every type in `#shared/reports/registry.ts`: generate
 * a type for a UTC day and store it over the previous generation; read it back as JSON or as that type's CSV.
 */
export function makeReportService({
  doc,
  tableName,
  currency,
  now = () => new Date(),
}: ServiceDeps & { currency: string }) {
  const store = makeReportStore({ doc, tableName });
  const deps: ReportDeps = { doc, tableName, currency, now };

  function definitionOf(type: string): RegisteredReport {
    const definition = reportDefinition(type);
    if (!definition) throw new NotFoundError(`There is no report type ${type}.`);
    return definition;
  }

  /**
   * Generates the report of `type` for `period` (a UTC day, or a month for a monthly type) and stores it.
   * `generatedAt` is taken before anything is read, so a later generation always carries a later time and everything
   * written before it is included.
   */
  async function generateReport(type: string, period: string): Promise<GeneratedReport> {
    const definition = definitionOf(type);
    if (!isPeriodOf(definition.periodKind, period)) {
      const expected = definition.periodKind === 'month' ? 'a month YYYY-MM' : 'a UTC day YYYY-MM-DD';
      throw new InvalidInputError(`Report period ${period} is not ${expected}.`);
    }
    const generatedAt = now().toISOString();
    const body = await definition.generate(period, deps);
    const clash = HEADER_FIELDS.filter((field) => field in body);
    if (clash.length > 0) throw new Error(`Report ${type} must not set ${clash.join(', ')} in its body`);
    const stored = await store.putReport({ reportType: type, period, generatedAt, body });
    return { report: { type, period, generatedAt, ...body }, stored };
  }

  /** The stored report of a type and period; `NotFoundError` until it has been generated. */
  async function getReport(type: string, period: string): Promise<Report> {
    definitionOf(type);
    const stored = await store.getReport(type, period);
    if (!stored) {
      throw new NotFoundError(
        `The ${type} report for ${period} has not been generated yet; POST /v1/reports/${type}/${period}/run.`,
      );
    }
    return reportOf(stored);
  }

  /** A report as CSV, written by its own type's definition. */
  function reportCsv(report: Report): string {
    return definitionOf(report.type).toCsv(report);
  }

  return { generateReport, getReport, reportCsv };
}

export type ReportService = ReturnType<typeof makeReportService>;
