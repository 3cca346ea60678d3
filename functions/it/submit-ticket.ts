import { accepted, httpRoute } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { slaPolicyFromEnv, ticketSubmissionSchema } from '#shared/domain/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { queueTarget } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const supportQueue = queueTarget('support');
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `POST /v1/it-tickets` (any staff role): files a ticket `NEW` for the caller (the token's subject) and queues it
 * for triage; the SLA monitor triages it if the send fails.
 */
export const handler = httpRoute(
  { route: 'POST /v1/it-tickets', body: ticketSubmissionSchema, idempotent: true },
  ({ body, caller, correlationId, idempotency }) =>
    acceptAndQueue(
      { correlationId, idempotency },
      {
        sqs,
        queue: supportQueue,
        kind: 'ticket',
        accept: (remember) => desk.submitTicket(body, { requester: caller.sub, correlationId, remember }),
        answer: (submitted) => accepted(`/v1/it-tickets/${submitted.ticketId}`, { ...submitted }),
        message: (submitted) => ({ type: 'ticket.submitted', id: submitted.ticketId }),
        notQueued: (submitted) => ({
          log: 'ticket accepted but not queued; the SLA monitor will triage it',
          fields: { ticketId: submitted.ticketId },
        }),
      },
    ),
);
