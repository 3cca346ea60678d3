import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { makeOrderService } from '#shared/services/orders.ts';

// DynamoDB Local cannot be made to cancel a transaction with TransactionConflict on demand; real DynamoDB does when
// two transactions touch the same item at once. Mocked here, and only here.
const tableName = 'conflict-table';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dynamo = mockClient(doc);
afterEach(() => {
  dynamo.reset();
  vi.useRealTimers();
});

const order = {
  ...keys.order.key({ orderId: 'ord_1' }),
  entity: 'order',
  orderId: 'ord_1',
  status: 'RECEIVED',
  customerId: 'cus_1',
  customer: { name: 'Ada', email: 'ada@example.com' },
  lines: [{ sku: 'A', quantity: 1 }],
  currency: 'USD',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const item = {
  ...keys.item.key({ sku: 'A' }),
  entity: 'item',
  sku: 'A',
  name: 'Widget',
  unitPriceCents: 500,
  unitCostCents: 200,
  stockValueCents: 1000,
  onHand: 5,
  reorderPoint: 0,
  reorderQuantity: 10,
  version: 7,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const conflict = (count: number) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    $metadata: {},
    CancellationReasons: [
      { Code: 'TransactionConflict' },
      ...Array.from({ length: count - 1 }, () => ({ Code: 'None' })),
    ],
  });

describe('order confirmation under a transaction conflict', () => {
  it('re-reads and retries when DynamoDB cancels the transaction with TransactionConflict', async () => {
    dynamo.on(GetCommand).resolves({ Item: order });
    dynamo.on(BatchGetCommand).resolves({ Responses: { [tableName]: [item] } });
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict(6)).resolves({});
    const orders = makeOrderService({ doc, tableName, currency: 'USD' });

    const outcome = await orders.processOrder('ord_1', 'system:test');

    expect(outcome).toEqual({ orderId: 'ord_1', status: 'CONFIRMED', changed: true });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(GetCommand).length).toBeGreaterThanOrEqual(2);
    const stockUpdate = dynamo.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems![0]!.Update!;
    expect(stockUpdate.ExpressionAttributeValues![':readVersion']).toBe(7);
  });

  it('gives up with the error after the retry budget when the conflict never clears', async () => {
    dynamo.on(GetCommand).resolves({ Item: order });
    dynamo.on(BatchGetCommand).resolves({ Responses: { [tableName]: [item] } });
    dynamo.on(TransactWriteCommand).rejects(conflict(6));
    const orders = makeOrderService({ doc, tableName, currency: 'USD' });
    vi.useFakeTimers();

    const settled = expect(orders.processOrder('ord_1', 'system:test')).rejects.toMatchObject({
      name: 'ConcurrencyError',
    });
    await vi.runAllTimersAsync();

    await settled;
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(25);
  });
});
