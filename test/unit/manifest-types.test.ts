import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import {
  QUEUE_NAMES,
  queueDecl,
  routes,
  type MessageType,
  type Permissions,
  type QueueName,
  type RouteKey,
} from '#shared/manifest.ts';
import { httpRoute } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { queueTarget, sendMessage } from '#shared/queue/send.ts';
import { sqsProcessor } from '#shared/queue/processor.ts';
import { WORK_KINDS } from '#shared/queue/work-metrics.ts';

/*
 * The manifest is the one source of route keys, queue names and each queue's message types: what it does not declare
 * does not compile. Each `@ts-expect-error` below fails `npm run typecheck` the day its line stops being an error.
 * The function is never called: these lines are for the compiler only.
 */
function undeclaredThingsDoNotCompile(sqs: SQSClient): void {
  // @ts-expect-error a route key the manifest does not declare (a typo of 'POST /v1/orders')
  httpRoute({ route: 'POST /v1/order' }, async () => ({ status: 200 }));
  // @ts-expect-error a method the path is not declared with
  httpRoute({ route: 'DELETE /v1/orders' }, async () => ({ status: 200 }));

  // @ts-expect-error a queue the manifest does not declare
  queueTarget('invoices');
  // @ts-expect-error a route or schedule granted a queue the manifest does not declare
  const grant: Permissions = { sendTo: ['invoices'] };
  void grant;

  const orders = queueTarget('orders');
  // @ts-expect-error a message type the orders queue does not declare (it belongs to the payments queue)
  void sendMessage(sqs, orders, { type: 'payment.received', id: 'pay-1', correlationId: 'c-1' });
  void sendMessage(sqs, orders, { type: 'backorders.retry', id: 'SKU-1', correlationId: 'c-1' });

  void acceptAndQueue(
    { correlationId: 'c-1' },
    {
      sqs,
      queue: orders,
      kind: 'order',
      accept: async () => ({ orderId: 'ord-1' }),
      answer: () => ({ status: 202 }),
      notQueued: () => ({ log: 'not queued' }),
      // @ts-expect-error an intake may queue only a type its queue declares
      message: (order) => ({ type: 'case.submitted', id: order.orderId }),
    },
  );

  // @ts-expect-error a processor without a handler for one of its queue's types (`backorders.retry`)
  sqsProcessor('orders', { 'order.submitted': async () => {} });
  // @ts-expect-error a processor with a handler for a type its queue does not declare
  sqsProcessor('payments', { 'payment.received': async () => {}, 'payment.refunded': async () => {} });
  // @ts-expect-error a processor of a queue the manifest does not declare
  sqsProcessor('invoices', {});
}
void undeclaredThingsDoNotCompile;

const context = { functionName: 'processor', awsRequestId: 'req' } as unknown as Context;

function event(...messages: { id: string; type: string }[]): SQSEvent {
  return {
    Records: messages.map(({ id, type }) => ({
      messageId: id,
      receiptHandle: `rh-${id}`,
      body: JSON.stringify({ type, id, correlationId: `c-${id}`, sentAt: new Date().toISOString() }),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:payments',
      awsRegion: 'us-east-1',
    })),
  } as unknown as SQSEvent;
}

describe('the manifest as the one source of queue message types', () => {
  it('declares each queue with the message types its senders send and its processor handles', () => {
    expectTypeOf<MessageType<'orders'>>().toEqualTypeOf<'order.submitted' | 'backorders.retry'>();
    expectTypeOf<QueueName>().toEqualTypeOf<
      'orders' | 'payments' | 'payroll' | 'reports' | 'support' | 'hr' | 'documents'
    >();
    const declared = Object.fromEntries(QUEUE_NAMES.map((name) => [name, [...queueDecl(name).messageTypes]]));
    expect(declared).toEqual({
      orders: ['order.submitted', 'backorders.retry'],
      payments: ['payment.received'],
      payroll: ['payroll.requested'],
      reports: ['report.requested'],
      support: ['case.submitted', 'ticket.submitted'],
      hr: ['employee.hired', 'employee.terminating'],
      // S3 sends to it; no code does, so it declares no type (a send to it fails the typecheck).
      documents: [],
    });
  });

  it('gives every message type one queue, so a type names where it goes', () => {
    const types = QUEUE_NAMES.flatMap((name) => queueDecl(name).messageTypes);
    expect(new Set(types).size).toBe(types.length);
  });

  it("counts each queue's work under the kind it declares", () => {
    expect(WORK_KINDS).toEqual(Object.fromEntries(QUEUE_NAMES.map((name) => [name, queueDecl(name).workKind])));
    expect(WORK_KINDS).toEqual({
      orders: 'order',
      payments: 'payment',
      payroll: 'payroll',
      reports: 'report',
      support: 'support',
      hr: 'employee',
      documents: 'document',
    });
  });

  it('has a route key type naming declared routes', () => {
    const key: RouteKey = 'POST /v1/orders';
    expect(routes.some((route) => `${route.method} ${route.path}` === key)).toBe(true);
  });

  it('resolves a queue target from the environment at once, and refuses a queue the function was not given', () => {
    expect(queueTarget('orders')).toEqual({ queue: 'orders', url: process.env.QUEUE_URL_ORDERS });
    expect(() => queueTarget('orders', {})).toThrow('Missing environment variable QUEUE_URL_ORDERS');
  });

  it('hands each declared type to its handler and fails a message of a type the queue does not declare', async () => {
    const handled: string[] = [];
    const handler = sqsProcessor('payments', {
      'payment.received': async (message) => {
        expectTypeOf(message.type).toEqualTypeOf<'payment.received'>();
        handled.push(message.id);
      },
    });

    const batch = event({ id: 'pay-1', type: 'payment.received' }, { id: 'ord-1', type: 'order.submitted' });
    const result = await handler(batch, context);

    expect(handled).toEqual(['pay-1']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'ord-1' }]);
  });
});
