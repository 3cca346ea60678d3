import { accepted, httpRoute, type HttpResult } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { payrollRunLocation } from '#shared/http/payroll.ts';
import { payrollRunRequestSchema } from '#shared/domain/payroll.ts';
import { makePayrollService, type RequestedRun } from '#shared/services/payroll.ts';
import { queueTarget } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const payrollQueue = queueTarget('payroll');
const payroll = makePayrollService({ doc, tableName: config.TABLE_NAME });

/** 202 for the request that created the run; 200 with the run as it stands for any later one (docs/decisions.md#hr). */
function answer(run: RequestedRun): HttpResult {
  const body = { period: run.period, status: run.status };
  return run.created
    ? accepted(payrollRunLocation(run.period), body)
    : { status: 200, body, headers: { location: payrollRunLocation(run.period) } };
}

/**
 * `POST /v1/hr/payroll-runs` (hr) `{"period":"YYYY-MM"}`: writes the month's run `PENDING` and queues it for the
 * payroll processor → 202. The month has one run whatever the retries: a later request answers 200 with that run and
 * queues nothing. A lost send is healed by the submission sweeper (runs still `PENDING` after 5 minutes).
 */
export const handler = httpRoute(
  { route: 'POST /v1/hr/payroll-runs', body: payrollRunRequestSchema(), idempotent: true },
  ({ body, caller, correlationId, idempotency }) =>
    acceptAndQueue(
      { correlationId, idempotency },
      {
        sqs,
        queue: payrollQueue,
        kind: 'payroll',
        accept: (remember) => payroll.requestRun(body.period, { actor: caller.sub, correlationId, remember }),
        answer,
        message: (run) => (run.created ? { type: 'payroll.requested', id: run.period } : undefined),
        notQueued: (run) => ({
          log: 'payroll run accepted but not queued; the submission sweeper will re-queue it',
          fields: { period: run.period },
        }),
      },
    ),
);
