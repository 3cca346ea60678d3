import { accepted, httpRoute } from '#shared/http/route.ts';
import { storedResponse } from '#shared/http/stored-response.ts';
import { SUBMITTED_MESSAGE, caseSubmissionSchema, slaPolicyFromEnv } from '#shared/domain/desk.ts';
import { makeDeskService, type SubmittedCase } from '#shared/services/desk.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { loadConfig, queueUrl } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';

const config = loadConfig();
const supportQueueUrl = queueUrl('support');
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

const answer = (submitted: SubmittedCase) => accepted(`/v1/cases/${submitted.caseId}`, { ...submitted });

/**
 * `POST /v1/cases` (front-office): writes the case `NEW` and queues it for triage. If the send fails after the
 * write, the case was still accepted: the SLA monitor triages any case still `NEW` after its grace period.
 */
export const handler = httpRoute(
  { route: 'POST /v1/cases', body: caseSubmissionSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const submitted = await desk.submitCase(body, {
      actor: caller.sub,
      correlationId,
      ...(idempotency ? { remember: (result: SubmittedCase) => idempotency.record(storedResponse(answer(result))) } : {}),
    });
    countWork(WorkMetric.received, 'case');
    try {
      await sendEnvelope(sqs, supportQueueUrl, { type: SUBMITTED_MESSAGE.case, id: submitted.caseId, correlationId });
    } catch (error) {
      logger.error('case accepted but not queued; the SLA monitor will triage it', { caseId: submitted.caseId, error: error as Error });
    }
    return answer(submitted);
  },
);
