import { describe, expect, it } from 'vitest';
import { functionSpecs, realManifest, type FunctionSpec } from '#infra/manifest.ts';
import { accessKey, dynamoAccesses, grantsOf, sqsAccesses, usageReport, type Access } from '../support/grants.ts';

/**
 * The model the integration and e2e tests hold handlers to (test/support/grants.ts): which IAM actions a request
 * needs, what a manifest entry grants, and which declarations a run left unused.
 */
const table = (name: string | undefined) => (name === 'T' ? 'table' : `unknown-table/${name}`);
const queue = (url: string | undefined) =>
  url === 'u/orders' ? 'queue/orders' : url === 'u/orders-dlq' ? 'dlq/orders' : `unknown-queue/${url}`;
const keysOf = (accesses: Access[]) => accesses.map(accessKey);
const spec = (handler: string): FunctionSpec => functionSpecs(realManifest).find((s) => s.handler === handler)!;

describe('least-privilege model', () => {
  it('needs the item action of every entry of a transaction', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 'T' } },
        { Update: { TableName: 'T' } },
        { Delete: { TableName: 'T' } },
        { ConditionCheck: { TableName: 'T' } },
      ],
    };

    expect(keysOf(dynamoAccesses('TransactWriteItemsCommand', input, table))).toEqual([
      'dynamodb:PutItem on table',
      'dynamodb:UpdateItem on table',
      'dynamodb:DeleteItem on table',
      'dynamodb:ConditionCheckItem on table',
    ]);
    expect(
      keysOf(dynamoAccesses('TransactGetItemsCommand', { TransactItems: [{ Get: { TableName: 'T' } }] }, table)),
    ).toEqual(['dynamodb:GetItem on table']);
  });

  it('tells a query of an index from one of the table, and names batch requests by their own action', () => {
    expect(keysOf(dynamoAccesses('QueryCommand', { TableName: 'T', IndexName: 'gsi3' }, table))).toEqual([
      'dynamodb:Query on table/index/gsi3',
    ]);
    expect(keysOf(dynamoAccesses('QueryCommand', { TableName: 'T' }, table))).toEqual(['dynamodb:Query on table']);
    expect(keysOf(dynamoAccesses('BatchGetItemCommand', { RequestItems: { T: {} } }, table))).toEqual([
      'dynamodb:BatchGetItem on table',
    ]);
    expect(keysOf(dynamoAccesses('BatchWriteItemCommand', { RequestItems: { Other: {} } }, table))).toEqual([
      'dynamodb:BatchWriteItem on unknown-table/Other',
    ]);
  });

  it('needs the single-message SQS action for a batch, on the queue its URL names', () => {
    expect(keysOf(sqsAccesses('SendMessageBatchCommand', { QueueUrl: 'u/orders' }, queue))).toEqual([
      'sqs:SendMessage on queue/orders',
    ]);
    expect(keysOf(sqsAccesses('DeleteMessageBatchCommand', { QueueUrl: 'u/orders-dlq' }, queue))).toEqual([
      'sqs:DeleteMessage on dlq/orders',
    ]);
  });

  it(
    'grants a route only its declared actions, Query only on the targets it names, ' +
      'and a processor its event source on its queue',
    () => {
      const getOrder = keysOf(grantsOf(realManifest, spec('functions/orders/get-order')));
      const processOrder = keysOf(grantsOf(realManifest, spec('functions/orders/process-order')));
      const trialBalance = keysOf(grantsOf(realManifest, spec('functions/accounting/get-trial-balance')));

      expect(getOrder).toEqual(['dynamodb:GetItem on table']);
      expect(processOrder).toEqual(
        expect.arrayContaining(['dynamodb:Query on table/index/gsi1', 'sqs:ReceiveMessage on queue/orders']),
      );
      expect(processOrder.filter((k) => k.startsWith('dynamodb:Query'))).toEqual([
        'dynamodb:Query on table/index/gsi1',
      ]);
      expect(processOrder).not.toContain('dynamodb:GetItem on table/index/gsi1');
      expect(trialBalance.filter((k) => k.startsWith('dynamodb:Query'))).toEqual([
        'dynamodb:Query on table',
        'dynamodb:Query on table/index/gsi3',
      ]);
    },
  );

  it('reports a declared action no invocation used, and nothing for a handler that used all of its own', () => {
    const specs = [spec('functions/accounting/get-trial-balance'), spec('functions/orders/get-order')];
    const uses = new Map<string, Access[]>([
      ['functions/accounting/get-trial-balance', [{ action: 'dynamodb:Query', resource: 'table/index/gsi3' }]],
      ['functions/orders/get-order', [{ action: 'dynamodb:GetItem', resource: 'table' }]],
    ]);

    const report = usageReport(specs, uses);

    expect(report.unused.map((d) => `${d.handler} ${d.declaration}`)).toEqual([
      'functions/accounting/get-trial-balance table: dynamodb:GetItem',
      'functions/accounting/get-trial-balance query: table',
    ]);
    expect(report.notInvoked).toEqual([]);
  });

  it('counts each query target as its own declaration: a query of one index or of the table uses no other', () => {
    const specs = [spec('functions/ops/get-summary')];
    const onlyTable = new Map<string, Access[]>([
      [
        'functions/ops/get-summary',
        [
          { action: 'dynamodb:Query', resource: 'table' },
          { action: 'dynamodb:Query', resource: 'table/index/gsi1' },
          { action: 'sqs:GetQueueAttributes', resource: 'dlq/orders' },
        ],
      ],
    ]);

    const report = usageReport(specs, onlyTable);

    expect(report.unused.map((d) => d.declaration)).toEqual(['query: gsi3']);
  });
});
