import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';

/**
 * Where a kind of submission waits while `RECEIVED`: its status-index partition (gsi1, sort key `<createdAt>#<id>`)
 * and the attribute holding its id. The submission sweeper (shared/services/ops-sweep.ts) reads these.
 */
export interface ReceivedPartition {
  statusPartition: string;
  idAttribute: string;
}

/** Orders still `RECEIVED`. */
export function receivedOrders(): ReceivedPartition {
  return { statusPartition: keys.orderStatusPartition('RECEIVED'), idAttribute: 'orderId' };
}

/** Payments still `RECEIVED`. */
export function receivedPayments(): ReceivedPartition {
  return { statusPartition: keys.paymentStatusPartition('RECEIVED'), idAttribute: 'paymentId' };
}

/** A submission in a `RECEIVED` partition: its id (when one can be read) and the correlation id it recorded. */
export interface ReceivedSubmission {
  id: string | undefined;
  correlationId: string | undefined;
  /** The index sort key, for logging an entry without an id. */
  gsi1sk: string;
}

type StaleSubmission = Record<string, unknown> & { correlationId?: unknown; gsi1sk?: unknown };

/** The id of a status-index entry: its id attribute, else the part of `gsi1sk` after `createdAt#`. */
function idOf(item: StaleSubmission, idAttribute: string): string | undefined {
  const id = item[idAttribute];
  if (typeof id === 'string' && id !== '') return id;
  if (typeof item.gsi1sk === 'string') {
    const cut = item.gsi1sk.indexOf('#');
    if (cut > 0 && cut < item.gsi1sk.length - 1) return item.gsi1sk.slice(cut + 1);
  }
  return undefined;
}

/**
 * One page of the submissions of a `RECEIVED` partition created before `cutoff`, oldest first, through the status
 * index (key condition `gsi1sk < cutoff`, so the cost follows the stuck submissions, not the table).
 */
export async function receivedBefore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: ReceivedPartition,
  page: { cutoff: string; limit: number; startKey?: Record<string, unknown> | undefined },
): Promise<{ submissions: ReceivedSubmission[]; lastKey: Record<string, unknown> | undefined }> {
  const answer = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :cutoff',
      ExpressionAttributeValues: { ':pk': partition.statusPartition, ':cutoff': page.cutoff },
      ProjectionExpression: '#id, correlationId, gsi1sk',
      ExpressionAttributeNames: { '#id': partition.idAttribute },
      Limit: page.limit,
      ExclusiveStartKey: page.startKey,
    }),
  );
  const submissions = ((answer.Items ?? []) as StaleSubmission[]).map((item) => ({
    id: idOf(item, partition.idAttribute),
    correlationId: typeof item.correlationId === 'string' && item.correlationId ? item.correlationId : undefined,
    gsi1sk: String(item.gsi1sk),
  }));
  return { submissions, lastKey: answer.LastEvaluatedKey };
}

/** Whether any order is `BACKORDERED`: one key of its status partition. */
export async function anyOrderBackordered(doc: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
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
  return (backordered.Items ?? []).length > 0;
}
