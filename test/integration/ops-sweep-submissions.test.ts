import { beforeEach, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import type { OrderStatus } from '#shared/domain/orders.ts';
import { sweepSubmissions } from '#shared/services/ops-sweep.ts';
import {
  drainQueue,
  eventually,
  scheduledEvent,
  lambdaContext,
  testClients,
  testQueue,
  testResources,
} from '../support/index.ts';

interface Envelope {
  type: string;
  id: string;
  correlationId: string;
}

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesBefore = (date: Date, minutes: number) => new Date(date.getTime() - minutes * 60_000).toISOString();

let next = 0;
/** An order item as intake writes it, keys from the keys module; only what the sweeper reads matters here. */
async function putOrder(status: OrderStatus, createdAt: string, extra: Record<string, unknown> = {}): Promise<string> {
  const orderId = `ord-sweep-${++next}-${Math.random().toString(36).slice(2, 8)}`;
  await testClients().doc.send(
    new PutCommand({
      TableName: testResources().tableName,
      Item: {
        ...keys.order.key({ orderId }),
        ...keys.orderByStatus.key({ status, createdAt, orderId }),
        ...keys.orderByDay.key({ createdAt, orderId }),
        entity: 'order',
        orderId,
        status,
        createdAt,
        updatedAt: createdAt,
        ...extra,
      },
    }),
  );
  return orderId;
}

/**
 * Drains the orders queue until `count` messages came (the local SQS server makes a message receivable a timer tick
 * after its send), then once more, so an extra message would show.
 */
async function drainExpecting(count: number): Promise<Envelope[]> {
  const drained: Envelope[] = [];
  await eventually(async () => {
    drained.push(...(await drainQueue<Envelope>('orders')));
    return drained.length >= count;
  });
  drained.push(...(await drainQueue<Envelope>('orders')));
  return drained;
}

const sent = (result: { requeued: string[]; backorderRetryQueued: boolean }) =>
  result.requeued.length + (result.backorderRetryQueued ? 1 : 0);

function sweep(now: Date, maxPerRun?: number) {
  const { doc, sqs } = testClients();
  return sweepSubmissions({
    doc,
    sqs,
    tableName: testResources().tableName,
    queueUrl: testQueue('orders').url,
    now: () => now,
    ...(maxPerRun !== undefined ? { maxPerRun } : {}),
  });
}

describe('submission sweeper', () => {
  // The file shares one table. Every test runs its clock a day earlier than the test before, so the orders earlier
  // tests left behind lie in its future and are never older than its cutoff.
  let day = 0;
  let now: Date;
  beforeEach(async () => {
    now = new Date(NOW.getTime() - ++day * 24 * 3600_000);
    await drainQueue('orders');
  });

  it(
    're-queues an order still RECEIVED after 5 minutes, exactly once, ' + 'and leaves a 1-minute-old one alone',
    async () => {
      const stuck = await putOrder('RECEIVED', minutesBefore(now, 6), { correlationId: 'req-stuck' });
      const fresh = await putOrder('RECEIVED', minutesBefore(now, 1));

      const result = await sweep(now);
      const messages = await drainExpecting(sent(result));

      expect(result.requeued).toEqual([stuck]);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ type: 'order.submitted', id: stuck, correlationId: 'req-stuck' });
      expect(messages.some((m) => m.id === fresh)).toBe(false);
    },
  );

  it('does not re-queue orders that left RECEIVED', async () => {
    await putOrder('CONFIRMED', minutesBefore(now, 30));
    await putOrder('REJECTED', minutesBefore(now, 30));

    const result = await sweep(now);

    expect(result.requeued).toEqual([]);
    expect(await drainQueue('orders')).toEqual([]);
  });

  it('re-queues oldest first across pages and stops at the per-run cap', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await putOrder('RECEIVED', minutesBefore(now, 60 - i)));

    const capped = await sweep(now, 3);
    const firstRun = await drainExpecting(sent(capped));
    const all = await sweep(now);
    const secondRun = await drainExpecting(sent(all));

    expect(capped.requeued).toEqual(ids.slice(0, 3));
    expect(capped.capped).toBe(true);
    expect(firstRun.map((m) => m.id)).toEqual(ids.slice(0, 3));
    expect(all.capped).toBe(false);
    expect(secondRun.map((m) => m.id).sort()).toEqual([...ids].sort());
  });

  it("gives a re-queued order without a recorded correlation id the run's correlation id", async () => {
    const orderId = await putOrder('RECEIVED', minutesBefore(now, 10));

    const result = await sweep(now);
    const [message] = await drainExpecting(sent(result));

    expect(message).toMatchObject({ type: 'order.submitted', id: orderId, correlationId: result.correlationId });
    expect(result.correlationId).toMatch(/^sweep-/);
  });

  it('queues one backorder retry when any order is backordered', async () => {
    // Backordered orders of earlier days are visible too; the retry is sent once however many there are.
    await putOrder('BACKORDERED', minutesBefore(now, 2));
    await putOrder('BACKORDERED', minutesBefore(now, 20));

    const result = await sweep(now);
    const messages = await drainExpecting(sent(result));

    expect(result.backorderRetryQueued).toBe(true);
    expect(messages.filter((m) => m.type === 'backorders.retry')).toEqual([
      expect.objectContaining({ type: 'backorders.retry', id: 'sweeper', correlationId: result.correlationId }),
    ]);
  });

  it('runs as a scheduled job with the real clock', async () => {
    // Orders of the earlier tests are days old by the real clock and get re-queued too; only these two matter here.
    const { handler } = await import('../../functions/ops/sweep-submissions.ts');
    const stuck = await putOrder('RECEIVED', minutesBefore(new Date(), 6));
    const fresh = await putOrder('RECEIVED', minutesBefore(new Date(), 1));

    const result = await handler(scheduledEvent(), lambdaContext('sweep-submissions'));
    const messages = await drainExpecting(result.requeued + (result.backorderRetryQueued ? 1 : 0));
    const ids = messages.filter((m) => m.type === 'order.submitted').map((m) => m.id);

    expect(ids).toContain(stuck);
    expect(ids).not.toContain(fresh);
    expect(result.requeued).toBe(ids.length);
  });
});
