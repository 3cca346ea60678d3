import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { ORDER_STATUSES } from '#shared/domain/orders.ts';

// The counts behind the operations summary (shared/services/ops-summary.ts), each from one index partition.

/** Today's orders by status, through the by-day index (`gsi3`): the cost follows the day's orders. */
export async function countOrdersOfDayByStatus(doc: DynamoDBDocumentClient, tableName: string, day: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0]));
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.orderDayPartition(day) },
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
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
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.lowStockPartition() },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}
