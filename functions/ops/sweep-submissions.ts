import type { Context } from 'aws-lambda';
import { loadConfig, queueUrl } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { logger, metrics, MetricUnit } from '#shared/platform/observability.ts';
import { scheduledTime } from '#shared/platform/schedule.ts';
import { paymentSubmissions, payrollSubmissions, sweepSubmissions } from '#shared/services/ops-sweep.ts';

const config = loadConfig();
const ordersQueueUrl = queueUrl('orders');
const payments = paymentSubmissions(queueUrl('payments'));
const payroll = payrollSubmissions(queueUrl('payroll'));
const hrQueueUrl = queueUrl('hr');

/**
 * Schedule `sweep-submissions` (every 5 minutes): re-queues orders and payments still `RECEIVED`, and payroll runs
 * still `PENDING`, 5 minutes before the event's `time`; employees still without their onboarding or revoking IT
 * ticket; and, when any order is backordered, queues one backorder retry. Emits `SubmissionsRequeued` (count, every
 * kind) every run, zero included, so the metric's absence means the sweeper is not running.
 */
export async function handler(
  event: unknown,
  context?: Context,
): Promise<{ requeued: number; backorderRetryQueued: boolean }> {
  if (context) logger.addContext(context);
  const clock = scheduledTime(event);
  try {
    const result = await sweepSubmissions({
      doc,
      sqs,
      tableName: config.TABLE_NAME,
      queueUrl: ordersQueueUrl,
      now: () => clock,
      submissions: [payments, payroll],
      hrQueueUrl,
    });
    const requeued =
      result.requeued.length + Object.values(result.requeuedByKind).reduce((sum, ids) => sum + ids.length, 0);
    metrics.addMetric('SubmissionsRequeued', MetricUnit.Count, requeued);
    metrics.addMetric('BackorderRetriesQueued', MetricUnit.Count, result.backorderRetryQueued ? 1 : 0);
    logger.info('sweep finished', {
      correlationId: result.correlationId,
      requeued,
      capped: result.capped,
      backorderRetryQueued: result.backorderRetryQueued,
    });
    return { requeued, backorderRetryQueued: result.backorderRetryQueued };
  } finally {
    metrics.publishStoredMetrics();
  }
}
