import { randomUUID } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { keys } from '#shared/keys.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { logger } from '#shared/platform/observability.ts';

/** How long an order may stay `RECEIVED` before the sweeper assumes its queue message was lost (SPEC §4.9). */
export const STALE_SUBMISSION_MS = 5 * 60 * 1000;

/** At most this many orders are re-queued per run, so one run stays well inside its timeout; the next run goes on. */
export const MAX_REQUEUED_PER_RUN = 1000;

/** Message types the sweeper sends to the orders queue; the orders processor handles both. */
export const SweepMessage = {
  orderSubmitted: 'order.submitted',
  retryBackorders: 'backorders.retry',
} as const;

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
}

interface StaleOrder {
  orderId?: unknown;
  correlationId?: unknown;
  gsi1sk?: unknown;
}

/** The order id of a status-index entry: its `orderId`, else the part of `gsi1sk` after `createdAt#`. */
function orderIdOf(item: StaleOrder): string | undefined {
  if (typeof item.orderId === 'string' && item.orderId !== '') return item.orderId;
  if (typeof item.gsi1sk === 'string') {
    const cut = item.gsi1sk.indexOf('#');
    if (cut > 0 && cut < item.gsi1sk.length - 1) return item.gsi1sk.slice(cut + 1);
  }
  return undefined;
}

/**
 * Heals lost submissions (SPEC §4.9, §5.1). Intake writes an order `RECEIVED` and then sends its queue message; if
 * the process dies between the two, or the send fails after the 202, nothing would ever process the order. Every
 * run re-sends `order.submitted` for each order still `RECEIVED` more than five minutes after it was created, oldest
 * first, through the status index (`gsi1`, key condition `gsi1sk < cutoff`, so the cost follows the stuck orders,
 * not the table). An order that was merely slow gets a second message, which the idempotent processor ignores.
 *
 * It also nudges backorders: when any order is `BACKORDERED` it sends one `backorders.retry`, so a retry lost after
 * a goods receipt is made up within five minutes.
 */
export async function sweepSubmissions(input: SweepInput): Promise<SweepResult> {
  const { doc, sqs, tableName, queueUrl } = input;
  const cap = input.maxPerRun ?? MAX_REQUEUED_PER_RUN;
  const runCorrelationId = `sweep-${randomUUID()}`;
  const cutoff = new Date(input.now().getTime() - STALE_SUBMISSION_MS).toISOString();

  const requeued: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  let capped = false;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :cutoff',
        ExpressionAttributeValues: { ':pk': keys.orderStatusPartition('RECEIVED'), ':cutoff': cutoff },
        ProjectionExpression: 'orderId, correlationId, gsi1sk',
        Limit: Math.max(1, Math.min(100, cap - requeued.length)),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as StaleOrder[]) {
      const orderId = orderIdOf(item);
      if (!orderId) {
        logger.error('order in the RECEIVED index without an id; skipped', { gsi1sk: String(item.gsi1sk) });
        continue;
      }
      const correlationId = typeof item.correlationId === 'string' && item.correlationId ? item.correlationId : runCorrelationId;
      await sendEnvelope(sqs, queueUrl, { type: SweepMessage.orderSubmitted, id: orderId, correlationId });
      logger.info('re-queued a submission still RECEIVED after 5 minutes', { orderId, correlationId, cutoff });
      requeued.push(orderId);
    }
    startKey = page.LastEvaluatedKey;
    if (startKey && requeued.length >= cap) capped = true;
  } while (startKey && !capped);

  const backordered = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.orderStatusPartition('BACKORDERED') },
      ProjectionExpression: 'gsi1sk',
      Limit: 1,
    }),
  );
  const backorderRetryQueued = (backordered.Items ?? []).length > 0;
  if (backorderRetryQueued) {
    await sendEnvelope(sqs, queueUrl, { type: SweepMessage.retryBackorders, id: 'sweeper', correlationId: runCorrelationId });
    logger.info('queued a backorder retry', { correlationId: runCorrelationId });
  }
  if (capped) logger.warn('sweep stopped at its cap; the next run continues', { cap, requeued: requeued.length });

  return { requeued, capped, backorderRetryQueued, correlationId: runCorrelationId };
}
