import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { queueUrlEnv, dlqUrlEnv } from '#shared/manifest.ts';
import { drainQueue, sendToQueue, testClients, testQueue, testResources } from '../support/index.ts';

describe('test harness', () => {
  it("points the handler environment at this file's fresh table and queues", () => {
    const { tableName, queues } = testResources();

    expect(process.env.TABLE_NAME).toBe(tableName);
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.CURRENCY).toBe('USD');
    for (const queue of queues) {
      expect(process.env[queueUrlEnv(queue.name)]).toBe(queue.url);
      expect(process.env[dlqUrlEnv(queue.name)]).toBe(queue.dlqUrl);
    }
  });

  it('creates the table with the four generic indexes', async () => {
    const { dynamo } = testClients();

    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: testResources().tableName }));

    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['pk', 'sk']);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4']);
  });

  it('writes an item, reads it back and finds it through an index', async () => {
    const { doc } = testClients();
    const TableName = testResources().tableName;

    await doc.send(new PutCommand({ TableName, Item: { pk: 'SMOKE#1', sk: 'A', gsi2pk: 'SMOKE', gsi2sk: '1', n: 1 } }));
    const { Item } = await doc.send(new GetCommand({ TableName, Key: { pk: 'SMOKE#1', sk: 'A' } }));
    const { Items } = await doc.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': 'SMOKE' },
      }),
    );

    expect(Item?.n).toBe(1);
    expect(Items).toHaveLength(1);
  });

  it('sends and drains a message on the fresh queue, whose redrive policy follows the manifest', async () => {
    const queue = testQueue('orders');

    await sendToQueue('orders', { hello: 'world' });
    const bodies = await drainQueue('orders');
    const { Attributes } = await testClients().sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      }),
    );

    expect(bodies).toEqual([{ hello: 'world' }]);
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: queue.dlqArn,
      maxReceiveCount: queue.decl.maxReceiveCount,
    });
    expect(Attributes?.VisibilityTimeout).toBe(String(queue.decl.visibilityTimeoutSeconds));
  });
});
