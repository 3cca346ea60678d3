import { sqsProcessor, type MessageOf } from '#shared/queue/processor.ts';
import { queueTarget, sendAfterCommit } from '#shared/queue/send.ts';
import { systemActor } from '#shared/data/audit.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import type { HrTicketPurpose } from '#shared/domain/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const supportQueue = queueTarget('support');
const hr = makeHrService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });
const actor = systemActor('hr-tickets');

function openTicket(purpose: HrTicketPurpose) {
  return async (message: MessageOf<string>): Promise<void> => {
    const outcome = await hr.openTicket(message.id, purpose, { actor, correlationId: message.correlationId });
    if (outcome.outcome === 'missing') {
      logger.error('queued employee does not exist; message dropped', { employeeId: message.id, purpose });
      return;
    }
    logger.info('employee ticket handled', { ...outcome });
    if (outcome.outcome !== 'opened') return;
    // The ticket goes to triage as a filed one does; a lost send is triaged by the SLA monitor after 5 minutes.
    await sendAfterCommit(
      sqs,
      supportQueue,
      { type: 'ticket.submitted', id: outcome.ticketId!, correlationId: message.correlationId },
      {
        log: 'employee ticket opened but not queued for triage; the SLA monitor will triage it',
        fields: { ticketId: outcome.ticketId, employeeId: message.id },
      },
    );
  };
}

/**
 * Processor of the `hr` queue: opens the IT ticket an employee is owed, exactly once — accounts and equipment on
 * `employee.hired`, revoking access by the end of the last day on `employee.terminating` — and queues it for triage.
 * A redelivered message finds the ticket recorded on the employee and changes nothing.
 */
export const handler = sqsProcessor('hr', {
  'employee.hired': openTicket('onboarding'),
  'employee.terminating': openTicket('offboarding'),
});
