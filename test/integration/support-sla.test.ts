import { beforeEach, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { handler as monitorSla } from '../../functions/support/monitor-sla.ts';
import { keys } from '#shared/keys.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { caseSubmissionSchema, slaPolicyFromEnv, ticketSubmissionSchema, type DeskKind } from '#shared/domain/desk.ts';
import { lambdaContext, scheduledEvent, testClients, testResources } from '../support/index.ts';
import {
  auditOf,
  caseBody,
  clockAt,
  deskAt,
  freshEmail,
  openCase,
  readRecord,
  ticketBody,
  type Clock,
} from './support-fixtures.ts';

/**
 * The SLA monitor with an injected clock. The file shares one table and the monitor reads every record due, so each
 * test lives in its own era, 60 days before the previous test's: nothing an earlier test left open falls due at a
 * later test's clock.
 */
const HOUR = 60;
const DAY = 24 * HOUR;
let era = 0;
let clock: Clock;
let desk: ReturnType<typeof deskAt>;

beforeEach(() => {
  clock = clockAt(new Date(Date.parse('2026-06-01T08:00:00.000Z') - ++era * 60 * DAY * 60_000).toISOString());
  desk = deskAt(clock);
});

/** Runs the scheduled handler as EventBridge would, at the clock's time advanced by `minutes`. */
async function monitorAfter(minutes: number) {
  return monitorSla(scheduledEvent({}, clock.advance(minutes)), lambdaContext('sla-monitor'));
}

async function history(kind: DeskKind, id: string) {
  return (await desk.get(kind, id)).history.map(
    (entry) => `${entry.actor}:${entry.action}${entry.deadline ? `:${entry.deadline}` : ''}`,
  );
}

async function dueEntry(kind: DeskKind, id: string) {
  const { Item } = await testClients().doc.send(
    new GetCommand({ TableName: testResources().tableName, Key: keys.desk.key({ kind, id }), ConsistentRead: true }),
  );
  return Item?.gsi4pk === undefined ? undefined : { pk: Item.gsi4pk as string, sk: Item.gsi4sk as string };
}

describe('SLA monitor', () => {
  it('breaches a case nobody answered within its first-response time and escalates it to tier 2, once', async () => {
    const caseId = await openCase(desk, { priority: 'high' });

    const early = await monitorAfter(4 * HOUR - 5);
    const breach = await monitorAfter(10);
    const again = await monitorAfter(5);
    const record = await readRecord('case', caseId);

    expect(early).toMatchObject({ due: 0, breached: 0 });
    expect(breach).toMatchObject({ due: 1, breached: 1, escalated: 1, failed: 0 });
    expect(again).toMatchObject({ due: 0, breached: 0, escalated: 0 });
    expect(record).toMatchObject({ status: 'ESCALATED', tier: 2, slaBreached: true, version: 3 });
    expect(await history('case', caseId)).toEqual([
      'front-1:submitted',
      'system:test:triaged',
      'system:sla-monitor:sla_breached:firstResponse',
      'system:sla-monitor:escalate',
    ]);
    expect((await auditOf(caseId)).at(-1)).toMatchObject({
      action: 'case.sla_breached',
      actor: 'system:sla-monitor',
      status: 'ESCALATED',
    });
    // Only the resolution deadline is left to watch.
    expect((await dueEntry('case', caseId))?.sk).toBe(`${record!.resolutionDueAt}#CASE#${caseId}`);
  });

  it(
    'lets a case answered in time pass its first-response deadline, ' + 'then breaches its resolution deadline',
    async () => {
      const caseId = await openCase(desk, { priority: 'urgent' });
      clock.advance(30);
      await desk.act('case', caseId, { action: 'comment', note: 'On it.' }, 'agent-1');

      const afterFirstDeadline = await monitorAfter(HOUR);
      const afterResolutionDeadline = await monitorAfter(3 * HOUR);

      expect(afterFirstDeadline).toMatchObject({ due: 0 });
      expect(afterResolutionDeadline).toMatchObject({ due: 1, breached: 1, escalated: 1 });
      expect(await readRecord('case', caseId)).toMatchObject({
        status: 'ESCALATED',
        slaBreached: true,
        resolutionBreachedAt: clock.now.toISOString(),
      });
      expect(await readRecord('case', caseId)).not.toHaveProperty('firstResponseBreachedAt');
      expect(await dueEntry('case', caseId)).toBeUndefined();
    },
  );

  it('escalates only once even when both deadlines pass between two runs, and not again after a reopen', async () => {
    const caseId = await openCase(desk, { priority: 'urgent' });

    await monitorAfter(5 * HOUR);
    expect(await history('case', caseId)).toEqual([
      'front-1:submitted',
      'system:test:triaged',
      'system:sla-monitor:sla_breached:firstResponse',
      'system:sla-monitor:sla_breached:resolution',
      'system:sla-monitor:escalate',
    ]);
    await desk.act('case', caseId, { action: 'resolve', resolution: 'Fixed.' }, 'agent-1');
    await desk.act('case', caseId, { action: 'reopen', note: 'Not fixed.' }, 'agent-1');
    const afterReopen = await monitorAfter(5 * HOUR);

    expect(afterReopen).toMatchObject({ due: 1, breached: 1, escalated: 0 });
    expect(await readRecord('case', caseId)).toMatchObject({ status: 'OPEN', tier: 2 });
    expect((await history('case', caseId)).filter((line) => line.endsWith(':escalate'))).toHaveLength(1);
  });

  it('escalates once when two runs overlap', async () => {
    const caseId = await openCase(desk, { priority: 'urgent' });
    const at = clock.advance(2 * HOUR);

    const runs = await Promise.all([
      desk.runMonitor(at, 'system:sla-monitor'),
      desk.runMonitor(at, 'system:sla-monitor'),
    ]);

    expect(runs.reduce((sum, run) => sum + run.escalated, 0)).toBe(1);
    expect((await history('case', caseId)).filter((line) => line.includes('sla-monitor'))).toHaveLength(2);
  });

  it('closes a resolved case 7 days after its resolution and takes it out of the due-time index', async () => {
    const caseId = await openCase(desk);
    clock.advance(HOUR);
    await desk.act('case', caseId, { action: 'resolve', resolution: 'Refunded.' }, 'agent-1');

    const dayBefore = await monitorAfter(6 * DAY);
    const weekAfter = await monitorAfter(DAY);
    const later = await monitorAfter(DAY);

    expect(dayBefore).toMatchObject({ due: 0 });
    expect(weekAfter).toMatchObject({ due: 1, closed: 1, breached: 0 });
    expect(later).toMatchObject({ due: 0 });
    expect(await readRecord('case', caseId)).toMatchObject({
      status: 'CLOSED',
      closedAt: clock.advance(-DAY).toISOString(),
      slaBreached: false,
    });
    expect(await dueEntry('case', caseId)).toBeUndefined();
  });

  it('triages a case whose queue message was lost, five minutes after its submission', async () => {
    const { caseId } = await desk.submitCase(caseSubmissionSchema.parse(caseBody({ priority: 'low' })), {
      actor: 'front-1',
      correlationId: 'c',
    });

    const tooEarly = await monitorAfter(4);
    const inTime = await monitorAfter(1);

    expect(tooEarly).toMatchObject({ due: 0 });
    expect(inTime).toMatchObject({ due: 1, triaged: 1 });
    const record = await readRecord('case', caseId);
    expect(record).toMatchObject({ status: 'OPEN', tier: 1 });
    expect(Date.parse(record!.firstResponseDueAt!) - Date.parse(record!.createdAt)).toBe(24 * 3_600_000);
    expect(await history('case', caseId)).toEqual(['front-1:submitted', 'system:sla-monitor:triaged']);
  });

  it(
    'triages a lost complaint about an order as the triage processor would, ' +
      "the order's SKUs copied for the report",
    async () => {
      const orders = makeOrderService({
        doc: testClients().doc,
        tableName: testResources().tableName,
        currency: 'USD',
      });
      const { orderId } = await orders.submitOrder(
        {
          customer: { name: 'Ada', email: freshEmail() },
          lines: [
            { sku: 'SLA-A', quantity: 1 },
            { sku: 'SLA-B', quantity: 3 },
          ],
        },
        { actor: 'front-1', correlationId: 'c' },
      );
      const { caseId } = await desk.submitCase(
        caseSubmissionSchema.parse(caseBody({ category: 'complaint', orderId })),
        {
          actor: 'front-1',
          correlationId: 'c',
        },
      );

      expect(await monitorAfter(6)).toMatchObject({ due: 1, triaged: 1 });
      expect(await readRecord('case', caseId)).toMatchObject({
        status: 'OPEN',
        orderId,
        orderSkus: ['SLA-A', 'SLA-B'],
      });
    },
  );

  it('watches IT tickets with the same machinery', async () => {
    const { ticketId } = await desk.submitTicket(ticketSubmissionSchema.parse(ticketBody({ priority: 'urgent' })), {
      requester: 'emp-1',
      correlationId: 'c',
    });
    await desk.triage('ticket', ticketId, 'system:test');

    const outcome = await monitorAfter(HOUR + 1);

    expect(outcome).toMatchObject({ due: 1, breached: 1, escalated: 1 });
    expect(await readRecord('ticket', ticketId)).toMatchObject({ status: 'ESCALATED', tier: 2, slaBreached: true });
    expect((await auditOf(ticketId)).at(-1)).toMatchObject({ action: 'ticket.sla_breached' });
  });

  it('takes its hours from SLA_POLICY', async () => {
    const quick = deskAt(
      clock,
      slaPolicyFromEnv({ SLA_POLICY: '{"normal":{"firstResponseHours":0.25,"resolutionHours":1}}' }),
    );
    const caseId = await openCase(quick, { priority: 'normal' });

    const outcome = await quick.runMonitor(clock.advance(16), 'system:sla-monitor');

    expect(outcome).toMatchObject({ breached: 1 });
    expect(await readRecord('case', caseId)).toMatchObject({ slaBreached: true });
  });
  it("keeps a priority's default first-response time when SLA_POLICY overrides only its resolution time", async () => {
    const policy = slaPolicyFromEnv({ SLA_POLICY: '{"urgent":{"resolutionHours":2}}' });
    const custom = deskAt(clock, policy);
    const caseId = await openCase(custom, { priority: 'urgent' });
    const opened = await readRecord('case', caseId);

    const atFirstResponse = await custom.runMonitor(clock.advance(HOUR + 1), 'system:sla-monitor');
    const atResolution = await custom.runMonitor(clock.advance(HOUR), 'system:sla-monitor');

    expect(Date.parse(opened!.firstResponseDueAt!) - Date.parse(opened!.createdAt)).toBe(1 * 3_600_000);
    expect(Date.parse(opened!.resolutionDueAt!) - Date.parse(opened!.createdAt)).toBe(2 * 3_600_000);
    expect(atFirstResponse).toMatchObject({ breached: 1 });
    expect(atResolution).toMatchObject({ breached: 1 });
    expect((await history('case', caseId)).filter((line) => line.includes('sla_breached'))).toEqual([
      'system:sla-monitor:sla_breached:firstResponse',
      'system:sla-monitor:sla_breached:resolution',
    ]);
  });
});
