import { beforeEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { QUEUE_NAMES } from '#shared/manifest.ts';
import { handler as listQueues } from '../../functions/ops/list-queues.ts';
import { handler as redriveQueue } from '../../functions/ops/redrive-queue.ts';
import {
  apiEvent,
  drainDeadLetterQueue,
  drainQueue,
  drainQueueMessages,
  eventually,
  lambdaContext,
  queueDepth,
  testClients,
  testQueue,
} from '../support/index.ts';

const ops = { roles: ['ops'] };

async function call(handler: typeof listQueues, event: ReturnType<typeof apiEvent>) {
  const result = await handler(event, lambdaContext());
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

/** Puts a message straight onto the orders dead-letter queue, as the redrive policy would after five failures. */
async function deadLetter(id: string): Promise<void> {
  await testClients().sqs.send(
    new SendMessageCommand({
      QueueUrl: testQueue('orders').dlqUrl,
      MessageBody: JSON.stringify({
        type: 'order.submitted',
        id,
        correlationId: `req-${id}`,
        sentAt: '2026-11-23T10:00:00.000Z',
      }),
      MessageAttributes: { correlationId: { DataType: 'String', StringValue: `req-${id}` } },
    }),
  );
}

beforeEach(async () => {
  await drainQueue('orders');
  await drainDeadLetterQueue('orders');
});

describe('GET /v1/ops/queues', () => {
  it('reports each queue with messages waiting, in flight and dead-lettered', async () => {
    const { sqs } = testClients();
    const queue = testQueue('orders');
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"n":1}' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"n":2}' }));
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
      }),
    );
    await deadLetter('dl-1');

    // The local server counts a message a timer tick after its send: ask until the dead letter shows.
    const { status, body } = await eventually(async () => {
      const answer = await call(listQueues, apiEvent({ path: '/v1/ops/queues', ...ops }));
      if (answer.body?.queues?.find((q: { name: string }) => q.name === 'orders')?.deadLetters !== 1) {
        throw new Error('the dead letter is not counted yet');
      }
      return answer;
    });
    const orders = body.queues.find((q: { name: string }) => q.name === 'orders');

    expect(status).toBe(200);
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual([...QUEUE_NAMES]);
    expect(orders).toMatchObject({ name: 'orders', inFlight: 1, deadLetters: 1 });
    // AWS reports 1 waiting here; local-aws-sqs counts the in-flight message in ApproximateNumberOfMessages too.
    expect(orders.waiting).toBe(2);
  });
});

describe('POST /v1/ops/queues/{name}/redrive', () => {
  it(
    'moves every dead letter back to the queue with its body and attributes, ' + 'leaving the dead-letter queue empty',
    async () => {
      const ids = Array.from({ length: 23 }, (_, i) => `dl-${i}`);
      for (const id of ids) await deadLetter(id);

      const { status, body } = await call(
        redriveQueue,
        apiEvent({ method: 'POST', path: '/v1/ops/queues/orders/redrive', ...ops }),
      );
      const onQueue: Message[] = [];
      await eventually(async () => {
        onQueue.push(...(await drainQueueMessages('orders')));
        return onQueue.length >= ids.length;
      });
      onQueue.push(...(await drainQueueMessages('orders')));
      const depth = await queueDepth('orders');

      expect(status).toBe(200);
      expect(body).toEqual({ moved: 23 });
      expect(onQueue.map((m) => JSON.parse(m.Body ?? '{}').id).sort()).toEqual([...ids].sort());
      expect(
        onQueue.every((m) => m.MessageAttributes?.correlationId?.StringValue === `req-${JSON.parse(m.Body!).id}`),
      ).toBe(true);
      expect(depth.deadLetters).toBe(0);
    },
  );

  it('answers {"moved":0} when the dead-letter queue is empty', async () => {
    const { status, body } = await call(
      redriveQueue,
      apiEvent({ method: 'POST', path: '/v1/ops/queues/orders/redrive', ...ops }),
    );

    expect(status).toBe(200);
    expect(body).toEqual({ moved: 0 });
  });

  it('answers 404 for a queue that does not exist', async () => {
    const { status, body } = await call(
      redriveQueue,
      apiEvent({ method: 'POST', path: '/v1/ops/queues/nope/redrive', ...ops }),
    );

    expect(status).toBe(404);
    expect(body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('ops routes refuse other roles', () => {
  it.each([
    ['GET', '/v1/ops/queues', listQueues],
    ['POST', '/v1/ops/queues/orders/redrive', redriveQueue],
  ] as const)('%s %s: 403 for front-office, 401 without a token, 200 for admin', async (method, path, handler) => {
    await deadLetter('kept');
    await eventually(async () => (await queueDepth('orders')).deadLetters === 1);

    const forbidden = await call(handler, apiEvent({ method, path, roles: ['front-office', 'inventory'] }));
    const anonymous = await call(handler, apiEvent({ method, path }));
    const depthAfterRefusals = await queueDepth('orders');
    const admin = await call(handler, apiEvent({ method, path, roles: ['admin'] }));

    expect(forbidden.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(depthAfterRefusals.deadLetters).toBe(1);
    expect(admin.status).toBe(200);
  });
});
