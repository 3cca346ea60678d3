import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Structured JSON logging and CloudWatch embedded metrics, one instance per process. Every log line of a request or
 * message carries `correlationId`, which travels from the HTTP request (`x-correlation-id` or the API request id)
 * through the queue message envelope into the processor.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'back-office' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'BackOffice',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'back-office',
});

/** Names of the work metrics every area emits: received at intake, processed, failed, dead-lettered. */
export const WorkMetric = {
  received: 'WorkReceived',
  processed: 'WorkProcessed',
  failed: 'WorkFailed',
  deadLettered: 'WorkDeadLettered',
} as const;

/** Counts one unit of work of `kind` (e.g. `order`) under one of the work metrics. */
export function countWork(metric: (typeof WorkMetric)[keyof typeof WorkMetric], kind: string, value = 1): void {
  const single = metrics.singleMetric();
  single.addDimension('kind', kind);
  single.addMetric(metric, MetricUnit.Count, value);
}

export { MetricUnit };
