import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger, metrics, MetricUnit } from '#shared/platform/observability.ts';
import { scheduledTime } from '#shared/platform/schedule.ts';

const config = loadConfig();

const eventSchema = z.object({
  time: z.string().optional(),
  detail: z.object({ date: z.iso.date().optional() }).loose().optional(),
});

/**
 * Schedule `ledger-close` (00:05 UTC): stores the closing balances of every day not yet closed up to the day before
 * the event's `time` (normally just yesterday; after an outage, every day missed), so a past day's trial balance is
 * one read. `detail.date` (`npm run job -- ledger-close --date YYYY-MM-DD`) closes up to that day instead. Running it
 * again changes nothing.
 */
export async function handler(
  event: unknown,
  context?: Context,
): Promise<{ closed: string[]; closedThrough: string | null }> {
  if (context) logger.addContext(context);
  try {
    const parsed = eventSchema.parse(event ?? {});
    const clock = scheduledTime(parsed);
    const ledger = makeLedgerService({ doc, tableName: config.TABLE_NAME, now: () => clock });
    const outcome = await ledger.closeLedger(parsed.detail?.date ? { through: parsed.detail.date } : {});
    metrics.addMetric('LedgerDaysClosed', MetricUnit.Count, outcome.closed.length);
    if (outcome.capped) logger.warn('ledger closing stopped at its cap; the next run continues', { ...outcome });
    logger.info('ledger closed', { ...outcome });
    return { closed: outcome.closed, closedThrough: outcome.closedThrough ?? null };
  } finally {
    metrics.publishStoredMetrics();
  }
}
