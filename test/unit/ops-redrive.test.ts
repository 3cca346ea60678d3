import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { redriveDeadLetters } from '#shared/services/ops-queues.ts';

// Faults the local SQS server cannot produce: a send that fails, a send that refuses some entries.
const sqs = new SQSClient({});
const mock = mockClient(sqs);
const queue = { name: 'orders', url: 'https://sqs.local/orders', dlqUrl: 'https://sqs.local/orders-dlq' };

function messages(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    MessageId: `m-${i}`,
    ReceiptHandle: `rh-${i}`,
    Body: `{"id":"o-${i}"}`,
    MessageAttributes: { correlationId: { DataType: 'String', StringValue: `c-${i}` } },
  }));
}

beforeEach(() => mock.reset());

describe('dead-letter redrive', () => {
  it('deletes nothing from the dead-letter queue when the send to the queue fails', async () => {
    mock.on(ReceiveMessageCommand).resolves({ Messages: messages(3) });
    mock.on(SendMessageBatchCommand).rejects(new Error('SQS is down'));

    await expect(redriveDeadLetters(sqs, queue)).rejects.toThrow('SQS is down');

    expect(mock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it('deletes only the messages the queue accepted and reports the rest as failed', async () => {
    mock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: messages(3) })
      .resolves({ Messages: [] });
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: '0', MessageId: 'n0', MD5OfMessageBody: '' },
        { Id: '2', MessageId: 'n2', MD5OfMessageBody: '' },
      ],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    mock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: unknown[] }) => ({
      Successful: input.Entries.map((_, i) => ({ Id: String(i) })),
    }));

    const result = await redriveDeadLetters(sqs, queue);

    expect(result).toEqual({ moved: 2, failed: 1, incomplete: false });
    const deleted = mock.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries!.map((e) => e.ReceiptHandle);
    expect(deleted).toEqual(['rh-0', 'rh-2']);
  });

  it('sends each message with its body and message attributes', async () => {
    mock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: messages(1) })
      .resolves({ Messages: [] });
    mock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'n0', MD5OfMessageBody: '' }] });
    mock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }] });

    await redriveDeadLetters(sqs, queue);

    const sent = mock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input;
    expect(sent.QueueUrl).toBe(queue.url);
    expect(sent.Entries).toEqual([
      {
        Id: '0',
        MessageBody: '{"id":"o-0"}',
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'c-0' } },
      },
    ]);
  });

  it('stops when its time budget is spent and says the redrive is incomplete', async () => {
    let clock = 0;
    mock.on(ReceiveMessageCommand).callsFake(() => {
      clock += 15_000;
      return { Messages: messages(1) };
    });
    mock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'n0', MD5OfMessageBody: '' }] });
    mock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }] });

    const result = await redriveDeadLetters(sqs, queue, { budgetMs: 20_000, now: () => clock });

    expect(result).toEqual({ moved: 2, failed: 0, incomplete: true });
  });
});
