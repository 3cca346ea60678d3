import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keyAttributes, keys, type PartitionQuery } from '#shared/keys.ts';
import { queryInput } from '#shared/data/query.ts';

/**
 * Where a kind of submission waits while `RECEIVED`: its status partition (the `RECEIVED` query of its by-status
 * access pattern, sort key `<createdAt>#<id>`) and the attribute holding its id. The submission sweeper
 * (shared/services/ops-sweep.ts) reads these.
 */
export interface ReceivedPartition {
  received: PartitionQuery;
  idAttribute: string;
}

/** Orders still `RECEIVED`. */
export function receivedOrders(): ReceivedPartition {
  return { received: keys.orderByStatus.query({ status: 'RECEIVED' }), idAttribute: 'orderId' };
}

/** Payments still `RECEIVED`. */
export function receivedPayments(): ReceivedPartition {
  return { received: keys.paymentByStatus.query({ status: 'RECEIVED' }), idAttribute: 'paymentId' };
}

/** Payroll runs still `PENDING` (a run waits as `PENDING` where a submission waits as `RECEIVED`). */
export function pendingPayrollRuns(): ReceivedPartition {
  return { received: keys.payrollRunByStatus.query({ status: 'PENDING' }), idAttribute: 'period' };
}

/** A submission in a `RECEIVED` partition: its id (when one can be read) and the correlation id it recorded. */
export interface ReceivedSubmission {
  id: string | undefined;
  correlationId: string | undefined;
  /** The index sort key, for logging an entry without an id. */
  sortKey: string;
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
 * One page of the submissions of a `RECEIVED` partition created before `cutoff`, oldest first, through the status
 * index (key condition `sort key < cutoff`, so the cost follows the stuck submissions, not the table).
 */
export async function receivedBefore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: ReceivedPartition,
  page: { cutoff: string; limit: number; startKey?: Record<string, unknown> | undefined },
): Promise<{ submissions: ReceivedSubmission[]; lastKey: Record<string, unknown> | undefined }> {
  const sortKey = keyAttributes(partition.received.index).sk;
  const answer = await doc.send(
    new QueryCommand({
      ...queryInput(tableName, { ...partition.received, before: page.cutoff }, [
        partition.idAttribute,
        'correlationId',
        sortKey,
      ]),
      Limit: page.limit,
      ExclusiveStartKey: page.startKey,
    }),
  );
  const submissions = ((answer.Items ?? []) as StaleSubmission[]).map((item) => ({
    id: idOf(item, partition.idAttribute, sortKey),
    correlationId: typeof item.correlationId === 'string' && item.correlationId ? item.correlationId : undefined,
    sortKey: String(item[sortKey]),
  }));
  return { submissions, lastKey: answer.LastEvaluatedKey };
}

/** Whether any order is `BACKORDERED`: one key of its status partition. */
export async function anyOrderBackordered(doc: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  const backordered = await doc.send(
    new QueryCommand({
      ...queryInput(tableName, keys.orderByStatus.query({ status: 'BACKORDERED' }), ['orderId']),
      Limit: 1,
    }),
  );
  return (backordered.Items ?? []).length > 0;
}
