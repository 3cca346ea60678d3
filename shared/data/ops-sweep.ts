import { randomUUID } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { keyAttributes, keys, type PartitionQuery } from '#shared/keys.ts';
import { queryInput } from '#shared/data/query.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { logger } from '#shared/platform/observability.ts';

/** How long an order may stay `RECEIVED` before the sweeper assumes its queue message was lost (SPEC §4.9). */
export const STALE_SUBMISSION_MS = 5 * 60 * 1000;

/** At most this many orders are re-queued per run, so one run stays well inside its timeout; the next run goes on. */
export const MAX_REQUEUED_PER_RUN = 1000;

/** Message types the sweeper sends: the orders processor handles the first two, the payments processor the last. */
export const SweepMessage = {
  orderSubmitted: 'order.submitted',
  retryBackorders: 'backorders.retry',
  paymentReceived: 'payment.received',
} as const;

/**
 * A kind of submission, besides orders, that intake writes `RECEIVED` before queueing it: where its `RECEIVED`
 * status-index partition is (its access pattern's `RECEIVED` query, sort key `<createdAt>#<id>`), which attribute holds its id, and what to send where.
 */
export interface SubmissionSource {
  kind: string;
  received: PartitionQuery;
  idAttribute: string;
  messageType: string;
  queueUrl: string;
}

/** Payments still `RECEIVED` (SPEC §4.2) go back to the payments queue. */
export function paymentSubmissions(queueUrl: string): SubmissionSource {
  return {
    kind: 'payment',
    received: keys.paymentByStatus.query({ status: 'RECEIVED' }),
    idAttribute: 'paymentId',
    messageType: SweepMessage.paymentReceived,
    queueUrl,
  };
}

export interface SweepInput {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  tableName: string;
  /** URL of the orders queue. */
  queueUrl: string;
  /** The clock: tests pass a fixed time. */
  now: () => Date;
  /** Overrides `MAX_REQUEUED_PER_RUN` (tests). */
  maxPerRun?: number;
  /** Other kinds of submission to heal the same way as orders (payments), each with its own cap. */
  submissions?: SubmissionSource[];
}

export interface SweepResult {
  /** Ids of the orders whose `order.submitted` message was sent again, oldest first. */
  requeued: string[];
  /** True when the cap stopped the run before every stale order was re-queued. */
  capped: boolean;
  /** Whether a `backorders.retry` message was sent because at least one order is backordered. */
  backorderRetryQueued: boolean;
  /** Correlation id of this run; re-sent orders keep their own when the order recorded one. */
  correlationId: string;
  /** Ids re-sent per kind of `submissions` (`payment`), oldest first; orders are in `requeued`. */
  requeuedByKind: Record<string, string[]>;
}

type StaleSubmission = Record<string, unknown> & { correlationId?: unknown };

/** The id of a status-index entry: its id attribute, else the part of its sort key after `createdAt#`. */
function idOf(item: StaleSubmission, idAttribute: string, sortKey: string): string | undefined {
  const id = item[idAttribute];
  if (typeof id === 'string' && id !== '') return id;
  const sk = item[sortKey];
  if (typeof sk === 'string') {
    const cut = sk.indexOf('#');
    if (cut > 0 && cut < sk.length - 1) return sk.slice(cut + 1);
  }
  return undefined;
}

/**
 * Re-sends the message of every submission of one kind still `RECEIVED` before `cutoff`, oldest first, through its
 * status index (key condition `gsi1sk < cutoff`), at most `cap` of them.
 */
async function requeueStale(
  input: SweepInput,
  source: SubmissionSource,
  cutoff: string,
  cap: number,
  runCorrelationId: string,
): Promise<{ requeued: string[]; capped: boolean }> {
  const { doc, sqs, tableName } = input;
  const sortKey = keyAttributes(source.received.index).sk;
  const requeued: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  let capped = false;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, { ...source.received, before: cutoff }, [source.idAttribute, 'correlationId', sortKey]),
        Limit: Math.max(1, Math.min(100, cap - requeued.length)),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as StaleSubmission[]) {
      const id = idOf(item, source.idAttribute, sortKey);
      if (!id) {
        logger.error(`${source.kind} in the RECEIVED index without an id; skipped`, { sortKey: String(item[sortKey]) });
        continue;
      }
      const correlationId = typeof item.correlationId === 'string' && item.correlationId ? item.correlationId : runCorrelationId;
      await sendEnvelope(sqs, source.queueUrl, { type: source.messageType, id, correlationId });
      logger.info('re-queued a submission still RECEIVED after 5 minutes', { kind: source.kind, id, correlationId, cutoff });
      requeued.push(id);
    }
    startKey = page.LastEvaluatedKey;
    if (startKey && requeued.length >= cap) capped = true;
  } while (startKey && !capped);
  return { requeued, capped };
}

/**
 * Heals lost submissions (SPEC §4.9, §5.1). Intake writes an order `RECEIVED` and then sends its queue message; if
 * the process dies between the two, or the send fails after the 202, nothing would ever process the order. Every
 * run re-sends `order.submitted` for each order still `RECEIVED` more than five minutes after it was created, oldest
 * first, through the status index (`gsi1`, key condition `gsi1sk < cutoff`, so the cost follows the stuck orders,
 * not the table). An order that was merely slow gets a second message, which the idempotent processor ignores.
 * The other kinds in `submissions` (payments) are swept the same way, each through its own status partition.
 *
 * It also nudges backorders: when any order is `BACKORDERED` it sends one `backorders.retry`, so a retry lost after
 * a goods receipt is made up within five minutes.
 */
export async function sweepSubmissions(input: SweepInput): Promise<SweepResult> {
  const { doc, sqs, tableName, queueUrl } = input;
  const cap = input.maxPerRun ?? MAX_REQUEUED_PER_RUN;
  const runCorrelationId = `sweep-${randomUUID()}`;
  const cutoff = new Date(input.now().getTime() - STALE_SUBMISSION_MS).toISOString();

  const orders: SubmissionSource = {
    kind: 'order',
    received: keys.orderByStatus.query({ status: 'RECEIVED' }),
    idAttribute: 'orderId',
    messageType: SweepMessage.orderSubmitted,
    queueUrl,
  };
  const { requeued, capped: ordersCapped } = await requeueStale(input, orders, cutoff, cap, runCorrelationId);
  let capped = ordersCapped;
  const requeuedByKind: Record<string, string[]> = {};
  for (const source of input.submissions ?? []) {
    const result = await requeueStale(input, source, cutoff, cap, runCorrelationId);
    requeuedByKind[source.kind] = result.requeued;
    capped ||= result.capped;
  }

  const backordered = await doc.send(
    new QueryCommand({
      ...queryInput(tableName, keys.orderByStatus.query({ status: 'BACKORDERED' }), ['orderId']),
      Limit: 1,
    }),
  );
  const backorderRetryQueued = (backordered.Items ?? []).length > 0;
  if (backorderRetryQueued) {
    await sendEnvelope(sqs, queueUrl, { type: SweepMessage.retryBackorders, id: 'sweeper', correlationId: runCorrelationId });
    logger.info('queued a backorder retry', { correlationId: runCorrelationId });
  }
  if (capped) logger.warn('sweep stopped at its cap; the next run continues', { cap, requeued: requeued.length });

  return { requeued, capped, backorderRetryQueued, correlationId: runCorrelationId, requeuedByKind };
}
