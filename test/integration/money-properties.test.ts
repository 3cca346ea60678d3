import { afterAll, describe, expect, it, vi } from 'vitest';
import * as fc from 'fast-check';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { ACCOUNTS, type AccountCode } from '#shared/domain/ledger.ts';
import { queryAll } from '#shared/data/query.ts';
import { journalEntrySchema } from '#shared/data/journal.ts';
import { envelopeSchema } from '#shared/queue/envelope.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { handler as receiveGoods } from '../../functions/inventory/receive-goods.ts';
import { handler as adjustStock } from '../../functions/inventory/adjust-stock.ts';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as cancelOrder } from '../../functions/orders/cancel-order.ts';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as submitPayment } from '../../functions/accounting/submit-payment.ts';
import { handler as processPayment } from '../../functions/accounting/process-payment.ts';
import { deliverBatch, receiveBatch } from '../../scripts/local/poller.ts';
import { sqsEventFromMessages } from '../../scripts/local/events.ts';
import type { LocalQueue } from '../../scripts/local/queues.ts';
import {
  drainQueue,
  lambdaContext,
  queueDepth,
  testClients,
  testQueue,
  testResources,
  type ApiEventOptions,
} from '../support/index.ts';
import { call, type Answer } from './orders-inventory-fixtures.ts';

/**
 * The books balance, whatever happens (docs/contract.md#guarantees). fast-check drives random sequences of orders
 * (most processed at once, some left RECEIVED until a late processor run), goods receipts, stock adjustments,
 * payments (alone, two at once, or racing a cancellation) and cancellations (of orders confirmed or still waiting)
 * through the deployed path: intake and commands through the HTTP handlers with API Gateway events, and the messages
 * those handlers put on this file's queues delivered to the real processors as the local runtime's poller delivers
 * them (`deliverBatch`, successes deleted). After every step it checks:
 *
 * - total debits = total credits, over the journal entries and over the balance shards, which agree account by account;
 * - 1100 Accounts Receivable = Σ open invoice balances (`totalCents − paidCents` of OPEN / PARTIALLY_PAID);
 * - 1200 Inventory = Σ the items' `stockValueCents`, to the cent; stock and stock value never negative;
 * - no invoice paid beyond its total; `paidCents` = Σ its applied payments; 1000 Cash = Σ applied payments;
 * - an order cancelled before confirmation stays CANCELLED whatever the processor does later, has no invoice and no
 *   journal entry; an order whose message is held is still RECEIVED, every other one was decided; every accepted
 *   payment was applied or rejected.
 *
 * Every message a step causes is received and matched (type and id) against what that step must have queued, and
 * processed; a "late" order.submitted is received and held in flight, then delivered at the late processor run, where
 * every order.submitted of the sequence is also delivered a second time (at-least-once). A sequence ends with its
 * queues and dead-letter queues empty.
 *
 * Sequences are isolated cheaply in one table: each has its own SKUs and its own UTC day (the process's clock is moved
 * to that day for the sequence, still ticking in real time), so its journal entries are one day partition and its
 * share of the balance shards is that day's movements. The backorder retry walks every BACKORDERED order of the
 * table, so a sequence ends by cancelling its own backorders (which posts nothing), leaving none to a later one.
 */

const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 300);
const { doc, sqs } = testClients();
const tableName = testResources().tableName;
const CODES = Object.keys(ACCOUNTS) as AccountCode[];
const ORDERS = testQueue('orders');
const PAYMENTS = testQueue('payments');
const FRONT_OFFICE = ['front-office'];
const INVENTORY = ['inventory'];

// ---------------------------------------------------------------- one clock per sequence

const RealDate = globalThis.Date;
let clockShiftMs = 0;

/** `Date`, moved by `clockShiftMs`: what every handler and service reads as "now" while a sequence runs. */
class SequenceDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + clockShiftMs);
    else super(...(args as [string]));
  }

  static override now(): number {
    return RealDate.now() + clockShiftMs;
  }

  /** Dates built before the clock was moved are still dates. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof RealDate;
  }
}
vi.stubGlobal('Date', SequenceDate);
afterAll(() => {
  vi.unstubAllGlobals();
});

// ---------------------------------------------------------------- generated steps

type Op =
  | { kind: 'order'; lines: { sku: number; quantity: number }[] }
  | { kind: 'orderLeftWaiting'; lines: { sku: number; quantity: number }[] }
  | { kind: 'cancelWaiting'; order: number }
  | { kind: 'lateProcessing' }
  | { kind: 'receipt'; sku: number; quantity: number; unitCostCents: number }
  | { kind: 'adjustment'; sku: number; delta: number }
  | { kind: 'payment'; order: number; amount: Amount }
  | { kind: 'twoPayments'; order: number; first: Amount; second: Amount }
  | { kind: 'cancel'; order: number }
  | { kind: 'cancelRacingPayment'; order: number; amount: Amount };

/** How much of what is open a payment tries: all of it, a part (per mille), or more than all. */
type Amount = { mode: 'rest' | 'part' | 'over'; permille: number };

const amountArb: fc.Arbitrary<Amount> = fc.record({
  mode: fc.constantFrom('rest', 'part', 'over'),
  permille: fc.integer({ min: 1, max: 999 }),
});
const orderRef = fc.nat({ max: 20 });
const linesArb = fc.uniqueArray(fc.record({ sku: fc.nat({ max: 2 }), quantity: fc.integer({ min: 1, max: 4 }) }), {
  selector: (l) => l.sku,
  minLength: 1,
  maxLength: 3,
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('order' as const), lines: linesArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('orderLeftWaiting' as const), lines: linesArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancelWaiting' as const), order: orderRef }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lateProcessing' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('receipt' as const),
      sku: fc.nat({ max: 2 }),
      quantity: fc.integer({ min: 1, max: 6 }),
      unitCostCents: fc.integer({ min: 0, max: 999 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('adjustment' as const),
      sku: fc.nat({ max: 2 }),
      delta: fc.integer({ min: -4, max: 4 }).filter((d) => d !== 0),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('payment' as const), order: orderRef, amount: amountArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('twoPayments' as const),
      order: orderRef,
      first: amountArb,
      second: amountArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: orderRef }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancelRacingPayment' as const), order: orderRef, amount: amountArb }),
  },
);
const itemArb = fc.record({
  onHand: fc.integer({ min: 0, max: 12 }),
  unitCostCents: fc.integer({ min: 0, max: 999 }),
  unitPriceCents: fc.integer({ min: 0, max: 1999 }),
});
const scenarioArb = fc.record({
  items: fc.array(itemArb, { minLength: 1, maxLength: 3 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 8 }),
});

// ---------------------------------------------------------------- routes and queues

type HttpHandler = Parameters<typeof call>[0];
type Processor = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Calls a route and insists on an answer the step may meet: the route's success (202, 201, 200), or 409 where a
 * business refusal is possible. Every step names something its sequence created, so a 404 (unknown) is a bug here,
 * like a 400 or a 500.
 */
async function request(handler: HttpHandler, options: ApiEventOptions, allowed: number[]): Promise<Answer> {
  const answer = await call(handler, options);
  expect(
    allowed,
    `${options.method} ${options.path} answered ${answer.status} ${JSON.stringify(answer.body)}`,
  ).toContain(answer.status);
  return answer;
}

/** What a queue message says happened: its envelope's type and id. */
const what = (message: Message) => {
  const { type, id } = envelopeSchema.parse(JSON.parse(message.Body ?? ''));
  return { type, id };
};
const byTypeAndId = (a: { type: string; id: string }, b: { type: string; id: string }) =>
  `${a.type} ${a.id}`.localeCompare(`${b.type} ${b.id}`);

/** Messages received and not deleted yet (held, or about to be delivered), so a failed sequence can drop them. */
const unsettled = new Map<string, { queue: LocalQueue; message: Message }>();

/**
 * Receives from a queue exactly the messages a step must have caused (matched on type and id) and keeps them in
 * flight, as a poller holds a batch. No empty receive on the happy path: the local server makes each one wait.
 */
async function receive(queue: LocalQueue, expected: { type: string; id: string }[]): Promise<Message[]> {
  const got: Message[] = [];
  for (let empty = 0; got.length < expected.length;) {
    const batch = await receiveBatch(sqs, queue.url, Math.min(queue.decl.batchSize, expected.length - got.length));
    if (batch.length === 0 && ++empty > 2) break;
    got.push(...batch);
  }
  for (const message of got) unsettled.set(message.MessageId ?? '', { queue, message });
  expect(got.map(what).sort(byTypeAndId), `messages on ${queue.name}`).toEqual([...expected].sort(byTypeAndId));
  return got;
}

/** Delivers received messages to a processor in batches of the queue's size, as the poller does; each must succeed. */
async function deliver(queue: LocalQueue, messages: Message[], processor: Processor): Promise<void> {
  for (let start = 0; start < messages.length; start += queue.decl.batchSize) {
    const outcome = await deliverBatch(sqs, queue, messages.slice(start, start + queue.decl.batchSize), processor);
    for (const id of outcome.succeeded) unsettled.delete(id);
    expect({ failed: outcome.failed, error: outcome.error }, `a ${queue.name} batch failed`).toEqual({
      failed: [],
      error: undefined,
    });
  }
}

/** Each message in its own batch, all at once: concurrent invocations of the processor, as several pollers make. */
async function deliverConcurrently(queue: LocalQueue, messages: Message[], processor: Processor): Promise<void> {
  await Promise.all(messages.map((message) => deliver(queue, [message], processor)));
}

/** The same messages arriving again (SQS delivers at least once): the event the poller builds for a second receive. */
async function redeliver(queue: LocalQueue, messages: Message[], processor: Processor): Promise<void> {
  for (let start = 0; start < messages.length; start += queue.decl.batchSize) {
    const again = messages.slice(start, start + queue.decl.batchSize).map((message) => ({
      ...message,
      Attributes: {
        ...message.Attributes,
        ApproximateReceiveCount: String(Number(message.Attributes?.ApproximateReceiveCount ?? 1) + 1),
      },
    }));
    const response = await processor(
      sqsEventFromMessages(again, queue.arn),
      lambdaContext(`local-${queue.name}-processor`),
    );
    expect(response.batchItemFailures, `a redelivered ${queue.name} batch failed`).toEqual([]);
  }
}

// ---------------------------------------------------------------- one sequence

let sequence = 0;

/** One sequence: its own SKUs, its own day. */
class Sequence {
  readonly n = ++sequence;
  readonly day = new RealDate(RealDate.UTC(2001, 0, 1) + this.n * 86_400_000).toISOString().slice(0, 10);
  readonly skus: string[] = [];
  readonly orderIds: string[] = [];
  readonly invoiceIds = new Set<string>();
  readonly paymentIds: string[] = [];
  /** Orders submitted whose order.submitted is held in flight until a late processor run: still RECEIVED. */
  readonly waiting: string[] = [];
  /** The held order.submitted messages (of waiting orders, and of orders cancelled while waiting). */
  private readonly held: Message[] = [];
  /** Every order.submitted delivered so far, for the redelivery at the late processor run. */
  private readonly delivered: Message[] = [];
  /** Orders cancelled before they were confirmed: they must stay CANCELLED and never post anything. */
  readonly cancelledUnconfirmed = new Set<string>();

  sku(index: number): string {
    return this.skus[index % this.skus.length]!;
  }

  async setUp(items: { onHand: number; unitCostCents: number; unitPriceCents: number }[]): Promise<void> {
    clockShiftMs = RealDate.parse(`${this.day}T08:00:00.000Z`) - RealDate.now();
    for (const [i, item] of items.entries()) {
      const sku = `PROP${this.n}-${i}`;
      await request(
        putItem,
        {
          method: 'PUT',
          path: `/v1/inventory/items/${sku}`,
          roles: INVENTORY,
          body: { name: 'Prop', reorderPoint: 0, reorderQuantity: 5, ...item },
        },
        [201],
      );
      this.skus.push(sku);
    }
  }

  /** The invoice of the `ref`-th order that has one, if any. */
  private invoiceOf(ref: number): string | undefined {
    const ids = [...this.invoiceIds];
    return ids.length > 0 ? ids[ref % ids.length] : undefined;
  }

  private async amountFor(invoiceId: string, amount: Amount): Promise<number> {
    const invoice = (await this.readRecords([keys.invoice.key({ invoiceId })]))[0]!;
    const open = Number(invoice.totalCents) - Number(invoice.paidCents);
    if (amount.mode === 'rest') return Math.max(1, open);
    if (amount.mode === 'over') return open + 1 + (amount.permille % 50);
    return Math.max(1, Math.floor((open * amount.permille) / 1000));
  }

  /** Submits a payment (intake may refuse it at once, 409) and returns its queued message when accepted. */
  private async submitPayment(invoiceId: string, amountCents: number): Promise<Message | undefined> {
    const answer = await request(
      submitPayment,
      { method: 'POST', path: '/v1/payments', roles: FRONT_OFFICE, body: { invoiceId, amountCents, method: 'card' } },
      [202, 409],
    );
    if (answer.status !== 202) return undefined;
    const paymentId = String(answer.body.paymentId);
    this.paymentIds.push(paymentId);
    return (await receive(PAYMENTS, [{ type: 'payment.received', id: paymentId }]))[0];
  }

  /** Submits an order (202 RECEIVED) and returns its order.submitted message, received and not yet delivered. */
  private async submitOrder(generated: { sku: number; quantity: number }[]): Promise<Message> {
    // Distinct SKUs, as intake requires (two generated lines may name the same SKU of a short catalogue).
    const lines = [
      ...new Map(generated.map((l) => [this.sku(l.sku), { sku: this.sku(l.sku), quantity: l.quantity }])).values(),
    ];
    const answer = await request(
      submitOrder,
      {
        method: 'POST',
        path: '/v1/orders',
        roles: FRONT_OFFICE,
        body: { customer: { name: 'Prop', email: 'prop@example.com' }, lines },
      },
      [202],
    );
    expect(answer.body.status).toBe('RECEIVED');
    const orderId = String(answer.body.orderId);
    this.orderIds.push(orderId);
    return (await receive(ORDERS, [{ type: 'order.submitted', id: orderId }]))[0]!;
  }

  /** Delivers order.submitted messages to the order processor, and keeps them for their redelivery. */
  private async processSubmitted(messages: Message[]): Promise<void> {
    await deliver(ORDERS, messages, processOrder);
    this.delivered.push(...messages);
  }

  /**
   * Cancels an order (200, or 409 where `mayRefuse`). One cancelled without an invoice was not confirmed: it joins
   * the orders that must never post. One that had an invoice released its stock, so its backorder retry is processed.
   */
  private async cancel(orderId: string, mayRefuse = true): Promise<Answer> {
    const answer = await request(
      cancelOrder,
      { method: 'POST', path: `/v1/orders/${orderId}/cancel`, roles: FRONT_OFFICE },
      mayRefuse ? [200, 409] : [200],
    );
    if (answer.status !== 200) return answer;
    expect(answer.body.status).toBe('CANCELLED');
    if (this.waiting.includes(orderId)) this.waiting.splice(this.waiting.indexOf(orderId), 1);
    if (answer.body.invoiceId === undefined) this.cancelledUnconfirmed.add(orderId);
    else await deliver(ORDERS, await receive(ORDERS, [{ type: 'backorders.retry', id: orderId }]), processOrder);
    return answer;
  }

  async run(op: Op): Promise<void> {
    switch (op.kind) {
      case 'order':
        return this.processSubmitted([await this.submitOrder(op.lines)]);
      case 'orderLeftWaiting': {
        // Its order.submitted is late (a slow poller, a throttled processor): held in flight, the order stays RECEIVED.
        const message = await this.submitOrder(op.lines);
        this.held.push(message);
        this.waiting.push(what(message).id);
        return;
      }
      case 'cancelWaiting': {
        if (this.waiting.length === 0) return;
        await this.cancel(this.waiting[op.order % this.waiting.length]!, false);
        return;
      }
      case 'lateProcessing':
        // The late messages arrive, oldest first; then every order.submitted of the sequence arrives once more.
        await this.processSubmitted(this.held.splice(0));
        this.waiting.length = 0;
        await redeliver(ORDERS, this.delivered, processOrder);
        return;
      case 'receipt': {
        const sku = this.sku(op.sku);
        await request(
          receiveGoods,
          {
            method: 'POST',
            path: '/v1/inventory/receipts',
            roles: INVENTORY,
            body: { sku, quantity: op.quantity, unitCostCents: op.unitCostCents },
          },
          [201],
        );
        // The backorder retry walks every BACKORDERED order; orders still waiting for their message are not among them.
        await deliver(ORDERS, await receive(ORDERS, [{ type: 'backorders.retry', id: sku }]), processOrder);
        return;
      }
      case 'adjustment':
        await request(
          adjustStock,
          {
            method: 'POST',
            path: '/v1/inventory/adjustments',
            roles: INVENTORY,
            body: { sku: this.sku(op.sku), delta: op.delta, reason: 'count' },
          },
          [201, 409],
        );
        return;
      case 'payment': {
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const message = await this.submitPayment(invoiceId, await this.amountFor(invoiceId, op.amount));
        if (message) await deliver(PAYMENTS, [message], processPayment);
        return;
      }
      case 'twoPayments': {
        // Both pass intake on their own; processed at once, together they may overpay, and one must then be rejected.
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const first = await this.submitPayment(invoiceId, await this.amountFor(invoiceId, op.first));
        const second = await this.submitPayment(invoiceId, await this.amountFor(invoiceId, op.second));
        await deliverConcurrently(
          PAYMENTS,
          [first, second].filter((m): m is Message => m !== undefined),
          processPayment,
        );
        return;
      }
      case 'cancel': {
        const orderId = this.orderIds[op.order % Math.max(1, this.orderIds.length)];
        if (!orderId) return;
        await this.cancel(orderId);
        return;
      }
      case 'cancelRacingPayment': {
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const invoice = (await this.readRecords([keys.invoice.key({ invoiceId })]))[0]!;
        const message = await this.submitPayment(invoiceId, await this.amountFor(invoiceId, op.amount));
        const [cancelled] = await Promise.all([
          this.cancel(String(invoice.orderId)),
          message ? deliver(PAYMENTS, [message], processPayment) : Promise.resolve(),
        ]);
        if (message && cancelled.status === 200) {
          const [payment] = await this.readRecords([keys.payment.key({ paymentId: what(message).id })]);
          expect({ cancelled: true, payment: payment?.status }).toEqual({ cancelled: true, payment: 'REJECTED' });
        }
      }
    }
  }

  /** The end of a sequence: its backorders cancelled (nothing posted), so no later sequence's retry decides them. */
  async closeBackorders(): Promise<void> {
    const orders = await this.readRecords(this.orderIds.map((id) => keys.order.key({ orderId: id })));
    for (const order of orders) if (order.status === 'BACKORDERED') await this.cancel(String(order.orderId), false);
  }

  /** Every message the sequence caused was processed: nothing visible, in flight or dead-lettered. */
  async expectQueuesEmpty(): Promise<void> {
    expect({ held: this.held.length, unsettled: unsettled.size }).toEqual({ held: 0, unsettled: 0 });
    for (const queue of [ORDERS, PAYMENTS]) {
      expect({ queue: queue.name, ...(await queueDepth(queue.name)) }).toEqual({
        queue: queue.name,
        visible: 0,
        inFlight: 0,
        deadLetters: 0,
      });
    }
  }

  /**
   * After a failed sequence (fast-check goes on shrinking): the messages it received and did not settle deleted,
   * whatever is left on the queues dropped and its undecided orders cancelled, so the next sequence starts from a
   * table and queues it can reason about.
   */
  async abandon(): Promise<void> {
    const left = [...unsettled.values()];
    unsettled.clear();
    this.held.length = 0;
    for (const { queue, message } of left) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: [{ Id: '0', ReceiptHandle: message.ReceiptHandle ?? '' }],
        }),
      );
    }
    const orders = await this.readRecords(this.orderIds.map((id) => keys.order.key({ orderId: id })));
    for (const order of orders) {
      if (order.status === 'BACKORDERED' || order.status === 'RECEIVED') {
        await call(cancelOrder, {
          method: 'POST',
          path: `/v1/orders/${String(order.orderId)}/cancel`,
          roles: FRONT_OFFICE,
        });
      }
    }
    await Promise.all([drainQueue('orders'), drainQueue('payments')]);
  }

  async readRecords(keyList: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    if (keyList.length === 0) return [];
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keyList.length; start += 100) {
      const result = await doc.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: keyList.slice(start, start + 100), ConsistentRead: true } },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
    }
    return found;
  }

  /** Checks every invariant over this sequence's records. */
  async check(): Promise<void> {
    // Orders: each one whose message was delivered was decided; the ones with a held message are still RECEIVED;
    // each one cancelled before confirmation is CANCELLED without an invoice. Their invoices are the ones to check.
    const orders = await this.readRecords(this.orderIds.map((id) => keys.order.key({ orderId: id })));
    expect(orders).toHaveLength(this.orderIds.length);
    for (const order of orders) {
      if (typeof order.invoiceId === 'string') this.invoiceIds.add(order.invoiceId);
      const held = this.waiting.includes(String(order.orderId));
      expect({ order: order.orderId, held, received: order.status === 'RECEIVED' }).toEqual({
        order: order.orderId,
        held,
        received: held,
      });
    }

    // Journal: this sequence's day partition.
    const journal = new Map<AccountCode, { d: bigint; c: bigint }>(CODES.map((code) => [code, { d: 0n, c: 0n }]));
    const sources = new Set<string>();
    for await (const raw of queryAll(doc, tableName, keys.journalByDay.query({ day: this.day }))) {
      const entry = journalEntrySchema.parse(raw);
      sources.add(entry.source.id);
      for (const line of entry.lines) {
        const totals = journal.get(line.account)!;
        totals.d += BigInt(line.debitCents);
        totals.c += BigInt(line.creditCents);
      }
    }
    const sum = (pick: (t: { d: bigint; c: bigint }) => bigint) =>
      [...journal.values()].reduce((s, t) => s + pick(t), 0n);
    expect(sum((t) => t.d)).toBe(sum((t) => t.c));
    const netOf = (code: AccountCode) => Number(journal.get(code)!.d - journal.get(code)!.c);

    // Balance shards: this day's movements agree with the journal account by account; all running totals balance.
    const names: Record<string, string> = {};
    CODES.forEach((code, i) => {
      names[`#d${i}`] = `d${code}@${this.day}`;
      names[`#c${i}`] = `c${code}@${this.day}`;
      names[`#D${i}`] = `d${code}`;
      names[`#C${i}`] = `c${code}`;
    });
    const { Items: shards = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.ledgerBalanceShard.partition({}) },
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ConsistentRead: true,
      }),
    );
    const shardSum = (attribute: string) => shards.reduce((s, item) => s + BigInt(Number(item[attribute] ?? 0)), 0n);
    for (const code of CODES) {
      expect({ code, d: shardSum(`d${code}@${this.day}`), c: shardSum(`c${code}@${this.day}`) }).toEqual({
        code,
        d: journal.get(code)!.d,
        c: journal.get(code)!.c,
      });
    }
    expect(CODES.reduce((s, code) => s + shardSum(`d${code}`), 0n)).toBe(
      CODES.reduce((s, code) => s + shardSum(`c${code}`), 0n),
    );

    // Invoices and payments: every accepted payment reached the processor (applied or rejected).
    const invoices = await this.readRecords([...this.invoiceIds].map((id) => keys.invoice.key({ invoiceId: id })));
    const payments = await this.readRecords(this.paymentIds.map((id) => keys.payment.key({ paymentId: id })));
    expect(payments).toHaveLength(this.paymentIds.length);
    for (const payment of payments)
      expect(['APPLIED', 'REJECTED'], `payment ${String(payment.paymentId)}`).toContain(payment.status);
    let open = 0;
    for (const invoice of invoices) {
      const total = Number(invoice.totalCents);
      const paid = Number(invoice.paidCents);
      const applied = payments
        .filter((p) => p.invoiceId === invoice.invoiceId && p.status === 'APPLIED')
        .reduce((s, p) => s + Number(p.amountCents), 0);
      expect({ invoice: invoice.invoiceId, paid }).toEqual({ invoice: invoice.invoiceId, paid: applied });
      expect(paid).toBeGreaterThanOrEqual(0);
      expect(paid).toBeLessThanOrEqual(total);
      if (invoice.status === 'PAID') expect(paid).toBe(total);
      if (invoice.status === 'VOID') expect(paid).toBe(0);
      if (invoice.status === 'OPEN' || invoice.status === 'PARTIALLY_PAID') open += total - paid;
    }
    expect(netOf('1100')).toBe(open);
    expect(netOf('1000')).toBe(
      payments.filter((p) => p.status === 'APPLIED').reduce((s, p) => s + Number(p.amountCents), 0),
    );

    // Orders cancelled before confirmation: still CANCELLED, never invoiced, nothing posted for them.
    for (const order of orders.filter((o) => this.cancelledUnconfirmed.has(String(o.orderId)))) {
      expect({
        order: order.orderId,
        status: order.status,
        invoiceId: order.invoiceId,
        posted: sources.has(String(order.orderId)),
      }).toEqual({ order: order.orderId, status: 'CANCELLED', invoiceId: undefined, posted: false });
    }

    // Stock.
    const items = await this.readRecords(this.skus.map((sku) => keys.item.key({ sku })));
    for (const item of items) {
      expect(Number(item.onHand)).toBeGreaterThanOrEqual(0);
      expect(Number(item.stockValueCents)).toBeGreaterThanOrEqual(0);
    }
    expect(netOf('1200')).toBe(items.reduce((s, item) => s + Number(item.stockValueCents), 0));
  }
}

describe('money invariants under random sequences', () => {
  it(
    `hold after every step of ${RUNS} random sequences of orders (some processed late), receipts, adjustments, ` +
      'payments and cancellations, driven through the handlers and processors',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ items, ops }) => {
          const run = new Sequence();
          let finished = false;
          try {
            await run.setUp(items);
            await run.check();
            // Every sequence ends with the late messages arriving, so each order cancelled while waiting meets the
            // processor at least once afterwards.
            for (const op of [...ops, { kind: 'lateProcessing' as const }]) {
              await run.run(op);
              await run.check();
            }
            await run.closeBackorders();
            await run.check();
            await run.expectQueuesEmpty();
            finished = true;
          } finally {
            // Best effort: the failure being reported is the sequence's own, not a cleanup's.
            if (!finished) await run.abandon().catch(() => undefined);
          }
        }),
        { numRuns: RUNS, endOnFailure: false },
      );
    },
    600_000,
  );
});
