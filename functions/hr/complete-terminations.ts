import type { Context } from 'aws-lambda';
import { systemActor } from '#shared/data/audit.ts';
import { makeHrService, type TerminationsOutcome } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';
import { scheduledTime } from '#shared/platform/schedule.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });
const actor = systemActor('hr-terminations');

/**
 * Schedule `hr-terminations` (hourly, at minute 1): every `TERMINATING` employee whose last day (UTC) had ended by the
 * event's `time` becomes `TERMINATED`, and their email is freed for a rehire, in one transaction each. Reads the
 * `TERMINATING` partition only; a second run finds nothing to do.
 */
export async function handler(event: unknown, context?: Context): Promise<TerminationsOutcome> {
  if (context) logger.addContext(context);
  const outcome = await hr.runTerminations(scheduledTime(event), actor);
  logger.info('terminations completed', { ...outcome });
  return outcome;
}
