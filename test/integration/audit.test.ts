import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as listAuditEvents } from '../../functions/compliance/list-audit-events.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeAuditLog, type AuditEvent } from '#shared/data/audit.ts';
import { keys } from '#shared/keys.ts';
import { guardedUpdate, transactWrite } from '#shared/data/transact.ts';
import { doc as handlerDoc } from '#shared/platform/clients.ts';
import { attributed } from '../support/access-recorder.ts';
import { testClients, testResources } from '../support/index.ts';
import { call, itemBody, uniqueSku } from './orders-inventory-fixtures.ts';

const doc = testClients().doc;
const tableName = testResources().tableName;
const audit = makeAuditLog({ doc, tableName });

/** The inventory use case with its clock at `iso`, so its audit events carry that instant. */
const inventoryAt = (iso: string) => makeInventoryService({ doc, tableName, now: () => new Date(iso) });

function list(query: Record<string, string | number | undefined>, roles = ['admin']) {
  return call(listAuditEvents, { path: '/v1/audit', roles, sub: 'admin-1', query });
}

async function eventsOf(entityId: string): Promise<AuditEvent[]> {
  const found: AuditEvent[] = [];
  for await (const event of audit.byEntity.all({ entityId })) found.push(event);
  return found;
}

let runs = 0;
/** An actor no other test of the file uses, so its partition of the actor index holds only this test's events. */
const freshActor = () => `auditor-${Date.now().toString(36)}-${++runs}`;

/** An item created at `createdAt` and changed at each of `changedAt`, all by `actor`: one audit event per write. */
async function itemWithHistory(actor: string, createdAt: string, ...changedAt: string[]): Promise<string> {
  const sku = uniqueSku('AUD');
  await inventoryAt(createdAt).putItem(sku, itemBody({ reorderPoint: 1 }), actor);
  let price = 1000;
  for (const at of changedAt) {
    price += 100;
    await inventoryAt(at).putItem(sku, itemBody({ reorderPoint: 1, unitPriceCents: price }), actor);
  }
  return sku;
}

describe('GET /v1/audit?entityId=', () => {
  let sku: string;
  const actor = freshActor();
  beforeAll(async () => {
    sku = await itemWithHistory(actor, '2026-03-01T10:00:00.000Z', '2026-03-02T11:00:00.000Z');
  });

  it("answers the entity's events oldest first in the house shape: field names and status, never values", async () => {
    const answer = await list({ entityId: sku });

    expect(answer.status).toBe(200);
    expect(answer.body.nextCursor).toBeNull();
    expect(answer.body.items).toEqual([
      {
        eventId: expect.stringMatching(/^evt_/),
        at: '2026-03-01T10:00:00.000Z',
        actor,
        action: 'item.created',
        entityType: 'item',
        entityId: sku,
        changes: expect.arrayContaining(['name', 'unitPriceCents', 'onHand']),
      },
      {
        eventId: expect.stringMatching(/^evt_/),
        at: '2026-03-02T11:00:00.000Z',
        actor,
        action: 'item.updated',
        entityType: 'item',
        entityId: sku,
        changes: ['unitPriceCents'],
      },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain('1100');
  });

  it('pages with a signed cursor, and refuses an altered one (400)', async () => {
    const first = await list({ entityId: sku, limit: 1 });
    const second = await list({ entityId: sku, limit: 1, cursor: first.body.nextCursor });
    const altered = await list({ entityId: sku, limit: 1, cursor: `${first.body.nextCursor}x` });

    expect(first.body.items.map((e: AuditEvent) => e.action)).toEqual(['item.created']);
    expect(second.body.items.map((e: AuditEvent) => e.action)).toEqual(['item.updated']);
    expect(altered.status).toBe(400);
  });

  it('answers an empty list for an entity without events', async () => {
    const answer = await list({ entityId: 'never-audited' });

    expect(answer).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('is for admin only: any other role → 403', async () => {
    for (const role of ['accounting', 'ops', 'hr', 'support']) {
      expect((await list({ entityId: sku }, [role])).status).toBe(403);
    }
  });
});

describe('GET /v1/audit?actor=&from&to', () => {
  const actor = freshActor();
  let march: string;
  let april: string;
  beforeAll(async () => {
    march = await itemWithHistory(actor, '2026-03-01T10:00:00.000Z', '2026-03-31T23:59:59.999Z');
    april = await itemWithHistory(actor, '2026-04-01T00:00:00.000Z');
    // Another actor's event inside the window is not theirs.
    await itemWithHistory(freshActor(), '2026-03-15T12:00:00.000Z');
  });

  it("answers the actor's events in the window, oldest first, through the actor index", async () => {
    const answer = await list({ actor, from: '2026-03-01', to: '2026-03-31' });

    expect(answer.status).toBe(200);
    expect(answer.body.items.map((e: AuditEvent) => [e.entityId, e.action, e.at])).toEqual([
      [march, 'item.created', '2026-03-01T10:00:00.000Z'],
      [march, 'item.updated', '2026-03-31T23:59:59.999Z'],
    ]);
    expect(answer.body.items.every((e: AuditEvent) => e.actor === actor)).toBe(true);
  });

  it('takes instants too: from and to are both inclusive', async () => {
    const answer = await list({ actor, from: '2026-03-31T23:59:59.999Z', to: '2026-04-01T00:00:00Z' });

    expect(answer.body.items.map((e: AuditEvent) => [e.entityId, e.at])).toEqual([
      [march, '2026-03-31T23:59:59.999Z'],
      [april, '2026-04-01T00:00:00.000Z'],
    ]);
  });

  it("pages with a cursor that belongs to the window: another window's cursor is refused (400)", async () => {
    const window = { actor, from: '2026-03-15', to: '2026-04-14' };
    const first = await list({ ...window, limit: 1 });
    const second = await list({ ...window, cursor: first.body.nextCursor });
    const elsewhere = await list({ ...window, from: '2026-03-16', cursor: first.body.nextCursor });

    expect(first.body.items.map((e: AuditEvent) => [e.entityId, e.action])).toEqual([[march, 'item.updated']]);
    expect(second.body.items.map((e: AuditEvent) => [e.entityId, e.action])).toEqual([[april, 'item.created']]);
    expect(second.body.nextCursor).toBeNull();
    expect(elsewhere.status).toBe(400);
  });

  it('accepts a window of 31 days and refuses 32 (400), changing nothing', async () => {
    expect((await list({ actor, from: '2026-03-02', to: '2026-04-01' })).status).toBe(200);

    const answer = await list({ actor, from: '2026-03-01', to: '2026-04-01' });

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(answer.body)).toContain('at most 31 days');
  });

  it('refuses a bad query (400): neither or both of entityId and actor, a missing or malformed bound', async () => {
    const bad: Record<string, string>[] = [
      {},
      { from: '2026-03-01', to: '2026-03-02' },
      { entityId: 'x', actor },
      { entityId: 'x', actor, from: '2026-03-01', to: '2026-03-02' },
      { entityId: 'x', from: '2026-03-01' },
      { actor },
      { actor, from: '2026-03-01' },
      { actor, to: '2026-03-01' },
      { actor, from: '2026-03-05', to: '2026-03-04' },
      { actor, from: '2026-02-30', to: '2026-03-04' },
      { actor, from: 'yesterday', to: '2026-03-04' },
    ];
    for (const query of bad) {
      const answer = await list(query);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    }
  });
});

describe('audit events cannot be changed or deleted', () => {
  // A real handler's identity with UpdateItem and DeleteItem on the table (the termination job): its grants allow
  // both actions, and the Deny every role carries still refuses them on an audit key, as IAM does in AWS.
  const HANDLER = 'functions/hr/complete-terminations';
  const asHandler = <T>(work: () => Promise<T>): Promise<T> => attributed(HANDLER, work)();

  let event: AuditEvent;
  let eventKey: Record<string, string>;
  beforeAll(async () => {
    const sku = await itemWithHistory(freshActor(), '2026-05-01T09:00:00.000Z');
    event = (await eventsOf(sku))[0]!;
    eventKey = keys.auditEvent.key(event);
  });

  const stored = async () =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: eventKey, ConsistentRead: true }))).Item;

  it('refuses an UpdateItem of an audit event with AccessDenied, and the event is unchanged', async () => {
    const before = await stored();

    const attempt = asHandler(() =>
      handlerDoc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: eventKey,
          UpdateExpression: 'SET #a = :a',
          ExpressionAttributeNames: { '#a': 'action' },
          ExpressionAttributeValues: { ':a': 'item.nothing-happened' },
        }),
      ),
    );

    await expect(attempt).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(attempt).rejects.toThrow(/explicit deny/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a DeleteItem of an audit event, and the event is still there', async () => {
    const attempt = asHandler(() => handlerDoc.send(new DeleteCommand({ TableName: tableName, Key: eventKey })));

    await expect(attempt).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(await stored()).toMatchObject({ eventId: event.eventId, action: event.action });
  });

  it('refuses a transaction that updates or deletes an event, writing none of its items', async () => {
    const bystander = keys.report.key({ type: 'audit-test', period: '2026-05-01' });
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...bystander, entity: 'report', n: 1 } }));

    const update = asHandler(() =>
      transactWrite(handlerDoc, [
        guardedUpdate(tableName, bystander, { n: 2 }, { n: 1 }),
        guardedUpdate(tableName, eventKey, { status: 'FORGED' }, {}),
      ]),
    );
    const remove = asHandler(() =>
      transactWrite(handlerDoc, [
        guardedUpdate(tableName, bystander, { n: 3 }, { n: 1 }),
        { Delete: { TableName: tableName, Key: eventKey } },
      ]),
    );

    await expect(update).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(remove).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect((await stored())?.status).toBe(event.status);
    expect((await stored())?.eventId).toBe(event.eventId);
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: bystander, ConsistentRead: true }));
    expect(Item?.n).toBe(1);
  });

  it('still lets the same handler update and delete an item that is not an audit event', async () => {
    const other = keys.report.key({ type: 'audit-test', period: '2026-05-02' });
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...other, entity: 'report', n: 1 } }));

    await asHandler(() => transactWrite(handlerDoc, [guardedUpdate(tableName, other, { n: 2 }, { n: 1 })]));
    const updated = await doc.send(new GetCommand({ TableName: tableName, Key: other, ConsistentRead: true }));
    await asHandler(() => handlerDoc.send(new DeleteCommand({ TableName: tableName, Key: other })));
    const deleted = await doc.send(new GetCommand({ TableName: tableName, Key: other, ConsistentRead: true }));

    expect(updated.Item?.n).toBe(2);
    expect(deleted.Item).toBeUndefined();
  });
});
