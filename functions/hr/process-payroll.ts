import { sqsProcessor } from '#shared/queue/processor.ts';
import { systemActor } from '#shared/data/audit.ts';
import { makePayrollService } from '#shared/services/payroll.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const payroll = makePayrollService({ doc, tableName: config.TABLE_NAME });
const actor = systemActor('payroll-processor');

/**
 * Processor of the `payroll` queue: pays the month a message names and completes its run with the journal entry, in
 * one transaction conditional on the run being `PENDING`; a redelivered message, or a run completed meanwhile, changes
 * nothing.
 */
export const handler = sqsProcessor('payroll', {
  'payroll.requested': async (message) => {
    const started = Date.now();
    const outcome = await payroll.processRun(message.id, actor);
    if (outcome.status === undefined)
      logger.error('queued payroll run does not exist; message dropped', { period: message.id });
    else logger.info('payroll processed', { ...outcome, ms: Date.now() - started });
  },
});
