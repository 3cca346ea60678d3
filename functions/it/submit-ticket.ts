import { accepted, httpRoute } from '#shared/http/route.ts';
import { storedResponse } from '#shared/http/stored-response.ts';
import { SUBMITTED_MESSAGE, slaPolicyFromEnv, ticketSubmissionSchema } from '#shared/domain/desk.ts';
import { makeDeskService, type SubmittedTicket } from '#shared/services/desk.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { loadConfig, queueUrl } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';

const config = loadConfig();
const supportQueueUrl = queueUrl('support');
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

const answer = (submitted: SubmittedTicket) => accepted(`/v1/it-tickets/${submitted.ticketId}`, { ...submitted });

/**
 * `POST /v1/it-tickets` (any staff role): files a ticket `NEW` for the caller (the token's subject) and queues it
 * for triage; the SLA monitor triages it if the send fails.
 */
export const handler = httpRoute(
  { route: 'POST /v1/it-tickets', body: ticketSubmissionSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const submitted = await desk.submitTicket(body, {
      requester: caller.sub,
      correlationId,
      ...(idempotency ? { remember: (result: SubmittedTicket) => idempotency.record(storedResponse(answer(result))) } : {}),
    });
    countWork(WorkMetric.received, 'ticket');
    try {
      await sendEnvelope(sqs, supportQueueUrl, { type: SUBMITTED_MESSAGE.ticket, id: submitted.ticketId, correlationId });
    } catch (error) {
      logger.error('ticket accepted but not queued; the SLA monitor will triage it', { ticketId: submitted.ticketId, error: error as Error });
    }
    return answer(submitted);
  },
);
