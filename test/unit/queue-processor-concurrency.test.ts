import { describe, expect, it } from 'vitest';
import type { Context, SQSEvent } from 'aws-lambda';
import { batchProcessor } from '#shared/queue/processor.ts';

const context = { functionName: 'processor', awsRequestId: 'req' } as unknown as Context;

function event(ids: string[]): SQSEvent {
  return {
    Records: ids.map((id) => ({
      messageId: id,
      receiptHandle: `rh-${id}`,
      body: JSON.stringify({ type: 'test', id, correlationId: `c-${id}`, sentAt: new Date().toISOString() }),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
      awsRegion: 'us-east-1',
    })),
  } as unknown as SQSEvent;
}

describe('sqsProcessor under concurrent invocations in one process', () => {
  it('reports each batch its own failures when two batches are handled at the same time', async () => {
    // The local runtime delivers two batches at once to one handler module, as Lambda's pollers would to two
    // execution environments: one batch's failures must never leak into, or vanish from, the other's answer.
    const handler = batchProcessor({ kind: 'test', maxReceiveCount: 5 }, async (message) => {
      await new Promise((resolve) => setTimeout(resolve, message.id.endsWith('slow') ? 30 : 5));
      if (message.id.startsWith('fail')) throw new Error(`failing ${message.id}`);
    });

    const [first, second] = await Promise.all([
      handler(event(['ok-a-slow', 'fail-a-slow']), context),
      handler(event(['fail-b', 'ok-b']), context),
    ]);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'fail-a-slow' }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'fail-b' }]);
  });
});
