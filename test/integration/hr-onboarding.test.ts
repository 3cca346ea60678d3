import { beforeEach, describe, expect, it } from 'vitest';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler as hireEmployee } from '../../functions/hr/hire-employee.ts';
import { handler as getEmployee } from '../../functions/hr/get-employee.ts';
import { handler as updateEmployee } from '../../functions/hr/update-employee.ts';
import { handler as listEmployees } from '../../functions/hr/list-employees.ts';
import { handler as completeTask } from '../../functions/hr/complete-onboarding-task.ts';
import { handler as terminateEmployee } from '../../functions/hr/terminate-employee.ts';
import { handler as processHrEvent } from '../../functions/hr/process-hr-event.ts';
import { handler as completeTerminations } from '../../functions/hr/complete-terminations.ts';
import { handler as sweepSubmissions } from '../../functions/ops/sweep-submissions.ts';
import { handler as triage } from '../../functions/support/triage.ts';
import { handler as actOnTicket } from '../../functions/it/act-on-ticket.ts';
import { handler as getTicket } from '../../functions/it/get-ticket.ts';
import { handler as monitorSla } from '../../functions/support/monitor-sla.ts';
import { hireSchema, hrTicketId } from '#shared/domain/hr.ts';
import { keys } from '#shared/keys.ts';
import { InvalidInputError } from '#shared/errors.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { queryAll } from '#shared/data/query.ts';
import {
  drainQueue,
  eventually,
  lambdaContext,
  pumpQueue,
  scheduledEvent,
  sendToQueue,
  testClients,
  testResources,
} from '../support/index.ts';
import { auditOf, call, freshEmail, readRecord } from './support-fixtures.ts';

interface Envelope {
  type: string;
  id: string;
  correlationId: string;
}

let departments = 0;
function freshDepartment(): string {
  return `Onb ${Date.now().toString(36)}-${++departments}`;
}

function hireBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Ada Lovelace',
    email: freshEmail('onb'),
    title: 'Engineer',
    department: freshDepartment(),
    startDate: '2026-04-01',
    annualSalaryCents: 12_000_000,
    ...overrides,
  };
}

function hire(body: unknown, sub = 'hr-1') {
  return call(hireEmployee, { method: 'POST', path: '/v1/hr/employees', roles: ['hr'], sub, body });
}

async function hired(overrides: Record<string, unknown> = {}, sub = 'hr-1'): Promise<string> {
  const answer = await hire(hireBody(overrides), sub);
  expect(answer.status).toBe(202);
  return answer.body.employeeId;
}

function read(employeeId: string) {
  return call(getEmployee, { path: `/v1/hr/employees/${employeeId}`, roles: ['hr'] });
}

function terminate(employeeId: string, body: unknown, roles = ['hr'], sub = 'hr-2') {
  return call(terminateEmployee, {
    method: 'POST',
    path: `/v1/hr/employees/${employeeId}/terminate`,
    roles,
    sub,
    body,
  });
}

function complete(employeeId: string, task: string) {
  return call(completeTask, {
    method: 'POST',
    path: `/v1/hr/employees/${employeeId}/tasks/${task}/complete`,
    roles: ['hr'],
    sub: 'hr-1',
  });
}

function patch(employeeId: string, body: unknown) {
  return call(updateEmployee, {
    method: 'PATCH',
    path: `/v1/hr/employees/${employeeId}`,
    roles: ['hr'],
    sub: 'hr-1',
    body,
  });
}

function act(ticketId: string, body: unknown, sub = 'tech-1') {
  return call(actOnTicket, {
    method: 'POST',
    path: `/v1/it-tickets/${ticketId}/actions`,
    roles: ['it'],
    sub,
    body,
  });
}

/** A timer tick: the local SQS server makes a message receivable a tick after its send. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The hr queue's messages delivered to its processor, then the support queue's to triage. */
async function processAll(): Promise<void> {
  await tick();
  await pumpQueue('hr', processHrEvent);
  await tick();
  await pumpQueue('support', triage);
}

/** Drains a queue until a message about `id` came (a lost send is simulated so), returning all drained. */
async function drainFor(queue: string, id: string): Promise<Envelope[]> {
  const drained: Envelope[] = [];
  await eventually(async () => {
    drained.push(...(await drainQueue<Envelope>(queue)));
    return drained.some((m) => m.id === id);
  });
  return drained;
}

/** A client on the test table that, right after a read of employee `id`, lets HR terminate that employee. */
function terminatingAfterRead(id: string): DynamoDBDocumentClient {
  const { doc } = testClients();
  let done = false;
  return {
    send: async (command: { input: { Key?: { pk?: string } } }) => {
      const result = await doc.send(command as never);
      if (!done && command instanceof GetCommand && command.input.Key?.pk === `EMPLOYEE#${id}`) {
        done = true;
        expect((await terminate(id, { lastDay: '2026-12-31' })).status).toBe(200);
      }
      return result;
    },
  } as unknown as DynamoDBDocumentClient;
}

/** An employee hired, their onboarding ticket opened and triaged; returns both ids. */
async function onboarding(overrides: Record<string, unknown> = {}): Promise<{ employeeId: string; ticketId: string }> {
  const employeeId = await hired(overrides);
  await processAll();
  return { employeeId, ticketId: hrTicketId(employeeId, 'onboarding') };
}

function runJob(at: string) {
  return completeTerminations(scheduledEvent({}, new Date(at)), lambdaContext('hr-terminations'));
}

function sweepAt(at: Date) {
  return sweepSubmissions(scheduledEvent({}, at), lambdaContext('sweep-submissions'));
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function emailItem(email: string) {
  const { Item } = await testClients().doc.send(
    new GetCommand({
      TableName: testResources().tableName,
      Key: keys.employeeEmail.key({ email }),
      ConsistentRead: true,
    }),
  );
  return Item;
}

beforeEach(async () => {
  await drainQueue('hr');
  await drainQueue('support');
});

describe('onboarding through IT', () => {
  it('queues employee.hired on hiring; the processor opens one ticket for the HR user, queued for triage', async () => {
    const employeeId = await hired({ managerId: await hired() }, 'hr-7');
    const queued = await drainFor('hr', employeeId);
    const message = queued.find((m) => m.id === employeeId)!;
    await sendToQueue('hr', message);

    await tick();
    await pumpQueue('hr', processHrEvent);
    const ticketId = hrTicketId(employeeId, 'onboarding');
    const ticket = await readRecord('ticket', ticketId);
    const triageMessages = await drainFor('support', ticketId);

    expect(message).toMatchObject({ type: 'employee.hired', id: employeeId });
    expect(ticket).toMatchObject({
      kind: 'ticket',
      status: 'NEW',
      requester: 'hr-7',
      employeeId,
      hrPurpose: 'onboarding',
      category: 'access',
      priority: 'normal',
    });
    expect(ticket!.subject).toContain(employeeId);
    expect(ticket!.description).toContain('Start date: 2026-04-01');
    expect(ticket!.description).not.toContain('12000000');
    expect(triageMessages.filter((m) => m.id === ticketId)).toEqual([
      expect.objectContaining({ type: 'ticket.submitted', id: ticketId }),
    ]);
    const employeeEvents = await auditOf(employeeId);
    expect(employeeEvents.map((e) => [e.action, e.actor])).toEqual([
      ['employee.hired', 'hr-7'],
      ['employee.onboarding_ticket_opened', 'system:hr-tickets'],
    ]);
    expect((await auditOf(ticketId)).map((e) => e.action)).toEqual(['ticket.submitted']);
    expect((await read(employeeId)).body.onboardingTicketId).toBe(ticketId);
  });

  it('opens still one ticket for a message delivered again after the ticket exists', async () => {
    const { employeeId, ticketId } = await onboarding();

    await sendToQueue('hr', { type: 'employee.hired', id: employeeId, correlationId: 'again', sentAt: 'x' });
    await tick();
    await pumpQueue('hr', processHrEvent);
    await tick();

    expect((await auditOf(ticketId)).map((e) => e.action)).toEqual(['ticket.submitted', 'ticket.triaged']);
    expect(await drainQueue('support')).toEqual([]);
    expect((await auditOf(employeeId)).map((e) => e.action)).toEqual([
      'employee.hired',
      'employee.onboarding_ticket_opened',
    ]);
    const its = await call(getTicket, { path: `/v1/it-tickets/${ticketId}`, roles: ['it'] });
    expect(its.body).toMatchObject({
      ticketId,
      status: 'OPEN',
      requester: 'hr-1',
      employeeId,
      hrPurpose: 'onboarding',
    });
  });

  it('heals a lost employee.hired: the sweeper re-queues it 5 minutes after hiring, not before', async () => {
    const employeeId = await hired();
    await drainFor('hr', employeeId); // the send was lost

    await sweepAt(minutesFromNow(1));
    await tick();
    const early = await drainQueue<Envelope>('hr');
    await sweepAt(minutesFromNow(6));
    const late = await drainFor('hr', employeeId);
    for (const message of late) await sendToQueue('hr', message);
    await processAll();
    await sweepAt(minutesFromNow(7));
    await tick();
    const afterTicket = await drainQueue<Envelope>('hr');

    expect(early.some((m) => m.id === employeeId)).toBe(false);
    expect(late.filter((m) => m.id === employeeId).map((m) => m.type)).toEqual(['employee.hired']);
    expect(await readRecord('ticket', hrTicketId(employeeId, 'onboarding'))).toMatchObject({ status: 'OPEN' });
    expect(afterTicket.some((m) => m.id === employeeId)).toBe(false);
  });

  it('completes accounts and equipment when IT resolves the ticket, in its transaction, by the IT user', async () => {
    const { employeeId, ticketId } = await onboarding();

    const resolved = await act(ticketId, { action: 'resolve', resolution: 'Laptop and accounts handed over' });
    const employee = (await read(employeeId)).body;

    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('RESOLVED');
    expect(employee.status).toBe('ONBOARDING');
    expect(employee.tasks).toEqual([
      { task: 'accounts', done: true },
      { task: 'equipment', done: true },
      { task: 'benefits_enrollment', done: false },
      { task: 'policy_acknowledgement', done: false },
    ]);
    const events = await auditOf(employeeId);
    expect(events.at(-1)).toMatchObject({
      action: 'employee.task_completed',
      actor: 'tech-1',
      changes: ['tasks.accounts', 'tasks.equipment'],
      related: [{ entityType: 'ticket', entityId: ticketId }],
    });

    await complete(employeeId, 'benefits_enrollment');
    const active = await complete(employeeId, 'policy_acknowledgement');
    expect(active.body.status).toBe('ACTIVE');
  });

  it('makes the employee ACTIVE when the other two tasks were done, and changes it once only', async () => {
    const { employeeId, ticketId } = await onboarding();
    await complete(employeeId, 'benefits_enrollment');
    await complete(employeeId, 'policy_acknowledgement');

    await act(ticketId, { action: 'resolve', resolution: 'Done' });
    await act(ticketId, { action: 'reopen', note: 'Forgot the badge' });
    await act(ticketId, { action: 'resolve', resolution: 'Badge too' });

    expect((await read(employeeId)).body.status).toBe('ACTIVE');
    const events = (await auditOf(employeeId)).map((e) => [e.action, e.actor]);
    expect(events.slice(-1)).toEqual([['employee.activated', 'tech-1']]);
    expect(events.filter(([action]) => action === 'employee.activated')).toHaveLength(1);
  });

  it('changes nothing when the IT tasks were done by hand, or the employee is leaving', async () => {
    const byHand = await onboarding();
    await complete(byHand.employeeId, 'accounts');
    await complete(byHand.employeeId, 'equipment');
    const leaving = await onboarding();
    expect((await terminate(leaving.employeeId, { lastDay: '2026-12-31' })).status).toBe(200);
    const before = [(await read(byHand.employeeId)).body, (await read(leaving.employeeId)).body];
    const auditBefore = [(await auditOf(byHand.employeeId)).length, (await auditOf(leaving.employeeId)).length];

    const answers = [
      await act(byHand.ticketId, { action: 'resolve', resolution: 'Done' }),
      await act(leaving.ticketId, { action: 'resolve', resolution: 'Not needed' }),
    ];

    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [200, 'RESOLVED'],
      [200, 'RESOLVED'],
    ]);
    expect([(await read(byHand.employeeId)).body, (await read(leaving.employeeId)).body]).toEqual(before);
    expect([(await auditOf(byHand.employeeId)).length, (await auditOf(leaving.employeeId)).length]).toEqual(
      auditBefore,
    );
  });
});

describe('termination', () => {
  it('records TERMINATING with lastDay → 200, audited by field name, on the by-last-day index', async () => {
    const employeeId = await hired();

    const answer = await terminate(employeeId, { lastDay: '2026-12-18' });
    const leavers = [];
    for await (const item of queryAll(
      testClients().doc,
      testResources().tableName,
      keys.employeeByLastDay.query({}, { prefix: '2026-12-18#' }),
    )) {
      leavers.push(item.employeeId);
    }

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ employeeId, status: 'TERMINATING', lastDay: '2026-12-18' });
    expect((await read(employeeId)).body).toEqual(answer.body);
    expect(leavers).toContain(employeeId);
    const event = (await auditOf(employeeId)).at(-1)!;
    expect(event).toMatchObject({ action: 'employee.terminating', actor: 'hr-2', status: 'TERMINATING' });
    expect(event.changes).toEqual(['status', 'lastDay', 'terminatedBy', 'terminationRecordedAt']);
    expect(JSON.stringify(event)).not.toContain('2026-12-18');
  });

  it('refuses a last day before the start date or a bad body (400), a second time (409), unknown (404)', async () => {
    const employeeId = await hired({ startDate: '2026-05-01' });

    const early = await terminate(employeeId, { lastDay: '2026-04-30' });
    const bad = await terminate(employeeId, { lastDay: '2026-02-30' });
    const missing = await terminate(employeeId, {});
    const forbidden = await terminate(employeeId, { lastDay: '2026-05-01' }, ['it']);
    const unchanged = (await read(employeeId)).body;
    const first = await terminate(employeeId, { lastDay: '2026-05-01' });
    const second = await terminate(employeeId, { lastDay: '2026-06-01' });
    const unknown = await terminate('emp_NOPE', { lastDay: '2026-06-01' });

    expect([early.status, bad.status, missing.status, forbidden.status]).toEqual([400, 400, 400, 403]);
    expect([early, bad, missing].map((a) => a.body.errors.map((e: { path: string }) => e.path))).toEqual([
      ['lastDay'],
      ['lastDay'],
      ['lastDay'],
    ]);
    expect(unchanged.status).toBe('ONBOARDING');
    expect([first.status, second.status, unknown.status]).toEqual([200, 409, 404]);
    expect((await read(employeeId)).body.lastDay).toBe('2026-05-01');
  });

  it('refuses PATCH and task completion of a TERMINATING employee with 409', async () => {
    const employeeId = await hired();
    await terminate(employeeId, { lastDay: '2026-12-31' });

    const answers = [await patch(employeeId, { title: 'Ghost' }), await complete(employeeId, 'accounts')];

    expect(answers.map((a) => a.status)).toEqual([409, 409]);
    expect((await read(employeeId)).body.title).toBe('Engineer');
  });

  it('opens one ticket revoking access, due by the end of the last day, watched by the SLA monitor', async () => {
    const { employeeId } = await onboarding();
    await terminate(employeeId, { lastDay: '2026-06-30' }, ['hr'], 'hr-9');
    const queued = await drainFor('hr', employeeId);
    for (const message of [...queued, ...queued, ...queued]) await sendToQueue('hr', message);

    await processAll();
    const ticketId = hrTicketId(employeeId, 'offboarding');
    const ticket = await readRecord('ticket', ticketId);
    await monitorSla(scheduledEvent({}, new Date('2026-06-30T23:59:59.998Z')), lambdaContext());
    const beforeEnd = await readRecord('ticket', ticketId);

    expect(queued.map((m) => [m.type, m.id])).toEqual([['employee.terminating', employeeId]]);
    expect(ticket).toMatchObject({
      status: 'OPEN',
      requester: 'hr-9',
      hrPurpose: 'offboarding',
      employeeId,
      priority: 'high',
      resolutionDueAt: '2026-06-30T23:59:59.999Z',
    });
    expect(ticket!.description).toContain('Last day: 2026-06-30');
    expect((await read(employeeId)).body).toMatchObject({
      onboardingTicketId: expect.any(String),
      offboardingTicketId: ticketId,
    });
    expect(ticket!.firstResponseDueAt! <= ticket!.resolutionDueAt!).toBe(true);
    expect((await auditOf(ticketId)).map((e) => e.action)).toEqual(['ticket.submitted', 'ticket.triaged']);
    expect(beforeEnd).toMatchObject({ slaBreached: false, status: 'OPEN' });
    // Now the last day is long past: the monitor breaches the ticket and escalates it.
    await monitorSla(scheduledEvent({}, new Date()), lambdaContext());
    expect(await readRecord('ticket', ticketId)).toMatchObject({
      slaBreached: true,
      status: 'ESCALATED',
      resolutionBreachedAt: expect.any(String),
    });
  });

  it('keeps a future last day as the deadline while the priority gives the first response', async () => {
    const employeeId = await hired();
    const future = new Date(Date.now() + 10 * 24 * 3600_000).toISOString().slice(0, 10);

    await terminate(employeeId, { lastDay: future });
    await processAll();
    const ticket = await readRecord('ticket', hrTicketId(employeeId, 'offboarding'));

    expect(ticket!.resolutionDueAt).toBe(`${future}T23:59:59.999Z`);
    expect(Date.parse(ticket!.firstResponseDueAt!) - Date.parse(ticket!.createdAt)).toBe(4 * 3600_000);
  });

  it('heals a lost employee.terminating through the sweeper', async () => {
    const employeeId = await hired();
    await processAll();
    await terminate(employeeId, { lastDay: '2026-12-31' });
    await drainFor('hr', employeeId); // the send was lost

    await sweepAt(minutesFromNow(6));
    const requeued = await drainFor('hr', employeeId);

    expect(requeued.filter((m) => m.id === employeeId).map((m) => m.type)).toEqual(['employee.terminating']);
  });
});

describe('the hr-terminations job', () => {
  it('makes the employee TERMINATED once the last day has ended, not before, and frees the email', async () => {
    const email = freshEmail('leaver');
    const employeeId = await hired({ email });
    await processAll();
    await terminate(employeeId, { lastDay: '2026-07-15' });
    await processAll();

    const rehireTooSoon = await hire(hireBody({ email }));
    const atEnd = await runJob('2026-07-15T23:59:59.999Z');
    const stillThere = (await read(employeeId)).body.status;
    const after = await runJob('2026-07-16T00:00:00.000Z');
    const again = await runJob('2026-07-16T01:01:00.000Z');
    const rehired = await hire(hireBody({ email }));

    expect(rehireTooSoon.status).toBe(409);
    expect(atEnd).toMatchObject({ failed: 0 });
    expect(stillThere).toBe('TERMINATING');
    expect(after.terminated).toBeGreaterThanOrEqual(1);
    expect((await read(employeeId)).body.status).toBe('TERMINATED');
    expect(await emailItem(email)).toMatchObject({ employeeId: rehired.body.employeeId });
    expect(again).toMatchObject({ failed: 0 });
    expect(rehired.status).toBe(202);
    // The job ran "at" July: its event sorts by that time, before this run's real-time events.
    const terminated = (await auditOf(employeeId)).filter((e) => e.action === 'employee.terminated');
    expect(terminated).toEqual([
      expect.objectContaining({
        actor: 'system:hr-terminations',
        status: 'TERMINATED',
        changes: ['status', 'terminatedAt'],
        at: '2026-07-16T00:00:00.000Z',
      }),
    ]);
  });

  it('waits for the revoking ticket before it terminates', async () => {
    const email = freshEmail('waiting');
    const employeeId = await hired({ email });
    await drainFor('hr', employeeId);
    await terminate(employeeId, { lastDay: '2026-08-01' });
    await drainFor('hr', employeeId); // the send was lost

    const waiting = await runJob('2026-08-02T00:01:00.000Z');
    const status = (await read(employeeId)).body.status;
    await sweepAt(minutesFromNow(6));
    for (const message of await drainFor('hr', employeeId)) await sendToQueue('hr', message);
    await processAll();
    await runJob('2026-08-02T01:01:00.000Z');

    expect(waiting.waiting).toBeGreaterThanOrEqual(1);
    expect(status).toBe('TERMINATING');
    expect(await emailItem(email)).toBeUndefined();
    expect((await read(employeeId)).body.status).toBe('TERMINATED');
  });
});

describe('the manager, checked in the write', () => {
  it('refuses a TERMINATING manager with 400 naming managerId, on hire and on PATCH', async () => {
    const managerId = await hired();
    const employeeId = await hired();
    await terminate(managerId, { lastDay: '2026-12-31' });

    const hiring = await hire(hireBody({ managerId }));
    const changing = await patch(employeeId, { managerId });

    expect([hiring.status, changing.status]).toEqual([400, 400]);
    expect(hiring.body.errors.map((e: { path: string }) => e.path)).toEqual(['managerId']);
    expect(changing.body.errors.map((e: { path: string }) => e.path)).toEqual(['managerId']);
  });

  it('refuses a manager terminated between the read and the write, writing nothing', async () => {
    const tableName = testResources().tableName;
    const managerId = await hired();
    const department = freshDepartment();
    const employeeId = await hired();
    const secondManagerId = await hired();

    const hiring = makeHrService({ doc: terminatingAfterRead(managerId), tableName }).hire(
      hireSchema.parse(hireBody({ managerId, department })),
      { actor: 'hr-1', correlationId: 'race' },
    );
    await expect(hiring).rejects.toBeInstanceOf(InvalidInputError);
    await expect(hiring).rejects.toMatchObject({ errors: [{ path: 'managerId' }] });
    const changing = makeHrService({ doc: terminatingAfterRead(secondManagerId), tableName }).update(
      employeeId,
      { managerId: secondManagerId },
      'hr-1',
    );
    await expect(changing).rejects.toMatchObject({ errors: [{ path: 'managerId' }] });

    expect((await read(managerId)).body.status).toBe('TERMINATING');
    expect((await read(secondManagerId)).body.status).toBe('TERMINATING');
    const listed = await call(listEmployees, { path: '/v1/hr/employees', roles: ['hr'], query: { department } });
    expect(listed.body.items).toEqual([]);
    expect((await read(employeeId)).body.managerId).toBeUndefined();
    expect((await auditOf(employeeId)).map((e) => e.action)).toEqual(['employee.hired']);
  });
});
