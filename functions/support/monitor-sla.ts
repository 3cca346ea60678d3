import type { Context } from 'aws-lambda';
import { systemActor } from '#shared/data/audit.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import { makeDeskService, type MonitorOutcome } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger, metrics, MetricUnit } from '#shared/platform/observability.ts';
import { scheduledTime } from '#shared/platform/schedule.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });
const actor = systemActor('sla-monitor');

/**
 * Schedule `sla-monitor` (every 5 minutes): reads only the cases and tickets due in the sparse due-time index,
 * triages what was never triaged, marks SLA breaches (escalating to tier 2 once) and closes work resolved 7 days
 * ago. Running it twice changes nothing more.
 */
export async function handler(event: unknown, context?: Context): Promise<MonitorOutcome> {
  if (context) logger.addContext(context);
  try {
    const outcome = await desk.runMonitor(scheduledTime(event), actor);
    metrics.addMetric('SlaBreaches', MetricUnit.Count, outcome.breached);
    metrics.addMetric('SlaEscalations', MetricUnit.Count, outcome.escalated);
    metrics.addMetric('DeskRecordsClosed', MetricUnit.Count, outcome.closed);
    logger.info('SLA monitor finished', { ...outcome });
    return outcome;
  } finally {
    metrics.publishStoredMetrics();
  }
}
