import { accepted, httpRoute } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { caseSubmissionSchema, slaPolicyFromEnv } from '#shared/domain/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { queueTarget } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const supportQueue = queueTarget('support');
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `POST /v1/cases` (front-office): writes the case `NEW` and queues it for triage. If the send fails after the
 * write, the case was still accepted: the SLA monitor triages any case still `NEW` after its grace period.
 */
export const handler = httpRoute(
  { route: 'POST /v1/cases', body: caseSubmissionSchema, idempotent: true },
  ({ body, caller, correlationId, idempotency }) =>
    acceptAndQueue(
      { correlationId, idempotency },
      {
        sqs,
        queue: supportQueue,
        kind: 'case',
        accept: (remember) => desk.submitCase(body, { actor: caller.sub, correlationId, remember }),
        answer: (submitted) => accepted(`/v1/cases/${submitted.caseId}`, { ...submitted }),
        message: (submitted) => ({ type: 'case.submitted', id: submitted.caseId }),
        notQueued: (submitted) => ({
          log: 'case accepted but not queued; the SLA monitor will triage it',
          fields: { caseId: submitted.caseId },
        }),
      },
    ),
);
