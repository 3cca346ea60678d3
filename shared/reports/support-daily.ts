import { DEFAULT_SLA_POLICY, PRIORITIES, type HistoryEntry } from '#shared/domain/desk.ts';
import { caseSubmissionSchema } from '#shared/domain/desk.ts';
import { makeDeskStore, type DeskRecord } from '#shared/data/desk.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';

/** How many SKUs `topComplaintSkus` lists at most. */
export const TOP_COMPLAINT_SKUS = 10;

const CATEGORIES = caseSubmissionSchema.shape.category.options;

/** A day's resolution or breach line, as the by-day index holds it. */
export type DayHistoryEntry = Pick<HistoryEntry, 'action' | 'at' | 'resolutionMinutes'> & { id: string };

/**
 * `support-daily` (docs/contract.md#reports), about customer cases. Opened-case figures are about the cases
 * **submitted** that UTC day; resolutions and breaches are those that **happened** that day, whenever the case was
 * submitted. Exact meanings in docs/decisions.md, "Customer support and IT".
 */
export interface SupportDaily {
  /** Cases submitted that day. */
  casesOpened: number;
  /** Distinct cases resolved that day (a case resolved, reopened and resolved again counts once). */
  casesResolved: number;
  /** SLA deadlines missed that day, per deadline (one case can miss its first-response and its resolution deadline). */
  slaBreaches: number;
  /**
   * Median minutes from submission to resolution over the cases resolved that day (their last resolution); null without
   * any.
   */
  medianResolutionMinutes: number | null;
  /** Cases submitted that day by priority, every priority listed. */
  byPriority: Record<string, number>;
  /** Cases submitted that day by category, every category listed. */
  byCategory: Record<string, number>;
  /** SKUs of the orders named by the day's complaints, by how many complaints name them (then SKU), at most ten. */
  topComplaintSkus: { sku: string; complaints: number }[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The figures of `support-daily` from the day's submitted cases and the day's resolution and breach lines. Pure: the
 * generator feeds it from the cases' by-day index partition, a test from arrays.
 */
export function supportDailyFigures(submitted: Iterable<DeskRecord>, history: Iterable<DayHistoryEntry>): SupportDaily {
  const byPriority: Record<string, number> = Object.fromEntries(PRIORITIES.map((priority) => [priority, 0]));
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((category) => [category, 0]));
  const complaintsBySku = new Map<string, number>();
  let casesOpened = 0;
  for (const record of submitted) {
    if (record.kind !== 'case') continue;
    casesOpened += 1;
    byPriority[record.priority] = (byPriority[record.priority] ?? 0) + 1;
    byCategory[record.category] = (byCategory[record.category] ?? 0) + 1;
    if (record.category === 'complaint') {
      for (const sku of new Set(record.orderSkus ?? [])) complaintsBySku.set(sku, (complaintsBySku.get(sku) ?? 0) + 1);
    }
  }

  let slaBreaches = 0;
  const lastResolution = new Map<string, { at: string; minutes: number }>();
  for (const entry of history) {
    if (entry.action === 'sla_breached') slaBreaches += 1;
    else if (entry.action === 'resolve' && entry.resolutionMinutes !== undefined) {
      const known = lastResolution.get(entry.id);
      if (!known || known.at < entry.at)
        lastResolution.set(entry.id, { at: entry.at, minutes: entry.resolutionMinutes });
    }
  }

  const topComplaintSkus = [...complaintsBySku]
    .sort(([skuA, a], [skuB, b]) => b - a || (skuA < skuB ? -1 : 1))
    .slice(0, TOP_COMPLAINT_SKUS)
    .map(([sku, complaints]) => ({ sku, complaints }));

  return {
    casesOpened,
    casesResolved: lastResolution.size,
    slaBreaches,
    medianResolutionMinutes: median([...lastResolution.values()].map((resolution) => resolution.minutes)),
    byPriority,
    byCategory,
    topComplaintSkus,
  };
}

export const supportDaily = defineReport<SupportDaily>({
  type: 'support-daily',
  readers: ['support', 'ops'],
  description:
    "The day's cases opened and resolved, SLA breaches, median resolution time, and the SKUs complained about.",
  async generate(period, deps) {
    // One partition (gsi3 `CASE#DAY#<period>`): the cases submitted that day plus that day's resolution and breach
    // lines.
    const day = await makeDeskStore({ ...deps, policy: DEFAULT_SLA_POLICY }).dayEntries('case', period);
    return supportDailyFigures(day.submitted, day.history);
  },
  toCsv: reportCsv,
});
