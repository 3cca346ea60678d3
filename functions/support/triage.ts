import { sqsProcessor, type MessageOf } from '#shared/queue/processor.ts';
import { systemActor } from '#shared/data/audit.ts';
import { slaPolicyFromEnv, type DeskKind } from '#shared/domain/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });
const actor = systemActor('support-triage');

function triage(kind: DeskKind) {
  return async (message: MessageOf<string>): Promise<void> => {
    const outcome = await desk.triage(kind, message.id, actor);
    if (outcome.status === undefined)
      logger.error('queued record does not exist; message dropped', { kind, id: message.id });
    else logger.info('record triaged', { ...outcome });
  };
}

/**
 * Processor of the `support` queue: triages new customer cases and IT tickets (`OPEN`, tier 1, SLA deadlines from
 * the priority). A redelivered message finds the record triaged and changes nothing.
 */
export const handler = sqsProcessor('support', {
  'case.submitted': triage('case'),
  'ticket.submitted': triage('ticket'),
});
