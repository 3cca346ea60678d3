import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { makeCancellationService } from '#shared/services/cancellations.ts';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { makeLedgerStore, shardState } from '#shared/data/ledger.ts';
import { TransactionConditionError, transactWrite } from '#shared/data/transact.ts';
import { ConcurrencyError } from '#shared/errors.ts';

// DynamoDB Local cannot be made to cancel a transaction with TransactionConflict on demand; real DynamoDB does when
// two transactions touch the same item at once (two postings on one balance shard, a payment and a cancellation on
// one invoice). Mocked here, and only here.
const tableName = 'conflict-table';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dynamo = mockClient(doc);
afterEach(() => dynamo.reset());

const at = '2026-01-01T00:00:00.000Z';
const invoice = {
  ...keys.invoice.key({ invoiceId: 'inv_1' }),
  entity: 'invoice',
  invoiceId: 'inv_1',
  orderId: 'ord_1',
  customerId: 'cus_1',
  status: 'OPEN',
  totalCents: 1000,
  paidCents: 0,
  currency: 'USD',
  issuedAt: at,
  dueDate: '2026-01-31',
  createdAt: at,
  updatedAt: at,
};
const payment = {
  ...keys.payment.key({ paymentId: 'pay_1' }),
  entity: 'payment',
  paymentId: 'pay_1',
  invoiceId: 'inv_1',
  orderId: 'ord_1',
  customerId: 'cus_1',
  amountCents: 400,
  method: 'card',
  currency: 'USD',
  status: 'RECEIVED',
  createdAt: at,
  updatedAt: at,
};
const order = {
  ...keys.order.key({ orderId: 'ord_1' }),
  entity: 'order',
  orderId: 'ord_1',
  status: 'CONFIRMED',
  customerId: 'cus_1',
  customer: { name: 'Ada', email: 'ada@example.com' },
  lines: [{ sku: 'A', quantity: 1, unitPriceCents: 1000, costCents: 200 }],
  currency: 'USD',
  totalCents: 1000,
  invoiceId: 'inv_1',
  createdAt: at,
  updatedAt: at,
};
const item = {
  ...keys.item.key({ sku: 'A' }),
  entity: 'item',
  sku: 'A',
  name: 'Widget',
  unitPriceCents: 1000,
  unitCostCents: 200,
  stockValueCents: 800,
  onHand: 4,
  reorderPoint: 0,
  reorderQuantity: 10,
  version: 3,
  createdAt: at,
  updatedAt: at,
};
const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
  });

describe('money writes under a transaction conflict', () => {
  it(
    're-reads and applies a payment again ' + 'when DynamoDB cancels its transaction with TransactionConflict',
    async () => {
      dynamo.on(GetCommand, { Key: keys.payment.key({ paymentId: 'pay_1' }) }).resolves({ Item: payment });
      dynamo.on(GetCommand, { Key: keys.invoice.key({ invoiceId: 'inv_1' }) }).resolves({ Item: invoice });
      dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});

      const outcome = await makePaymentService({ doc, tableName, currency: 'USD' }).applyPayment(
        'pay_1',
        'system:test',
      );

      expect(outcome).toEqual({ paymentId: 'pay_1', status: 'APPLIED', changed: true });
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
      expect(dynamo.commandCalls(GetCommand, { Key: keys.invoice.key({ invoiceId: 'inv_1' }) })).toHaveLength(2);
    },
  );

  it('re-reads and cancels again when DynamoDB cancels the cancellation with TransactionConflict', async () => {
    dynamo.on(GetCommand, { Key: keys.order.key({ orderId: 'ord_1' }) }).resolves({ Item: order });
    dynamo.on(GetCommand, { Key: keys.invoice.key({ invoiceId: 'inv_1' }) }).resolves({ Item: invoice });
    dynamo.on(BatchGetCommand).resolves({ Responses: { [tableName]: [item] } });
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});

    const outcome = await makeCancellationService({ doc, tableName }).cancelOrder('ord_1', 'clerk');

    expect(outcome.order.status).toBe('CANCELLED');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    const stock = dynamo.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems![0]!.Update!;
    expect(stock.ExpressionAttributeValues).toMatchObject({ ':readVersion': 3 });
    expect(Object.values(stock.ExpressionAttributeValues!)).toEqual(expect.arrayContaining([5, 1000]));
  });
});

describe('how a cancelled transaction is read', () => {
  const cancelled = (...codes: string[]) =>
    new TransactionCanceledException({
      message: `Transaction cancelled [${codes.join(', ')}]`,
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({ Code })),
    });
  const attempt = () => transactWrite(doc, [{ Put: { TableName: tableName, Item: { pk: 'A', sk: 'A' } } }]);

  it('as a business outcome only when every reason is a failed condition, naming the items that failed', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed'));

    const error = await attempt().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransactionConditionError);
    expect((error as TransactionConditionError).failedIndexes).toEqual([1, 2]);
  });

  it(
    'as a collision to retry when any reason is a conflict or throttling, ' + 'even beside a failed condition',
    async () => {
      for (const codes of [
        ['TransactionConflict'],
        ['None', 'ThrottlingError'],
        ['ProvisionedThroughputExceeded'],
        ['ConditionalCheckFailed', 'TransactionConflict'],
      ]) {
        dynamo.reset();
        dynamo.on(TransactWriteCommand).rejects(cancelled(...codes));

        await expect(attempt(), codes.join()).rejects.toBeInstanceOf(ConcurrencyError);
      }
    },
  );
});

describe('a manual journal entry under a conflict on its balance shard', () => {
  it('is posted again, the same entry with the same id, once the conflict clears', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});

    const entry = await makeLedgerService({ doc, tableName }).postManualEntry(
      {
        memo: 'Accrual',
        lines: [
          { account: '5100', debitCents: 10, creditCents: 0 },
          { account: '2000', debitCents: 0, creditCents: 10 },
        ],
      },
      { actor: 'clerk' },
    );

    const attempts = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems);
    expect(attempts).toHaveLength(3);
    expect(attempts[1]).toEqual(attempts[0]);
    expect(attempts[2]).toEqual(attempts[0]);
    expect(JSON.stringify(attempts[0])).toContain(entry.entryId);
  });
});

describe('pruning a closed day from a balance shard while a posting is in flight on it', () => {
  it('retries the same REMOVE when DynamoDB refuses it with TransactionConflictException', async () => {
    const shard = shardState({
      ...keys.ledgerBalanceShard.key({ shard: 3 }),
      d1000: 500,
      'd1000@2026-01-01': 500,
      c4000: 500,
      'c4000@2026-01-01': 500,
    });
    const inFlight = new TransactionConflictException({
      message: 'Transaction is ongoing for the item',
      $metadata: {},
    });
    dynamo.on(UpdateCommand).rejectsOnce(inFlight).resolves({});

    await makeLedgerStore({ doc, tableName }).pruneMovements(shard, ['2026-01-01']);

    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toEqual(updates[0]);
    expect(Object.values(updates[0]!.ExpressionAttributeNames!).sort()).toEqual([
      'c1000@2026-01-01',
      'c4000@2026-01-01',
      'd1000@2026-01-01',
      'd4000@2026-01-01',
    ]);
  });
});
