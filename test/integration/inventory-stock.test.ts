import { beforeEach, describe, expect, it } from 'vitest';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { handler as receiveGoods } from '../../functions/inventory/receive-goods.ts';
import { handler as adjustStock } from '../../functions/inventory/adjust-stock.ts';
import { handler as listPurchaseOrders } from '../../functions/inventory/list-purchase-orders.ts';
import { handler as reorderSweep } from '../../functions/inventory/reorder-sweep.ts';
import { makeItemStore } from '#shared/data/items.ts';
import { makePurchaseOrderStore } from '#shared/data/purchase-orders.ts';
import { transactWrite } from '#shared/data/transact.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { takeOut } from '#shared/domain/inventory.ts';
import { ACCOUNT, linesOf } from '#shared/domain/ledger.ts';
import { newId } from '#shared/ids.ts';
import { drainQueue, lambdaContext, scheduledEvent, testClients, testResources } from '../support/index.ts';
import {
  accountBalance,
  auditEventsOf,
  call,
  catalogueValue,
  itemBody,
  journalEntries,
  purchaseOrdersFor,
  readItem,
  uniqueSku,
  withPurchaseOrdersThrottled,
} from './orders-inventory-fixtures.ts';

const INVENTORY = ['inventory'];

async function createItem(overrides: Record<string, unknown> = {}): Promise<string> {
  const sku = uniqueSku();
  const answer = await call(putItem, {
    method: 'PUT',
    path: `/v1/inventory/items/${sku}`,
    roles: INVENTORY,
    body: itemBody(overrides),
  });
  expect(answer.status).toBe(201);
  return sku;
}

/**
 * The state a crash between a confirmation and its purchase order leaves: stock taken out (journaled, so the books
 * still balance) and the item low, but no purchase order opened.
 */
async function stockTakenWithoutPurchaseOrder(sku: string, quantity: number): Promise<void> {
  const { doc } = testClients();
  const tableName = testResources().tableName;
  const items = makeItemStore({ doc, tableName });
  const item = (await items.getItem(sku))!;
  const { costCents, after } = takeOut(item, quantity);
  const at = new Date().toISOString();
  await transactWrite(doc, [
    items.stockUpdate(item, after, at),
    ...makeJournal({ doc, tableName }).entryItems({
      entryId: newId('journalEntry'),
      postedAt: at,
      memo: 'simulated sale',
      source: { type: 'test', id: sku },
      lines: linesOf([{ debit: ACCOUNT.costOfGoodsSold, credit: ACCOUNT.inventory, amountCents: costCents }]),
    }),
  ]);
}

const receive = (body: unknown, headers: Record<string, string> = {}) =>
  call(receiveGoods, { method: 'POST', path: '/v1/inventory/receipts', roles: INVENTORY, body, headers });
const adjust = (body: unknown, headers: Record<string, string> = {}) =>
  call(adjustStock, { method: 'POST', path: '/v1/inventory/adjustments', roles: INVENTORY, body, headers });

beforeEach(async () => {
  await drainQueue('orders');
});

describe('goods receipts', () => {
  it('adds stock at the received cost, journals Dr 1200 / Cr 2000 and queues a backorder retry', async () => {
    const sku = await createItem({ onHand: 2, unitCostCents: 100 });

    const answer = await receive({ sku, quantity: 1, unitCostCents: 401 });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ sku, onHand: 3, stockValueCents: 601, unitCostCents: 200 });
    const receipts = (await journalEntries()).filter(
      (entry) => entry.source.type === 'receipt' && entry.memo.includes(sku),
    );
    expect(receipts.map((entry) => entry.lines)).toEqual([
      [
        { account: '1200', debitCents: 401, creditCents: 0 },
        { account: '2000', debitCents: 0, creditCents: 401 },
      ],
    ]);
    expect(await drainQueue('orders')).toEqual([expect.objectContaining({ type: 'backorders.retry', id: sku })]);
    expect(await accountBalance('1200')).toBe(await catalogueValue());
  });

  it('receives an open purchase order: it becomes RECEIVED and the item no longer has one open', async () => {
    const sku = await createItem({ onHand: 1, reorderPoint: 3, reorderQuantity: 25 });
    const [po] = await purchaseOrdersFor(sku);

    const answer = await receive({ sku, quantity: 25, unitCostCents: 600, purchaseOrderId: po!.purchaseOrderId });

    expect(answer.status).toBe(201);
    expect(await purchaseOrdersFor(sku, 'RECEIVED')).toEqual([
      expect.objectContaining({ purchaseOrderId: po!.purchaseOrderId }),
    ]);
    expect(await purchaseOrdersFor(sku, 'OPEN')).toEqual([]);
    expect(await readItem(sku)).not.toHaveProperty('openPurchaseOrderId');
    expect((await auditEventsOf(po!.purchaseOrderId)).map((event) => [event.action, event.status])).toEqual([
      ['purchaseOrder.opened', 'OPEN'],
      ['purchaseOrder.received', 'RECEIVED'],
    ]);
  });

  it(
    'refuses a receipt against an unknown (404), already received (409) or other-SKU (400) purchase order, ' +
      'changing nothing',
    async () => {
      const sku = await createItem({ onHand: 0, reorderPoint: 0, reorderQuantity: 5 });
      const other = await createItem();
      const [po] = await purchaseOrdersFor(sku);
      await receive({ sku, quantity: 5, unitCostCents: 600, purchaseOrderId: po!.purchaseOrderId });
      const before = await readItem(sku);

      const unknown = await receive({ sku, quantity: 1, unitCostCents: 1, purchaseOrderId: 'po_missing' });
      const again = await receive({ sku, quantity: 1, unitCostCents: 1, purchaseOrderId: po!.purchaseOrderId });
      const wrongSku = await receive({
        sku: other,
        quantity: 1,
        unitCostCents: 1,
        purchaseOrderId: po!.purchaseOrderId,
      });

      expect([unknown.status, again.status, wrongSku.status]).toEqual([404, 409, 400]);
      expect(await readItem(sku)).toEqual(before);
    },
  );

  it('refuses a receipt for an unknown SKU with 404 and queues nothing', async () => {
    const answer = await receive({ sku: 'NOT-STOCKED', quantity: 1, unitCostCents: 1 });

    expect(answer.status).toBe(404);
    expect(await drainQueue('orders')).toEqual([]);
  });

  it('replays a receipt sent twice with one Idempotency-Key instead of receiving it twice', async () => {
    const sku = await createItem({ onHand: 0 });
    const headers = { 'idempotency-key': `receipt-${sku}` };

    const first = await receive({ sku, quantity: 4, unitCostCents: 250 }, headers);
    const second = await receive({ sku, quantity: 4, unitCostCents: 250 }, headers);

    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await readItem(sku)).toMatchObject({ onHand: 4, stockValueCents: 1000 });
  });
});

describe('stock adjustments', () => {
  it('refuses an adjustment below zero with 409 and changes nothing', async () => {
    const sku = await createItem({ onHand: 3 });
    const before = await readItem(sku);
    const entriesBefore = (await journalEntries()).length;

    const answer = await adjust({ sku, delta: -4, reason: 'count' });

    expect(answer.status).toBe(409);
    expect(await readItem(sku)).toEqual(before);
    expect((await journalEntries()).length).toBe(entriesBefore);
    expect((await auditEventsOf(sku)).map((event) => event.action)).toEqual(['item.created']);
  });

  it(
    'journals a loss Dr 5100 / Cr 1200 at average cost ' + 'and a gain Dr 1200 / Cr 5100 at the current unit cost',
    async () => {
      const sku = await createItem({ onHand: 3, unitCostCents: 333 }); // 999 of value

      const loss = await adjust({ sku, delta: -1, reason: 'breakage' });
      const gain = await adjust({ sku, delta: 2, reason: 'found in the back' });

      expect(loss.status).toBe(201);
      expect(loss.body).toMatchObject({ onHand: 2, stockValueCents: 666 });
      expect(gain.body).toMatchObject({ onHand: 4, stockValueCents: 1332 });
      const adjustments = (await journalEntries()).filter(
        (entry) => entry.source.type === 'adjustment' && entry.memo.includes(sku),
      );
      expect(adjustments.map((entry) => entry.lines)).toEqual([
        [
          { account: '5100', debitCents: 333, creditCents: 0 },
          { account: '1200', debitCents: 0, creditCents: 333 },
        ],
        [
          { account: '1200', debitCents: 666, creditCents: 0 },
          { account: '5100', debitCents: 0, creditCents: 666 },
        ],
      ]);
      expect(await accountBalance('1200')).toBe(await catalogueValue());
    },
  );

  it('opens a purchase order when an adjustment takes an item to its reorder point', async () => {
    const sku = await createItem({ onHand: 6, reorderPoint: 5, reorderQuantity: 12 });

    await adjust({ sku, delta: -1, reason: 'damaged' });

    expect(await purchaseOrdersFor(sku)).toEqual([expect.objectContaining({ quantity: 12 })]);
  });

  it('lists every bad field of an adjustment', async () => {
    const answer = await adjust({ sku: 'bad sku', delta: 0, reason: '' });

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['delta', 'reason', 'sku']);
  });
});

describe('idempotent adjustments', () => {
  const adjustmentsOf = async (sku: string) =>
    (await journalEntries()).filter((entry) => entry.source.type === 'adjustment' && entry.memo.includes(sku));

  it(
    'replays the first answer for the same Idempotency-Key and body and adjusts once; ' +
      'another body under the key is 422',
    async () => {
      const sku = await createItem({ onHand: 10, unitCostCents: 100 });
      const headers = { 'idempotency-key': `adjust-${sku}` };

      const first = await adjust({ sku, delta: -3, reason: 'count' }, headers);
      const second = await adjust({ sku, delta: -3, reason: 'count' }, headers);
      const afterReplay = await readItem(sku);
      const different = await adjust({ sku, delta: -1, reason: 'count' }, headers);

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(afterReplay).toMatchObject({ onHand: 7, stockValueCents: 700 });
      expect(different.status).toBe(422);
      expect(different.headers['content-type']).toBe('application/problem+json');
      expect(await readItem(sku)).toEqual(afterReplay);
      expect(await adjustmentsOf(sku)).toHaveLength(1);
      expect((await auditEventsOf(sku)).filter((event) => event.action === 'item.adjusted')).toHaveLength(1);
    },
  );

  it('adjusts again under another key, so the replay comes from the key and not from the body', async () => {
    const sku = await createItem({ onHand: 10 });

    await adjust({ sku, delta: 2, reason: 'found' }, { 'idempotency-key': `a-${sku}` });
    await adjust({ sku, delta: 2, reason: 'found' }, { 'idempotency-key': `b-${sku}` });

    expect(await readItem(sku)).toMatchObject({ onHand: 14 });
    expect(await adjustmentsOf(sku)).toHaveLength(2);
  });
});

describe('audit of stock changes', () => {
  /** The stock fields whose values differ between two reads of an item. */
  const differing = (before: Record<string, unknown>, after: Record<string, unknown>) =>
    ['onHand', 'stockValueCents', 'unitCostCents'].filter((field) => before[field] !== after[field]);

  it(
    'audits a receipt and an adjustment on the item, naming the changed fields, ' + 'the actor and no personal values',
    async () => {
      // 1 unit at 2, then 2 at 1: 3 units worth 4 (unit cost 2 → 1); one out removes round(4/3) = 1: 2 units worth 3
      // (unit cost 1 → 2). Every stock field moves in both steps.
      const sku = await createItem({ onHand: 1, unitCostCents: 2 });
      const created = (await readItem(sku))!;
      const reason = 'Recount by Grace Hopper (grace.hopper@example.com, +1 555 0100)';

      const receipt = await call(receiveGoods, {
        method: 'POST',
        path: '/v1/inventory/receipts',
        roles: INVENTORY,
        sub: 'clerk-7',
        body: { sku, quantity: 2, unitCostCents: 1 },
      });
      const received = (await readItem(sku))!;
      const adjustment = await call(adjustStock, {
        method: 'POST',
        path: '/v1/inventory/adjustments',
        roles: INVENTORY,
        sub: 'clerk-8',
        body: { sku, delta: -1, reason },
      });
      const adjusted = (await readItem(sku))!;
      const events = await auditEventsOf(sku);

      expect([receipt.status, adjustment.status]).toEqual([201, 201]);
      expect(received).toMatchObject({ onHand: 3, stockValueCents: 4, unitCostCents: 1 });
      expect(adjusted).toMatchObject({ onHand: 2, stockValueCents: 3, unitCostCents: 2 });
      expect(events.map((event) => [event.action, event.actor, event.entityType, event.entityId])).toEqual([
        ['item.created', 'test-user', 'item', sku],
        ['item.received', 'clerk-7', 'item', sku],
        ['item.adjusted', 'clerk-8', 'item', sku],
      ]);
      expect([...events[1]!.changes].sort()).toEqual(differing(created, received));
      expect([...events[2]!.changes].sort()).toEqual(differing(received, adjusted));
      expect(events[1]!.related).toEqual([{ entityType: 'receipt', entityId: expect.stringMatching(/^rcv_/) }]);
      expect(events[2]!.related).toEqual([{ entityType: 'adjustment', entityId: expect.stringMatching(/^adj_/) }]);
      expect(JSON.stringify(events)).not.toMatch(/Grace|Hopper|example\.com|555|Recount/);
    },
  );
});

describe('purchase orders', () => {
  it('lists open purchase orders oldest first for inventory and accounting, refusing other roles', async () => {
    const first = await createItem({ onHand: 0, reorderPoint: 1 });
    const second = await createItem({ onHand: 0, reorderPoint: 1 });

    const listed = await call(listPurchaseOrders, {
      path: '/v1/purchase-orders',
      query: { status: 'OPEN', limit: 200 },
      roles: ['accounting'],
    });
    const forbidden = await call(listPurchaseOrders, { path: '/v1/purchase-orders', roles: ['front-office'] });
    const badStatus = await call(listPurchaseOrders, {
      path: '/v1/purchase-orders',
      query: { status: 'LOST' },
      roles: INVENTORY,
    });

    const skus = listed.body.items.map((po: { sku: string }) => po.sku);
    expect(skus.indexOf(first)).toBeLessThan(skus.indexOf(second));
    expect(listed.body.items[0]).toEqual({
      purchaseOrderId: expect.stringMatching(/^po_/),
      sku: expect.any(String),
      quantity: expect.any(Number),
      status: 'OPEN',
      createdAt: expect.any(String),
    });
    expect(listed.body).toHaveProperty('nextCursor');
    expect(forbidden.status).toBe(403);
    expect(badStatus.status).toBe(400);
  });

  it('opens, in the nightly sweep, the purchase order a low item is missing, exactly once', async () => {
    const sku = await createItem({ onHand: 10, reorderPoint: 2, reorderQuantity: 9 });
    await stockTakenWithoutPurchaseOrder(sku, 9);

    const [firstRun, secondRun] = [
      await reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep')),
      await reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep')),
    ];

    const open = await purchaseOrdersFor(sku);
    expect(open).toEqual([expect.objectContaining({ sku, quantity: 9, status: 'OPEN' })]);
    expect(firstRun.opened).toContain(open[0]!.purchaseOrderId);
    expect(secondRun.opened).toEqual([]);
    const stored = await makePurchaseOrderStore({
      doc: testClients().doc,
      tableName: testResources().tableName,
    }).getPurchaseOrder(open[0]!.purchaseOrderId);
    expect(stored?.status).toBe('OPEN');
    expect((await auditEventsOf(open[0]!.purchaseOrderId))[0]?.actor).toBe('system:reorder-sweep');
  });

  it('opens exactly one purchase order when sweeps run concurrently', async () => {
    const sku = await createItem({ onHand: 10, reorderPoint: 2 });
    await stockTakenWithoutPurchaseOrder(sku, 10);

    await Promise.all(Array.from({ length: 5 }, () => reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep'))));

    expect(await purchaseOrdersFor(sku)).toHaveLength(1);
  });
});

describe('a purchase order that cannot be opened right after a change of stock', () => {
  it('leaves the committed adjustment answered 201, and the nightly sweep opens the purchase order', async () => {
    const sku = await createItem({ onHand: 10, reorderPoint: 3, reorderQuantity: 12 });

    const answer = await withPurchaseOrdersThrottled([sku], () => adjust({ sku, delta: -8, reason: 'count' }));

    expect(answer.status).toBe(201);
    expect(await readItem(sku)).toMatchObject({ onHand: 2 });
    expect(await purchaseOrdersFor(sku)).toEqual([]);
    await reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep'));
    expect(await purchaseOrdersFor(sku)).toEqual([expect.objectContaining({ sku, quantity: 12, status: 'OPEN' })]);
  });

  it('sweeps every other low item when one fails, fails the run naming it, and a rerun opens it', async () => {
    const [stuck, fine] = [
      await createItem({ onHand: 10, reorderPoint: 2 }),
      await createItem({ onHand: 10, reorderPoint: 2 }),
    ];
    await stockTakenWithoutPurchaseOrder(stuck, 9);
    await stockTakenWithoutPurchaseOrder(fine, 9);

    const failedRun = withPurchaseOrdersThrottled([stuck], () =>
      reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep')),
    );

    await expect(failedRun).rejects.toThrow(new RegExp(`not opened for ${stuck}`));
    expect(await purchaseOrdersFor(fine)).toHaveLength(1);
    expect(await purchaseOrdersFor(stuck)).toEqual([]);
    const rerun = await reorderSweep(scheduledEvent(), lambdaContext('reorder-sweep'));
    const [opened] = await purchaseOrdersFor(stuck);
    expect(rerun.opened).toEqual([opened!.purchaseOrderId]);
  });
});

describe('the books', () => {
  it('keeps account 1200 equal to the sum of stock values after everything above', async () => {
    expect(await accountBalance('1200')).toBe(await catalogueValue());
  });
});
