import { accepted, httpRoute } from '#shared/http/route.ts';
import { reportPathSchema, reportRequest } from '#shared/http/reports.ts';
import { reportRequestedMessage } from '#shared/reports/messages.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { queueUrl } from '#shared/platform/config.ts';
import { sqs } from '#shared/platform/clients.ts';
import { countWork, WorkMetric } from '#shared/platform/observability.ts';

const reportsQueueUrl = queueUrl('reports');

/**
 * `POST /v1/reports/{type}/{period}/run`: queues the (re)generation of one report for the report processor and
 * answers 202 with where to read it. No body. Nothing is stored before the send, so a failed send is a 5xx and
 * nothing was accepted.
 */
export const handler = httpRoute(
  { route: 'POST /v1/reports/{type}/{period}/run', params: reportPathSchema },
  async ({ params, caller, correlationId }) => {
    const { definition, period } = reportRequest(params, caller);
    await sendEnvelope(sqs, reportsQueueUrl, reportRequestedMessage({ type: definition.type, period }, correlationId));
    countWork(WorkMetric.received, 'report');
    return accepted(`/v1/reports/${definition.type}/${period}`, { type: definition.type, period, status: 'QUEUED' });
  },
);
