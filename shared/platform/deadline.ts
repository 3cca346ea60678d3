import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The instant (epoch ms) by which the current invocation must have finished its work, so a retry loop never starts
 * an attempt it cannot finish before Lambda's timeout: a route that gives up answers its own 503 (nothing written),
 * where a timeout would leave API Gateway's bare 503 and a write possibly in flight; a processor that gives up fails
 * the message for SQS to redeliver instead of losing the whole batch to the timeout.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Time kept back from the invocation's remaining time for the last attempt and the answer. */
export const DEADLINE_MARGIN_MS = 2_000;

/** Runs `fn` with the deadline the Lambda context gives (its remaining time less the margin); none without one. */
export function withInvocationDeadline<T>(
  context: { getRemainingTimeInMillis?: () => number } | undefined,
  fn: () => T,
): T {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return fn();
  return deadlines.run(Date.now() + remaining - DEADLINE_MARGIN_MS, fn);
}

/** Whether waiting `ms` more would pass the current invocation's deadline (never, outside one). */
export function wouldPassDeadline(ms: number): boolean {
  const deadline = deadlines.getStore();
  return deadline !== undefined && Date.now() + ms > deadline;
}
