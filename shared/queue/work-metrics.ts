import { queues, type QueueDeclOf, type QueueName } from '#shared/manifest.ts';

/**
 * The `kind` each queue's processor counts its work under (the `kind` dimension of `WorkProcessed`, `WorkFailed`,
 * `WorkDeadLettered`), as each queue declares it (`workKind` in shared/manifest.ts). The stack needs it to alarm on
 * the processor's own failures, which never show in Lambda's `Errors` (batches report partial failures).
 * `test/infra/alarms.test.ts` runs every real processor and checks it emits exactly this kind.
 */
export const WORK_KINDS = Object.fromEntries(queues.map((queue) => [queue.name, queue.workKind])) as {
  readonly [Q in QueueName]: QueueDeclOf<Q>['workKind'];
};

/**
 * Where processors' work metrics land in CloudWatch: the namespace and `service` dimension that the stack and the
 * local runtime give every function (`POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_SERVICE_NAME`) and that Powertools
 * Metrics writes into each EMF line, with `kind` as the second dimension.
 */
export const WORK_METRICS_TARGET = { namespace: 'BackOffice', service: 'back-office' } as const;

/** The work kind of a queue; a queue outside the project manifest (a test fixture) counts under its own name. */
export function workKindOf(queueName: string): string {
  return (WORK_KINDS as Record<string, string>)[queueName] ?? queueName;
}
