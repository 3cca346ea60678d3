import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { queues as manifestQueues } from '#shared/manifest.ts';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { deliverBatch } from '../../scripts/local/poller.ts';
import {
  apiEvent,
  drainDeadLetterQueue,
  drainQueue,
  eventually,
  lambdaContext,
  pumpQueue,
  queueDepth,
  sendToQueue,
  testClients,
  testQueue,
} from '../support/index.ts';
import { call, itemBody, orderBody, uniqueSku } from './orders-inventory-fixtures.ts';
import { captureJsonLines } from '../support/output.ts';

/**
 * docs/contract.md#operations: structured JSON logs whose correlation id follows a submission from the HTTP request
 * through its queue message into the processor, and work metrics (received, processed, failed, dead-lettered), read
 * from what the real handlers write. Powertools Logger writes INFO lines to stdout and WARN/ERROR to stderr, Powertools
 * Metrics writes EMF lines to stdout; in Lambda both reach the function's log group.
 */

type Line = Record<string, any>;

const MAX_RECEIVES = manifestQueues.find((q) => q.name === 'orders')!.maxReceiveCount;

/** EMF lines of one metric: namespace, dimension set and value checked by the caller. */
const metricLines = (lines: Line[], name: string) => lines.filter((line) => line._aws && name in line);
const logLines = (lines: Line[]) => lines.filter((line) => !line._aws);

function expectWorkMetric(line: Line, name: string, kind: string): void {
  expect(line._aws.CloudWatchMetrics).toEqual([
    { Namespace: 'BackOffice', Dimensions: [['service', 'kind']], Metrics: [{ Name: name, Unit: 'Count' }] },
  ]);
  expect(line).toMatchObject({ service: 'back-office', kind, [name]: 1 });
}

async function createItem(): Promise<string> {
  const sku = uniqueSku();
  const answer = await call(putItem, {
    method: 'PUT',
    path: `/v1/inventory/items/${sku}`,
    roles: ['inventory'],
    body: itemBody(),
  });
  expect(answer.status).toBe(201);
  return sku;
}

/** Receives what is visible now, hidden for one second only, so a failed message comes back within the test. */
async function receiveBriefly(): Promise<Message[]> {
  const { Messages } = await testClients().sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: testQueue('orders').url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 1,
      WaitTimeSeconds: 1,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

beforeEach(async () => {
  await drainQueue('orders');
  await drainDeadLetterQueue('orders');
});

describe('correlation id from request to processor', () => {
  it("puts the API request id on every log line of the processor handling the request's message", async () => {
    const sku = await createItem();
    const event = apiEvent({
      method: 'POST',
      path: '/v1/orders',
      roles: ['front-office'],
      body: orderBody([{ sku, quantity: 1 }]),
    });
    const requestId = event.requestContext.requestId;

    const intake = await captureJsonLines(() => submitOrder(event, lambdaContext('submit-order')));
    const processing = await captureJsonLines(() => pumpQueue('orders', processOrder));

    expect(intake.result.statusCode).toBe(202);
    expect(intake.result.headers?.['x-correlation-id']).toBe(requestId);
    const orderId = JSON.parse(intake.result.body as string).orderId as string;
    const processorLogs = logLines(processing.lines);
    expect(processorLogs.map((line) => line.message)).toContain('order processed');
    for (const line of processorLogs) {
      expect(line).toMatchObject({
        correlationId: requestId,
        entityId: orderId,
        function_name: 'local-orders-processor',
      });
    }
    expect(processorLogs.find((line) => line.message === 'order processed')).toMatchObject({
      orderId,
      status: 'CONFIRMED',
    });
  });

  it("follows the caller's own x-correlation-id instead, when it sent one", async () => {
    const sku = await createItem();
    const correlationId = `front-desk-${uniqueSku()}`;

    const intake = await captureJsonLines(() =>
      call(submitOrder, {
        method: 'POST',
        path: '/v1/orders',
        roles: ['front-office'],
        body: orderBody([{ sku, quantity: 1 }]),
        headers: { 'x-correlation-id': correlationId },
      }),
    );
    const processing = await captureJsonLines(() => pumpQueue('orders', processOrder));

    expect(intake.result.headers['x-correlation-id']).toBe(correlationId);
    const processorLogs = logLines(processing.lines);
    expect(processorLogs.length).toBeGreaterThan(0);
    for (const line of processorLogs) expect(line.correlationId).toBe(correlationId);
  });
});

describe('work metrics', () => {
  it('counts the order received at intake and processed by the processor, with kind order', async () => {
    const sku = await createItem();

    const intake = await captureJsonLines(() =>
      call(submitOrder, {
        method: 'POST',
        path: '/v1/orders',
        roles: ['front-office'],
        body: orderBody([{ sku, quantity: 1 }]),
      }),
    );
    const processing = await captureJsonLines(() => pumpQueue('orders', processOrder));

    expect(intake.result.status).toBe(202);
    const received = metricLines(intake.lines, 'WorkReceived');
    expect(received).toHaveLength(1);
    expectWorkMetric(received[0]!, 'WorkReceived', 'order');
    const processed = metricLines(processing.lines, 'WorkProcessed');
    expect(processed).toHaveLength(1);
    expectWorkMetric(processed[0]!, 'WorkProcessed', 'order');
    expect(metricLines(processing.lines, 'WorkFailed')).toEqual([]);
    expect(metricLines(processing.lines, 'WorkDeadLettered')).toEqual([]);
  });

  it(
    'counts a message that keeps failing WorkFailed on every receive and WorkDeadLettered on the last, ' +
      'whatever broke it',
    async () => {
      // Three ways to fail for good: a type no processor knows, a body that is not JSON, JSON that is not an envelope.
      const failing = [
        {
          name: 'unknown type',
          correlationId: 'corr-unknown-type',
          body: {
            type: 'order.teleported',
            id: 'o-1',
            correlationId: 'corr-unknown-type',
            sentAt: new Date().toISOString(),
          },
        },
        { name: 'not JSON', correlationId: 'corr-not-json', body: 'not json {' },
        { name: 'not an envelope', correlationId: 'corr-not-envelope', body: { type: 'order.submitted' } },
      ];
      const sent = await Promise.all(
        failing.map(async (f) => ({
          ...f,
          id: await sendToQueue('orders', f.body, { correlationId: f.correlationId }),
        })),
      );
      const deliveries = new Map<string, { receives: number; lines: Line[] }[]>(sent.map((f) => [f.id, []]));

      // Each message in its own batch, so every line written belongs to that one message's delivery.
      while ([...deliveries.values()].some((d) => d.length < MAX_RECEIVES)) {
        for (const message of await receiveBriefly()) {
          const { lines } = await captureJsonLines(() =>
            deliverBatch(testClients().sqs, testQueue('orders'), [message], processOrder),
          );
          deliveries
            .get(message.MessageId!)!
            .push({ receives: Number(message.Attributes?.ApproximateReceiveCount), lines });
        }
      }
      const deadLettered = await eventually(async () => (await queueDepth('orders')).deadLetters === sent.length);

      expect(deadLettered).toBe(true);
      for (const { name, id, correlationId } of sent) {
        const attempts = deliveries.get(id)!;
        expect({ name, receives: attempts.map((a) => a.receives) }).toEqual({
          name,
          receives: Array.from({ length: MAX_RECEIVES }, (_, i) => i + 1),
        });
        for (const { receives, lines } of attempts) {
          const last = receives === MAX_RECEIVES;
          const counted = (metric: string) => metricLines(lines, metric).length;
          expect({
            name,
            receives,
            failed: counted('WorkFailed'),
            deadLettered: counted('WorkDeadLettered'),
            processed: counted('WorkProcessed'),
          }).toEqual({ name, receives, failed: 1, deadLettered: last ? 1 : 0, processed: 0 });
          expectWorkMetric(metricLines(lines, 'WorkFailed')[0]!, 'WorkFailed', 'order');
          if (last) expectWorkMetric(metricLines(lines, 'WorkDeadLettered')[0]!, 'WorkDeadLettered', 'order');
          const failure = logLines(lines).find((line) => /^message failed/.test(line.message));
          expect(failure, `${name}, receive ${receives}, logs its failure`).toMatchObject({
            level: last ? 'ERROR' : 'WARN',
            receives,
            messageId: id,
            correlationId,
          });
        }
      }
      expect((await drainDeadLetterQueue('orders')).length).toBe(sent.length);
    },
  );
});
