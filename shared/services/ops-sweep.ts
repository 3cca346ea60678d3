import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  anyOrderBackordered,
  pendingPayrollRuns,
  receivedBefore,
  receivedOrders,
  receivedPayments,
  type ReceivedPartition,
} from '#shared/data/ops-sweep.ts';
import { sendMessage, type QueueTarget } from '#shared/queue/send.ts';
import { logger } from '#shared/platform/observability.ts';
import { makeHrService } from '#shared/services/hr.ts';

/** How long an order may stay `RECEIVED` before the sweeper assumes its queue message was lost (docs/operations.md). */
export const STALE_SUBMISSION_MS = 5 * 60 * 1000;

/** At most this many orders are re-queued per run, so one run stays well inside its timeout; the next run goes on. */
export const MAX_REQUEUED_PER_RUN = 1000;

/**
 * A kind of submission, besides orders, that intake writes `RECEIVED` before queueing it: where it waits
 * (`ReceivedPartition`), and how its message is sent again (a type its queue declares, typed where it is built).
 */
export interface SubmissionSource extends ReceivedPartition {
  kind: string;
  resend: (sqs: SQSClient, id: string, correlationId: string) => Promise<void>;
}

/** Payments still `RECEIVED` go back to the payments queue. */
export function paymentSubmissions(queueUrl: string): SubmissionSource {
  const paymentsQueue: QueueTarget<'payments'> = { queue: 'payments', url: queueUrl };
  return {
    kind: 'payment',
    ...receivedPayments(),
    resend: (sqs, id, correlationId) =>
      sendMessage(sqs, paymentsQueue, { type: 'payment.received', id, correlationId }),
  };
}

/** Payroll runs still `PENDING` go back to the payroll queue (the processor completes a run once). */
export function payrollSubmissions(queueUrl: string): SubmissionSource {
  const payrollQueue: QueueTarget<'payroll'> = { queue: 'payroll', url: queueUrl };
  return {
    kind: 'payroll',
    ...pendingPayrollRuns(),
    resend: (sqs, id, correlationId) =>
      sendMessage(sqs, payrollQueue, { type: 'payroll.requested', id, correlationId }),
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
  /** URL of the `hr` queue: employees still without their IT ticket 5 minutes on get their message again. */
  hrQueueUrl?: string;
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
  /**
   * Ids re-sent per kind of `submissions` (`payment`), oldest first, and `employee` (employees whose IT ticket is
   * missing); orders are in `requeued`.
   */
  requeuedByKind: Record<string, string[]>;
}

/**
 * Heals a lost `employee.hired` or `employee.terminating`: every employee still without the IT ticket it is owed
 * 5 minutes after hiring (or after its termination was recorded) gets the message again, read through the `ONBOARDING`
 * and `TERMINATING` status partitions (cost follows the open onboardings and pending terminations). A message that
 * was merely slow is sent twice; the processor opens one ticket whatever the deliveries.
 */
async function requeueOwedHrTickets(input: SweepInput, hrQueueUrl: string, cutoff: string, correlationId: string) {
  const hrQueue: QueueTarget<'hr'> = { queue: 'hr', url: hrQueueUrl };
  const owed = await makeHrService({ doc: input.doc, tableName: input.tableName }).owedTickets(cutoff);
  for (const { employeeId, purpose } of owed) {
    const type = purpose === 'onboarding' ? 'employee.hired' : 'employee.terminating';
    await sendMessage(input.sqs, hrQueue, { type, id: employeeId, correlationId });
    logger.info('re-queued an employee still without their IT ticket after 5 minutes', { employeeId, type, cutoff });
  }
  return owed.map((ticket) => ticket.employeeId);
}

/**
 * Re-sends the message of every submission of one kind still `RECEIVED` before `cutoff`, oldest first, through its
 * status index, at most `cap` of them.
 */
async function requeueStale(
  input: SweepInput,
  source: SubmissionSource,
  cutoff: string,
  cap: number,
  runCorrelationId: string,
): Promise<{ requeued: string[]; capped: boolean }> {
  const { doc, sqs, tableName } = input;
  const requeued: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  let capped = false;
  do {
    const page = await receivedBefore(doc, tableName, source, {
      cutoff,
      limit: Math.max(1, Math.min(100, cap - requeued.length)),
      startKey,
    });
    for (const submission of page.submissions) {
      const id = submission.id;
      if (!id) {
        logger.error(`${source.kind} in the RECEIVED index without an id; skipped`, { sortKey: submission.sortKey });
        continue;
      }
      const correlationId = submission.correlationId ?? runCorrelationId;
      await source.resend(sqs, id, correlationId);
      logger.info('re-queued a submission still RECEIVED after 5 minutes', {
        kind: source.kind,
        id,
        correlationId,
        cutoff,
      });
      requeued.push(id);
    }
    startKey = page.lastKey;
    if (startKey && requeued.length >= cap) capped = true;
  } while (startKey && !capped);
  return { requeued, capped };
}

/**
 * Heals lost submissions (docs/operations.md, the submission sweeper). Intake writes an order `RECEIVED` and then sends
 * its queue message; if the process dies between the two, or the send fails after the 202, nothing would ever process
 * the order. Every run re-sends `order.submitted` for each order still `RECEIVED` more than five minutes after it was
 * created, oldest first, through the status index (`gsi1`, key condition `gsi1sk < cutoff`, so the cost follows the
 * stuck orders, not the table). An order that was merely slow gets a second message, which the idempotent processor
 * ignores. The other kinds in `submissions` (payments) are swept the same way, each through its own status partition.
 *
 * It also nudges backorders: when any order is `BACKORDERED` it sends one `backorders.retry`, so a retry lost after
 * a goods receipt is made up within five minutes.
 */
export async function sweepSubmissions(input: SweepInput): Promise<SweepResult> {
  const { doc, sqs, tableName } = input;
  const ordersQueue: QueueTarget<'orders'> = { queue: 'orders', url: input.queueUrl };
  const cap = input.maxPerRun ?? MAX_REQUEUED_PER_RUN;
  const runCorrelationId = `sweep-${randomUUID()}`;
  const cutoff = new Date(input.now().getTime() - STALE_SUBMISSION_MS).toISOString();

  const orders: SubmissionSource = {
    kind: 'order',
    ...receivedOrders(),
    resend: (client, id, correlationId) =>
      sendMessage(client, ordersQueue, { type: 'order.submitted', id, correlationId }),
  };
  const { requeued, capped: ordersCapped } = await requeueStale(input, orders, cutoff, cap, runCorrelationId);
  let capped = ordersCapped;
  const requeuedByKind: Record<string, string[]> = {};
  for (const source of input.submissions ?? []) {
    const result = await requeueStale(input, source, cutoff, cap, runCorrelationId);
    requeuedByKind[source.kind] = result.requeued;
    capped ||= result.capped;
  }

  if (input.hrQueueUrl !== undefined) {
    requeuedByKind.employee = await requeueOwedHrTickets(input, input.hrQueueUrl, cutoff, runCorrelationId);
  }

  const backorderRetryQueued = await anyOrderBackordered(doc, tableName);
  if (backorderRetryQueued) {
    await sendMessage(sqs, ordersQueue, { type: 'backorders.retry', id: 'sweeper', correlationId: runCorrelationId });
    logger.info('queued a backorder retry', { correlationId: runCorrelationId });
  }
  if (capped) logger.warn('sweep stopped at its cap; the next run continues', { cap, requeued: requeued.length });

  return { requeued, capped, backorderRetryQueued, correlationId: runCorrelationId, requeuedByKind };
}
