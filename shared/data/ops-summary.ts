import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { dayOf, keys } from '#shared/keys.ts';
import { queryInput } from '#shared/data/query.ts';
import { deadLetterCounts, type OpsQueue } from '#shared/data/ops-queues.ts';
import { ORDER_STATUSES } from '#shared/domain/orders.ts';
import { OPEN_STATUSES } from '#shared/domain/desk.ts';

export interface OpsSummary {
  /** The UTC day summarised, `YYYY-MM-DD`. */
  date: string;
  /** Orders submitted that day, by their current status; every status is listed, zero included. */
  ordersByStatus: Record<string, number>;
  /** Customer cases not yet resolved (`NEW`, `OPEN`, `IN_PROGRESS`, `ESCALATED`), whenever submitted. */
  openCases: number;
  /** IT tickets not yet resolved, whenever filed. */
  openTickets: number;
  /** Open cases and tickets that have missed an SLA deadline. */
  slaBreaches: number;
  /** Items at or below their reorder point. */
  lowStockItems: number;
  /** Messages in each queue's dead-letter queue. */
  deadLetters: Record<string, number>;
}

export interface SummaryInput {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  tableName: string;
  queues: readonly OpsQueue[];
  now: () => Date;
}

/** Today's orders by status, through the by-day index (`gsi3`): the cost follows the day's orders. */
export async function countOrdersOfDayByStatus(doc: DynamoDBDocumentClient, tableName: string, day: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0]));
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.orderByDay.query({ day }), ['status']),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const status = typeof item.status === 'string' ? item.status : 'UNKNOWN';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

/** Items at or below their reorder point: a `Select: COUNT` over the sparse low-stock index partition. */
export async function countLowStockItems(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.itemLowStock.query({})),
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/**
 * Open cases and tickets, and how many of them are past an SLA deadline, for the operations summary: the open
 * status partitions only (gsi1), projecting one attribute, so the cost follows the open workload.
 */
export async function countOpenDeskWork(doc: DynamoDBDocumentClient, tableName: string): Promise<{ openCases: number; openTickets: number; slaBreaches: number }> {
  const counts = { case: 0, ticket: 0 };
  let breaches = 0;
  await Promise.all((['case', 'ticket'] as const).flatMap((kind) => OPEN_STATUSES.map(async (status) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new QueryCommand({
        ...queryInput(tableName, keys.deskByStatus.query({ kind, status }), ['slaBreached']),
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        counts[kind]++;
        if (item.slaBreached === true) breaches++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  })));
  return { openCases: counts.case, openTickets: counts.ticket, slaBreaches: breaches };
}

/**
 * The operations summary (SPEC §4.9): what an operator checks first in the morning. Every figure comes from an index
 * partition or a queue attribute, never a scan; open cases, tickets and their breaches come from the open status
 * partitions of the service desk, so their cost follows the open workload (docs/operations.md).
 */
export async function opsSummary(input: SummaryInput): Promise<OpsSummary> {
  const date = dayOf(input.now().toISOString());
  const [ordersByStatus, lowStockItems, deadLetters, desk] = await Promise.all([
    countOrdersOfDayByStatus(input.doc, input.tableName, date),
    countLowStockItems(input.doc, input.tableName),
    deadLetterCounts(input.sqs, input.queues),
    countOpenDeskWork(input.doc, input.tableName),
  ]);
  return { date, ordersByStatus, ...desk, lowStockItems, deadLetters };
}
