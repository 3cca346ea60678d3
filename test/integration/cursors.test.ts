import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { keys } from '#shared/keys.ts';
import { routes, type RouteDecl } from '#shared/manifest.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { encodeCursor } from '#shared/data/pagination.ts';
import {
  checkedStartKey,
  cursorScope,
  queryMergedPage,
  queryPage,
  querySequencePage,
  type PartitionQuery,
} from '#shared/data/query.ts';
import { makeAppointmentStore } from '#shared/data/appointments.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { InvalidCursorError } from '#shared/errors.ts';
import { handler as listItems } from '../../functions/inventory/list-items.ts';
import { testClients, testResources } from '../support/index.ts';
import { call } from './orders-inventory-fixtures.ts';

/**
 * A cursor is signed, so a client cannot make one up; but a validly signed cursor may still carry a start key that
 * does not fit the query it is handed to (signed for another range of the same partition, or made with a leaked
 * key). Each reader checks the decoded key against its query before DynamoDB sees it: a misfit is a 400 naming
 * `cursor`, never DynamoDB's ValidationException (a 500).
 */
const { doc } = testClients();
const tableName = testResources().tableName;
const identity = (item: Record<string, unknown>) => item;

/** The start key DynamoDB would hand back for an item of `sku` read from the catalogue. */
const catalogueKey = (sku: string) => ({ ...keys.item.key({ sku }), ...keys.itemInCatalogue.key({ sku }) });
const catalogue = keys.itemInCatalogue.query({});

async function signed(key: Record<string, string | number>, scope: string): Promise<string> {
  return (await encodeCursor(key, scope))!;
}

describe('a signed cursor that does not fit its query', () => {
  it('is a 400 naming cursor at the route (another partition, missing or extra key attributes)', async () => {
    const scope = cursorScope(catalogue);
    const { gsi2pk: _pk, ...withoutPartition } = catalogueKey('A');
    const misfits = [
      { ...catalogueKey('A'), ...keys.itemLowStock.key({ sku: 'A' }) },
      {
        ...catalogueKey('A'),
        ...Object.fromEntries(Object.entries(keys.itemInCatalogue.key({ sku: 'A' })).map(([n]) => [n, 'ITEM#LOW'])),
      },
      withoutPartition,
      keys.item.key({ sku: 'A' }),
      { ...catalogueKey('A'), extra: 'x' },
      { ...catalogueKey('A'), pk: 1 },
    ];
    for (const key of misfits) {
      const answer = await call(listItems, {
        path: '/v1/inventory/items',
        query: { cursor: await signed(key, scope) },
        roles: ['inventory'],
      });
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(answer.body.errors).toEqual([{ path: 'cursor', message: 'Invalid cursor' }]);
    }
    const fitting = await call(listItems, {
      path: '/v1/inventory/items',
      query: { cursor: await signed(catalogueKey('~~~~'), scope) },
      roles: ['inventory'],
    });
    expect(fitting.status).toBe(200);
    expect(fitting.body.items).toEqual([]);
  });

  it('is refused by a page of one partition before DynamoDB is asked', async () => {
    const byStatus = keys.invoiceByStatus.query({ status: 'OPEN' });
    const other = {
      ...keys.invoice.key({ invoiceId: 'i-1' }),
      ...keys.invoiceByStatus.key({ status: 'PAID', dueDate: '2026-01-01', invoiceId: 'i-1' }),
    };
    await expect(
      queryPage(doc, tableName, byStatus, { limit: 5, cursor: await signed(other, cursorScope(byStatus)) }, identity),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('is refused by a merged page (a partition with part of its key, or a key of another partition)', async () => {
    const queries = (['OPEN', 'PARTIALLY_PAID'] as const).map((status) => keys.invoiceByStatus.query({ status }));
    const scope = `merged:${queries.map(cursorScope).join('|')}`;
    const open = {
      ...keys.invoice.key({ invoiceId: 'i-1' }),
      ...keys.invoiceByStatus.key({ status: 'OPEN', dueDate: '2026-01-01', invoiceId: 'i-1' }),
    };
    const prefixed = (i: number, key: Record<string, string>) =>
      Object.fromEntries(Object.entries(key).map(([name, value]) => [`${i}.${name}`, value]));
    const { '0.pk': _pk, ...partial } = prefixed(0, open);
    for (const cursor of [partial, prefixed(1, open), { ...prefixed(0, open), 1: 'done', extra: 'x' }, { 0: 'nope' }]) {
      await expect(
        queryMergedPage(doc, tableName, queries, { limit: 5, cursor: await signed(cursor, scope) }, identity),
        JSON.stringify(cursor),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    }
    const fitting = await queryMergedPage(
      doc,
      tableName,
      queries,
      {
        limit: 5,
        cursor: await signed(
          {
            ...prefixed(0, {
              ...open,
              ...keys.invoiceByStatus.key({ status: 'OPEN', dueDate: '9999-12-31', invoiceId: 'z' }),
            }),
            1: 'done',
          },
          scope,
        ),
      },
      identity,
    );
    expect(fitting.items).toEqual([]);
  });

  it('is refused by a sequence page when the key is outside its segment', async () => {
    const segments = (['NEW', 'OPEN'] as const).map((status) =>
      keys.deskByStatus.query({ kind: 'case', status }, { prefix: '1' }),
    );
    const scope = `segments:${segments.map((s) => `${s.index}:${s.partition}:${s.prefix ?? ''}`).join('|')}`;
    const record = { rank: 1, createdAt: '2026-01-01T00:00:00.000Z', id: 'c-1' };
    const inOpen = {
      pk: 'CASE#c-1',
      sk: 'CASE',
      ...keys.deskByStatus.key({ kind: 'case', status: 'OPEN', ...record }),
    };
    const outsidePrefix = { ...inOpen, ...keys.deskByStatus.key({ kind: 'case', status: 'NEW', ...record, rank: 2 }) };
    for (const cursor of [
      { ...inOpen, '~segment': 0 },
      { ...outsidePrefix, '~segment': 0 },
    ]) {
      await expect(
        querySequencePage(doc, tableName, segments, { limit: 5, cursor: await signed(cursor, scope) }, identity),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    }
    const fitting = await querySequencePage(
      doc,
      tableName,
      segments,
      { limit: 5, cursor: await signed({ ...inOpen, '~segment': 1 }, scope) },
      identity,
    );
    expect(fitting.nextCursor).toBeNull();
  });

  it("is refused by a resource's appointments when the start lies outside the range asked", async () => {
    const store = makeAppointmentStore({ doc, tableName });
    const [from, to] = ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'];
    const partition = keys.appointmentByResource.query({ resourceId: 'room-1' }).partition;
    const key = (start: string) => ({
      ...keys.appointment.key({ appointmentId: 'a-1' }),
      ...keys.appointmentByResource.key({ resourceId: 'room-1', start, appointmentId: 'a-1' }),
    });
    const cursor = await signed(key('2026-04-01T09:00:00Z'), `appointments:${partition}:${from}:${to}`);
    await expect(store.listByResource('room-1', from, to, { limit: 5, cursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    const inside = await signed(key('2026-03-01T09:00:00Z'), `appointments:${partition}:${from}:${to}`);
    expect((await store.listByResource('room-1', from, to, { limit: 5, cursor: inside })).items).toEqual([]);
  });

  it("is refused by a day of the journal when the key is another day's or before the range", async () => {
    const journal = makeJournal({ doc, tableName });
    const between = { from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T12:00:00.000Z' };
    const key = (postedAt: string) => ({
      ...keys.journalEntry.key({ entryId: 'e-1' }),
      ...keys.journalByDay.key({ postedAt, entryId: 'e-1' }),
    });
    for (const startKey of [key('2026-03-02T10:30:00.000Z'), key('2026-03-01T09:00:00.000Z')]) {
      await expect(journal.journalEntriesBetween('2026-03-01', between, 5, startKey)).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
    expect(
      (await journal.journalEntriesBetween('2026-03-01', between, 5, key('2026-03-01T11:00:00.000Z'))).entries,
    ).toEqual([]);
  });
});

const DOCUMENTED_ORDER = 'ord_01KB0000000000000000000000';

describe('every list route that declares the cursor key', () => {
  const lists = (routes as readonly RouteDecl[]).filter((route) => route.permissions.cursorKey);

  it('is a GET that verifies the cursor it is given (a tampered one is a 400 naming cursor)', async () => {
    expect(lists.length).toBeGreaterThan(0);
    // The documents list reads the record it is asked about before its page: one that exists.
    await testClients().doc.send(
      new PutCommand({
        TableName: testResources().tableName,
        Item: { ...keys.order.key({ orderId: DOCUMENTED_ORDER }), entity: 'order' },
      }),
    );
    for (const route of lists) {
      const { handler } = (await import(/* @vite-ignore */ join(PROJECT_ROOT, `${route.handler}.ts`))) as {
        handler: Parameters<typeof call>[0];
      };
      const answer = await call(handler, {
        path: route.path.replace(/\{[^}]+\}/g, 'c-1'),
        roles: ['admin'],
        query: {
          cursor: 'eyJwayI6IkEifQ.AAAAAAAAAAAAAAAAAAAAAA',
          resourceId: 'r-1',
          from: '2026-03-01',
          to: '2026-03-02',
          // What the other lists require: a record's documents, an actor's audit trail.
          ...(route.path === '/v1/documents' ? { entityId: DOCUMENTED_ORDER } : {}),
          ...(route.path === '/v1/audit' ? { actor: 'a-1' } : {}),
        },
      });
      expect(route.method).toBe('GET');
      expect({ route: route.path, status: answer.status, errors: answer.body.errors }).toEqual({
        route: route.path,
        status: 400,
        errors: [{ path: 'cursor', message: 'Invalid cursor' }],
      });
    }
  });
});

describe('checkedStartKey', () => {
  const query = (options = {}): PartitionQuery => keys.itemInCatalogue.query({}, options);
  it('passes a key that fits, and no key at all', () => {
    expect(checkedStartKey(undefined, query())).toBeUndefined();
    expect(checkedStartKey(catalogueKey('B'), query({ from: 'A', before: 'C' }))).toEqual(catalogueKey('B'));
    expect(checkedStartKey(catalogueKey('C'), query({ from: 'A', before: 'C' }))).toEqual(catalogueKey('C'));
    expect(checkedStartKey(catalogueKey('AB'), query({ prefix: 'A' }))).toEqual(catalogueKey('AB'));
  });

  it('refuses a sort key outside each kind of condition', () => {
    const cases: [string, object][] = [
      ['D', { from: 'A', before: 'C' }],
      ['0', { from: 'A' }],
      ['C', { before: 'C' }],
      ['D', { through: 'C' }],
      ['B', { prefix: 'A' }],
    ];
    for (const [sku, options] of cases) {
      expect(() => checkedStartKey(catalogueKey(sku), query(options)), sku).toThrow(InvalidCursorError);
    }
  });
});
