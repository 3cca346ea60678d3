import { accepted, httpRoute } from '#shared/http/route.ts';
import { reportPathSchema, reportRequest } from '#shared/http/reports.ts';
import { reportRequestedMessage } from '#shared/reports/messages.ts';
import { queueTarget, sendMessage } from '#shared/queue/send.ts';
import { sqs } from '#shared/platform/clients.ts';
import { countWork, WorkMetric } from '#shared/platform/observability.ts';

const reportsQueue = queueTarget('reports');

/**
 * `POST /v1/reports/{type}/{period}/run`: queues the (re)generation of one report for the report processor and
 * answers 202 with where to read it. No body. Nothing is stored before the send, so a failed send is a 5xx and
 * nothing was accepted.
 */
export const handler = httpRoute(
  { route: 'POST /v1/reports/{type}/{period}/run', params: reportPathSchema },
  async ({ params, caller, correlationId }) => {
    const { definition, period } = reportRequest(params, caller);
    await sendMessage(sqs, reportsQueue, reportRequestedMessage({ type: definition.type, period }, correlationId));
    countWork(WorkMetric.received, 'report');
    return accepted(`/v1/reports/${definition.type}/${period}`, { type: definition.type, period, status: 'QUEUED' });
  },
);
