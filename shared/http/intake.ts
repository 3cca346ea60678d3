import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '#shared/manifest.ts';
import { rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import type { IdempotencyClaim } from '#shared/http/idempotency.ts';
import type { TransactItem } from '#shared/data/transact.ts';
import { sendAfterCommit, type NotQueuedLog, type QueueMessage, type QueueTarget } from '#shared/queue/send.ts';
import { countWork, WorkMetric } from '#shared/platform/observability.ts';

/** One intake route's flow: what it writes, what it answers, what it queues where, and what it logs if that fails. */
export interface IntakeSpec<T, Q extends QueueName> {
  sqs: SQSClient;
  /** The queue the accepted work goes to (`queueTarget(...)` at module scope). */
  queue: QueueTarget<Q>;
  /** The `kind` of `WorkReceived`, counted once the write committed. */
  kind: string;
  /**
   * The use case writing the submission; `remember` (present when the request carried an `Idempotency-Key`) goes
   * into its transaction, so the answer is remembered with the resource or not at all. The use case calls it with
   * the result it returns (its parameter is `unknown` only so that `T` is inferred from what `accept` returns).
   */
  accept: (remember: ((result: unknown) => TransactItem) | undefined) => Promise<T>;
  /** The answer, the same for the first request and for every replay of it. */
  answer: (accepted: T) => HttpResult;
  /**
   * The message to queue (the correlation id is the request's); `undefined` when the request accepted nothing new
   * (a payroll run the month already has): then nothing is counted or sent, and the answer says what exists.
   */
  message: (accepted: T) => Omit<QueueMessage<Q>, 'correlationId'> | undefined;
  /** What to log when the send fails after the write: the submission stands and the answer is unchanged. */
  notQueued: (accepted: T) => NotQueuedLog;
}

/**
 * Accepts a submission and queues it for its processor, the one flow of every intake route (orders, payments,
 * cases, tickets): the write with its idempotent answer in one transaction, `WorkReceived` counted, the message sent
 * after the commit (a failed send is logged, and healed by the sweeper or the SLA monitor), then the answer.
 *
 * ```ts
 * httpRoute({ route: 'POST /v1/orders', body: orderSubmissionSchema, idempotent: true }, (ctx) => acceptAndQueue(ctx, {
 *   sqs, queue: ordersQueue, kind: 'order',
 *   accept: (remember) => orders.submitOrder(ctx.body, { actor: ctx.caller.sub, correlationId: ctx.correlationId,
 *   remember }), answer: (order) => accepted(`/v1/orders/${order.orderId}`, { orderId: order.orderId, status:
 *   order.status }), message: (order) => ({ type: 'order.submitted', id: order.orderId }),
 *   notQueued: (order) => ({ log: 'order accepted but not queued; …', fields: { orderId: order.orderId } }),
 * }));
 * ```
 */
export async function acceptAndQueue<T, Q extends QueueName>(
  ctx: { correlationId: string; idempotency?: IdempotencyClaim | undefined },
  spec: IntakeSpec<T, Q>,
): Promise<HttpResult> {
  const remember = rememberAnswer(ctx.idempotency, spec.answer);
  const accepted = await spec.accept(remember && ((result) => remember(result as T)));
  const toQueue = spec.message(accepted);
  if (toQueue === undefined) return spec.answer(accepted);
  countWork(WorkMetric.received, spec.kind);
  const message = { ...toQueue, correlationId: ctx.correlationId } as QueueMessage<Q>;
  await sendAfterCommit(spec.sqs, spec.queue, message, spec.notQueued(accepted));
  return spec.answer(accepted);
}
