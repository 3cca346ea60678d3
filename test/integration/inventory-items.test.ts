import { loadConfig } from '#shared/platform/config.ts';
import { describe, expect, it } from 'vitest';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { handler as getItem } from '../../functions/inventory/get-item.ts';
import { handler as listItems } from '../../functions/inventory/list-items.ts';
import {
  auditEventsOf,
  call,
  entriesFor,
  itemBody,
  purchaseOrdersFor,
  readItem,
  uniqueSku,
} from './orders-inventory-fixtures.ts';

const INVENTORY = ['inventory'];

const put = (sku: string, body: unknown, roles = INVENTORY) =>
  call(putItem, { method: 'PUT', path: `/v1/inventory/items/${sku}`, roles, body });

describe('creating and updating items', () => {
  it('creates an item with 201, values its opening stock and journals it Dr 1200 / Cr 3000', async () => {
    const sku = uniqueSku();

    const created = await put(
      sku,
      itemBody({ name: 'Blue widget', unitPriceCents: 1999, unitCostCents: 725, onHand: 12 }),
    );

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      sku,
      name: 'Blue widget',
      currency: loadConfig().CURRENCY,
      unitPriceCents: 1999,
      unitCostCents: 725,
      stockValueCents: 8700,
      onHand: 12,
      reorderPoint: 0,
      reorderQuantity: 20,
      updatedAt: expect.any(String),
    });
    const [opening] = await entriesFor(sku);
    expect(opening).toMatchObject({
      source: { type: 'item', id: sku },
      lines: [
        { account: '1200', debitCents: 8700, creditCents: 0 },
        { account: '3000', debitCents: 0, creditCents: 8700 },
      ],
    });
    expect((await auditEventsOf(sku)).map((event) => event.action)).toEqual(['item.created']);
  });

  it('creates an item without opening stock and posts nothing', async () => {
    const sku = uniqueSku();
    const body = itemBody();
    delete (body as { onHand?: number }).onHand;

    const created = await put(sku, { ...body, reorderPoint: 0 });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ onHand: 0, stockValueCents: 0, unitCostCents: 600 });
    expect(await entriesFor(sku)).toEqual([]);
  });

  it('updates catalogue settings with 200 and audits the names of the changed fields only', async () => {
    const sku = uniqueSku();
    await put(sku, itemBody());

    const updated = await put(sku, itemBody({ name: 'Renamed', unitPriceCents: 2000 }));

    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Renamed', unitPriceCents: 2000, onHand: 10 });
    const events = await auditEventsOf(sku);
    expect(events.map((event) => [event.action, event.changes])).toEqual([
      ['item.created', expect.any(Array)],
      ['item.updated', ['name', 'unitPriceCents']],
    ]);
    expect(JSON.stringify(events)).not.toContain('Renamed');
  });

  it('refuses with 409 an update that would change stock or cost, changing nothing', async () => {
    const sku = uniqueSku();
    await put(sku, itemBody({ onHand: 10, unitCostCents: 600 }));
    const before = await readItem(sku);

    const newStock = await put(sku, itemBody({ onHand: 50, name: 'Other' }));
    const newCost = await put(sku, itemBody({ unitCostCents: 1, name: 'Other' }));

    expect(newStock.status).toBe(409);
    expect(newCost.status).toBe(409);
    expect(await readItem(sku)).toEqual(before);
  });

  it(
    'moves an item into the low-stock list when a higher reorder point makes it low, ' + 'and opens its purchase order',
    async () => {
      const sku = uniqueSku('LOW');
      await put(sku, itemBody({ onHand: 5, reorderPoint: 2 }));
      const lowBefore = await call(listItems, {
        path: '/v1/inventory/items',
        query: { belowReorderPoint: 'true', limit: 200 },
        roles: INVENTORY,
      });

      await put(sku, itemBody({ onHand: 5, reorderPoint: 5, reorderQuantity: 30 }));
      const lowAfter = await call(listItems, {
        path: '/v1/inventory/items',
        query: { belowReorderPoint: 'true', limit: 200 },
        roles: INVENTORY,
      });

      expect(lowBefore.body.items.map((item: { sku: string }) => item.sku)).not.toContain(sku);
      expect(lowAfter.body.items.map((item: { sku: string }) => item.sku)).toContain(sku);
      expect(await purchaseOrdersFor(sku)).toEqual([expect.objectContaining({ quantity: 30, status: 'OPEN' })]);
    },
  );

  it('refuses a bad SKU in the path and every bad field of the body with 400', async () => {
    const badSku = await put('lower-case', itemBody());
    const badBody = await put(uniqueSku(), {
      name: '',
      unitPriceCents: -1,
      unitCostCents: 'x',
      reorderPoint: 1.5,
      reorderQuantity: 0,
    });

    expect(badSku.status).toBe(400);
    expect(badSku.body.errors.map((error: { path: string }) => error.path)).toEqual(['path.sku']);
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'name',
      'reorderPoint',
      'reorderQuantity',
      'unitCostCents',
      'unitPriceCents',
    ]);
  });

  it('lets only the inventory role maintain items', async () => {
    expect((await put(uniqueSku(), itemBody(), ['accounting'])).status).toBe(403);
  });
});

describe('reading items', () => {
  it('reads one item, and 404 for an unknown SKU', async () => {
    const sku = uniqueSku();
    await put(sku, itemBody());

    const found = await call(getItem, { path: `/v1/inventory/items/${sku}`, roles: ['accounting'] });
    const missing = await call(getItem, { path: '/v1/inventory/items/NOPE', roles: INVENTORY });

    expect(found.status).toBe(200);
    expect(found.body.sku).toBe(sku);
    expect(found.body.currency).toBe(loadConfig().CURRENCY);
    expect(missing.status).toBe(404);
  });

  it('pages through the catalogue by SKU with signed cursors, and refuses a tampered cursor with 400', async () => {
    const prefix = uniqueSku('PAGE');
    for (const suffix of ['A', 'B', 'C']) await put(`${prefix}-${suffix}`, itemBody());

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(listItems, {
        path: '/v1/inventory/items',
        query: { limit: 2, cursor },
        roles: INVENTORY,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { sku: string }) => item.sku));
      cursor = page.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    const first = await call(listItems, { path: '/v1/inventory/items', query: { limit: 1 }, roles: INVENTORY });
    const [payload, signature] = (first.body.nextCursor as string).split('.');
    const forgedKey = { gsi2pk: 'CATALOGUE', gsi2sk: 'ZZZ', pk: 'ITEM#ZZZ', sk: 'ITEM' };
    const forged = `${Buffer.from(JSON.stringify(forgedKey)).toString('base64url')}.${signature}`;
    const tampered = await call(listItems, {
      path: '/v1/inventory/items',
      query: { cursor: forged },
      roles: INVENTORY,
    });
    const garbage = await call(listItems, {
      path: '/v1/inventory/items',
      query: { cursor: `${payload}x.${signature}` },
      roles: INVENTORY,
    });

    const listed = await call(listItems, { path: '/v1/inventory/items', query: { limit: 1 }, roles: INVENTORY });
    expect(listed.body.items[0].currency).toBe(loadConfig().CURRENCY);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining([`${prefix}-A`, `${prefix}-B`, `${prefix}-C`]));
    expect(pages).toBeGreaterThan(1);
    expect(tampered.status).toBe(400);
    expect(garbage.status).toBe(400);
  });

  it('refuses a cursor from the low-stock list on the catalogue', async () => {
    await put(uniqueSku('LOW'), itemBody({ onHand: 0, reorderPoint: 1 }));
    await put(uniqueSku('LOW'), itemBody({ onHand: 0, reorderPoint: 1 }));
    const low = await call(listItems, {
      path: '/v1/inventory/items',
      query: { belowReorderPoint: 'true', limit: 1 },
      roles: INVENTORY,
    });

    const replayed = await call(listItems, {
      path: '/v1/inventory/items',
      query: { cursor: low.body.nextCursor },
      roles: INVENTORY,
    });

    expect(low.body.nextCursor).toEqual(expect.any(String));
    expect(replayed.status).toBe(400);
  });
  it(
    'answers 50 items by default and at most 200, refuses limit=201 with 400 naming limit, ' +
      'and pages through the rest without repeats',
    async () => {
      const prefix = uniqueSku('LIMIT');
      const mine = Array.from({ length: 251 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
      for (let i = 0; i < mine.length; i += 25) {
        const created = await Promise.all(mine.slice(i, i + 25).map((sku) => put(sku, itemBody())));
        expect(created.map((answer) => answer.status)).toEqual(Array(created.length).fill(201));
      }
      const list = (query: Record<string, string | number | undefined>) =>
        call(listItems, { path: '/v1/inventory/items', query, roles: INVENTORY });

      const byDefault = await list({});
      const largest = await list({ limit: 200 });
      const tooLarge = await list({ limit: 201 });
      const zero = await list({ limit: 0 });
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await list({ cursor });
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((item: { sku: string }) => item.sku));
        pageSizes.push(page.body.items.length);
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);

      expect(byDefault.status).toBe(200);
      expect(byDefault.body.items).toHaveLength(50);
      expect(byDefault.body.nextCursor).toEqual(expect.any(String));
      expect(largest.body.items).toHaveLength(200);
      expect(largest.body.nextCursor).toEqual(expect.any(String));
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.headers['content-type']).toBe('application/problem+json');
      expect(tooLarge.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.limit']);
      expect(zero.status).toBe(400);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort());
      expect(seen.filter((sku) => sku.startsWith(`${prefix}-`))).toEqual(mine);
      expect(pageSizes.slice(0, -1).every((size) => size === 50)).toBe(true);
      expect(pageSizes.at(-1)).toBeLessThanOrEqual(50);
    },
    60_000,
  );
});
