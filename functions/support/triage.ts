import { queues } from '#shared/manifest.ts';
import { sqsProcessor } from '#shared/queue/processor.ts';
import { systemActor } from '#shared/data/audit.ts';
import { SUBMITTED_MESSAGE, slaPolicyFromEnv, type DeskKind } from '#shared/domain/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';
import { WORK_KINDS } from '#shared/queue/work-metrics.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });
const actor = systemActor('support-triage');
const kindOf = new Map<string, DeskKind>(Object.entries(SUBMITTED_MESSAGE).map(([kind, type]) => [type, kind as DeskKind]));

/**
 * Processor of the `support` queue: triages new customer cases and IT tickets (`OPEN`, tier 1, SLA deadlines from
 * the priority). A redelivered message finds the record triaged and changes nothing.
 */
export const handler = sqsProcessor(
  { kind: WORK_KINDS.support, maxReceiveCount: queues.find((queue) => queue.name === 'support')!.maxReceiveCount },
  async (message) => {
    const kind = kindOf.get(message.type);
    if (!kind) throw new Error(`Unknown message type ${message.type} on the support queue`);
    const outcome = await desk.triage(kind, message.id, actor);
    if (outcome.status === undefined) logger.error('queued record does not exist; message dropped', { kind, id: message.id });
    else logger.info('record triaged', { ...outcome });
  },
);
