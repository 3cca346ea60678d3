import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { ACCOUNTS, type AccountCode } from '#shared/domain/ledger.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { makeCancellationService } from '#shared/services/cancellations.ts';
import { queryAll } from '#shared/data/query.ts';
import { journalEntrySchema } from '#shared/data/journal.ts';
import { testClients, testResources } from '../support/index.ts';

/**
 * The books balance, whatever happens (SPEC §5.3, issue 4 part 5). fast-check drives random sequences of orders
 * (most processed at once, some left RECEIVED until a late processor run), goods receipts, stock adjustments,
 * payments (alone, two at once, or racing a cancellation) and cancellations (of orders confirmed or still waiting)
 * through the real services against DynamoDB Local, and after every step checks:
 *
 * - total debits = total credits, over the journal entries and over the balance shards, which agree account by account;
 * - 1100 Accounts Receivable = Σ open invoice balances (`totalCents − paidCents` of OPEN / PARTIALLY_PAID);
 * - 1200 Inventory = Σ the items' `stockValueCents`, to the cent; stock and stock value never negative;
 * - no invoice paid beyond its total; `paidCents` = Σ its applied payments; 1000 Cash = Σ applied payments;
 * - an order cancelled before confirmation stays CANCELLED whatever the processor does later, has no invoice and no
 *   journal entry; an order left waiting is still RECEIVED.
 *
 * Sequences are isolated cheaply in one table: each has its own SKUs and its own (injected) UTC day, so its journal
 * entries are one day partition and its share of the balance shards is that day's movements.
 */

const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 300);
const { doc } = testClients();
const tableName = testResources().tableName;
const CODES = Object.keys(ACCOUNTS) as AccountCode[];
const actor = 'system:property';

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

const amountArb: fc.Arbitrary<Amount> = fc.record({ mode: fc.constantFrom('rest', 'part', 'over'), permille: fc.integer({ min: 1, max: 999 }) });
const orderRef = fc.nat({ max: 20 });
const linesArb = fc.uniqueArray(fc.record({ sku: fc.nat({ max: 2 }), quantity: fc.integer({ min: 1, max: 4 }) }), { selector: (l) => l.sku, minLength: 1, maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('order' as const), lines: linesArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('orderLeftWaiting' as const), lines: linesArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancelWaiting' as const), order: orderRef }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lateProcessing' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receipt' as const), sku: fc.nat({ max: 2 }), quantity: fc.integer({ min: 1, max: 6 }), unitCostCents: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjustment' as const), sku: fc.nat({ max: 2 }), delta: fc.integer({ min: -4, max: 4 }).filter((d) => d !== 0) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('payment' as const), order: orderRef, amount: amountArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('twoPayments' as const), order: orderRef, first: amountArb, second: amountArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: orderRef }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelRacingPayment' as const), order: orderRef, amount: amountArb }) },
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

/** Business refusals a random sequence runs into (409, 404); anything else is a bug. */
async function refusable(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
  }
}

let sequence = 0;

/** One sequence: its own SKUs, its own day, its own clock ticking a second per read of it. */
class Sequence {
  readonly n = ++sequence;
  readonly day = new Date(Date.UTC(2001, 0, 1) + this.n * 86_400_000).toISOString().slice(0, 10);
  private tick = 0;
  private readonly now = () => new Date(Date.parse(`${this.day}T08:00:00.000Z`) + this.tick++ * 1000);
  readonly inventory = makeInventoryService({ doc, tableName, now: this.now });
  readonly orders = makeOrderService({ doc, tableName, currency: 'USD', now: this.now });
  readonly payments = makePaymentService({ doc, tableName, currency: 'USD', now: this.now });
  readonly cancellations = makeCancellationService({ doc, tableName, now: this.now });
  readonly skus: string[] = [];
  readonly orderIds: string[] = [];
  readonly invoiceIds = new Set<string>();
  readonly paymentIds: string[] = [];
  /** Orders submitted and not processed yet: still RECEIVED until a late processor run. */
  readonly waiting: string[] = [];
  /** Orders cancelled before they were confirmed: they must stay CANCELLED and never post anything. */
  readonly cancelledUnconfirmed = new Set<string>();

  sku(index: number): string {
    return this.skus[index % this.skus.length]!;
  }

  async setUp(items: { onHand: number; unitCostCents: number; unitPriceCents: number }[]): Promise<void> {
    for (const [i, item] of items.entries()) {
      const sku = `PROP${this.n}-${i}`;
      await this.inventory.putItem(sku, { name: 'Prop', reorderPoint: 0, reorderQuantity: 5, ...item }, actor);
      this.skus.push(sku);
    }
  }

  /** Decides an order, and remembers its invoice once it has one. */
  private async process(orderId: string): Promise<void> {
    const outcome = await this.orders.processOrder(orderId, actor);
    if (outcome.status === 'CONFIRMED') await this.rememberInvoice(orderId);
  }

  private async rememberInvoice(orderId: string): Promise<void> {
    const [order] = await this.readRecords([keys.order(orderId)]);
    if (typeof order?.invoiceId === 'string') this.invoiceIds.add(order.invoiceId);
  }

  /** The invoice of the `ref`-th order that has one, if any. */
  private invoiceOf(ref: number): string | undefined {
    const ids = [...this.invoiceIds];
    return ids.length > 0 ? ids[ref % ids.length] : undefined;
  }

  private async amountFor(invoiceId: string, amount: Amount): Promise<number> {
    const invoice = (await this.readRecords([keys.invoice(invoiceId)]))[0]!;
    const open = Number(invoice.totalCents) - Number(invoice.paidCents);
    if (amount.mode === 'rest') return Math.max(1, open);
    if (amount.mode === 'over') return open + 1 + (amount.permille % 50);
    return Math.max(1, Math.floor((open * amount.permille) / 1000));
  }

  /** Submits a payment (intake may refuse it at once) and returns its id when accepted. */
  private async submit(invoiceId: string, amountCents: number): Promise<string | undefined> {
    try {
      const { paymentId } = await this.payments.submitPayment({ invoiceId, amountCents, method: 'card' }, { actor, correlationId: 'prop' });
      this.paymentIds.push(paymentId);
      return paymentId;
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private async submitOrder(generated: { sku: number; quantity: number }[]): Promise<string> {
    // Distinct SKUs, as intake requires (two generated lines may name the same SKU of a short catalogue).
    const lines = [...new Map(generated.map((l) => [this.sku(l.sku), { sku: this.sku(l.sku), quantity: l.quantity }])).values()];
    const { orderId } = await this.orders.submitOrder({ customer: { name: 'Prop', email: 'prop@example.com' }, lines }, { actor, correlationId: 'prop' });
    this.orderIds.push(orderId);
    return orderId;
  }

  /** Cancels an order; one not confirmed yet (no stock released) joins the orders that must never post. */
  private async cancel(orderId: string): Promise<void> {
    await refusable(async () => {
      const { releasedStock } = await this.cancellations.cancelOrder(orderId, actor);
      if (!releasedStock) this.cancelledUnconfirmed.add(orderId);
      if (this.waiting.includes(orderId)) this.waiting.splice(this.waiting.indexOf(orderId), 1);
    });
  }

  async run(op: Op): Promise<void> {
    switch (op.kind) {
      case 'order':
        return this.process(await this.submitOrder(op.lines));
      case 'orderLeftWaiting':
        // Its order.submitted is late (a slow queue, a lost send the sweeper will repeat): it stays RECEIVED.
        this.waiting.push(await this.submitOrder(op.lines));
        return;
      case 'cancelWaiting': {
        if (this.waiting.length === 0) return;
        const [orderId] = this.waiting.splice(op.order % this.waiting.length, 1);
        return this.cancel(orderId!);
      }
      case 'lateProcessing':
        // The late (or redelivered) messages arrive: every order of the sequence goes through the processor again,
        // the waiting ones first as they are the oldest undelivered.
        for (const orderId of this.waiting.splice(0)) await this.process(orderId);
        for (const orderId of this.orderIds) await this.process(orderId);
        return;
      case 'receipt':
        await this.inventory.receiveGoods({ sku: this.sku(op.sku), quantity: op.quantity, unitCostCents: op.unitCostCents }, actor);
        // The backorder retry, limited to this sequence's orders (oldest first, as the processor walks them); orders
        // still waiting for their message are not backordered, so it leaves them alone.
        for (const orderId of this.orderIds) if (!this.waiting.includes(orderId)) await this.process(orderId);
        return;
      case 'adjustment':
        return refusable(() => this.inventory.adjustStock({ sku: this.sku(op.sku), delta: op.delta, reason: 'count' }, actor));
      case 'payment': {
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const paymentId = await this.submit(invoiceId, await this.amountFor(invoiceId, op.amount));
        if (paymentId) await this.payments.applyPayment(paymentId, actor);
        return;
      }
      case 'twoPayments': {
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const ids = [await this.submit(invoiceId, await this.amountFor(invoiceId, op.first)), await this.submit(invoiceId, await this.amountFor(invoiceId, op.second))];
        await Promise.all(ids.filter((id): id is string => id !== undefined).map((id) => this.payments.applyPayment(id, actor)));
        return;
      }
      case 'cancel': {
        const orderId = this.orderIds[op.order % Math.max(1, this.orderIds.length)];
        if (!orderId) return;
        return this.cancel(orderId);
      }
      case 'cancelRacingPayment': {
        const invoiceId = this.invoiceOf(op.order);
        if (!invoiceId) return;
        const invoice = (await this.readRecords([keys.invoice(invoiceId)]))[0]!;
        const paymentId = await this.submit(invoiceId, await this.amountFor(invoiceId, op.amount));
        await Promise.all([
          refusable(() => this.cancellations.cancelOrder(String(invoice.orderId), actor)),
          paymentId ? this.payments.applyPayment(paymentId, actor) : Promise.resolve(),
        ]);
      }
    }
  }

  async readRecords(keyList: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    if (keyList.length === 0) return [];
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keyList.length; start += 100) {
      const result = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keyList.slice(start, start + 100), ConsistentRead: true } } }));
      found.push(...(result.Responses?.[tableName] ?? []));
    }
    return found;
  }

  /** Checks every invariant over this sequence's records. */
  async check(): Promise<void> {
    // Journal: this sequence's day partition.
    const journal = new Map<AccountCode, { d: bigint; c: bigint }>(CODES.map((code) => [code, { d: 0n, c: 0n }]));
    const sources = new Set<string>();
    for await (const raw of queryAll(doc, tableName, { index: 'gsi3', partition: keys.journalDayPartition(this.day) })) {
      const entry = journalEntrySchema.parse(raw);
      sources.add(entry.source.id);
      for (const line of entry.lines) {
        const totals = journal.get(line.account)!;
        totals.d += BigInt(line.debitCents);
        totals.c += BigInt(line.creditCents);
      }
    }
    const sum = (pick: (t: { d: bigint; c: bigint }) => bigint) => [...journal.values()].reduce((s, t) => s + pick(t), 0n);
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
    const { Items: shards = [] } = await doc.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.ledgerBalancePartition() },
      ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names, ConsistentRead: true,
    }));
    const shardSum = (attribute: string) => shards.reduce((s, item) => s + BigInt(Number(item[attribute] ?? 0)), 0n);
    for (const code of CODES) {
      expect({ code, d: shardSum(`d${code}@${this.day}`), c: shardSum(`c${code}@${this.day}`) })
        .toEqual({ code, d: journal.get(code)!.d, c: journal.get(code)!.c });
    }
    expect(CODES.reduce((s, code) => s + shardSum(`d${code}`), 0n)).toBe(CODES.reduce((s, code) => s + shardSum(`c${code}`), 0n));

    // Invoices and payments.
    const invoices = await this.readRecords([...this.invoiceIds].map((id) => keys.invoice(id)));
    const payments = await this.readRecords(this.paymentIds.map((id) => keys.payment(id)));
    let open = 0;
    for (const invoice of invoices) {
      const total = Number(invoice.totalCents);
      const paid = Number(invoice.paidCents);
      const applied = payments.filter((p) => p.invoiceId === invoice.invoiceId && p.status === 'APPLIED').reduce((s, p) => s + Number(p.amountCents), 0);
      expect({ invoice: invoice.invoiceId, paid }).toEqual({ invoice: invoice.invoiceId, paid: applied });
      expect(paid).toBeGreaterThanOrEqual(0);
      expect(paid).toBeLessThanOrEqual(total);
      if (invoice.status === 'PAID') expect(paid).toBe(total);
      if (invoice.status === 'VOID') expect(paid).toBe(0);
      if (invoice.status === 'OPEN' || invoice.status === 'PARTIALLY_PAID') open += total - paid;
    }
    expect(netOf('1100')).toBe(open);
    expect(netOf('1000')).toBe(payments.filter((p) => p.status === 'APPLIED').reduce((s, p) => s + Number(p.amountCents), 0));

    // Orders cancelled before confirmation: still CANCELLED, never invoiced, nothing posted for them.
    const unconfirmed = await this.readRecords([...this.cancelledUnconfirmed].map((id) => keys.order(id)));
    expect(unconfirmed).toHaveLength(this.cancelledUnconfirmed.size);
    for (const order of unconfirmed) {
      expect({ order: order.orderId, status: order.status, invoiceId: order.invoiceId, posted: sources.has(String(order.orderId)) })
        .toEqual({ order: order.orderId, status: 'CANCELLED', invoiceId: undefined, posted: false });
    }
    const waiting = await this.readRecords(this.waiting.map((id) => keys.order(id)));
    for (const order of waiting) expect({ order: order.orderId, status: order.status }).toEqual({ order: order.orderId, status: 'RECEIVED' });

    // Stock.
    const items = await this.readRecords(this.skus.map((sku) => keys.item(sku)));
    for (const item of items) {
      expect(Number(item.onHand)).toBeGreaterThanOrEqual(0);
      expect(Number(item.stockValueCents)).toBeGreaterThanOrEqual(0);
    }
    expect(netOf('1200')).toBe(items.reduce((s, item) => s + Number(item.stockValueCents), 0));
  }
}

describe('money invariants under random sequences', () => {
  it(`hold after every step of ${RUNS} random sequences of orders (some processed late), receipts, adjustments, payments and cancellations`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ items, ops }) => {
        const run = new Sequence();
        await run.setUp(items);
        await run.check();
        // Every sequence ends with the late messages arriving, so each order cancelled while waiting meets the
        // processor at least once afterwards.
        for (const op of [...ops, { kind: 'lateProcessing' as const }]) {
          await run.run(op);
          await run.check();
        }
      }),
      { numRuns: RUNS, endOnFailure: false },
    );
  }, 600_000);
});
