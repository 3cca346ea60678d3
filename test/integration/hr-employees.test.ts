import { describe, expect, it } from 'vitest';
import { handler as hireEmployee } from '../../functions/hr/hire-employee.ts';
import { handler as getEmployee } from '../../functions/hr/get-employee.ts';
import { handler as listEmployees } from '../../functions/hr/list-employees.ts';
import { handler as updateEmployee } from '../../functions/hr/update-employee.ts';
import { handler as completeTask } from '../../functions/hr/complete-onboarding-task.ts';
import { ONBOARDING_TASKS } from '#shared/domain/hr.ts';
import { auditOf, call, freshEmail } from './support-fixtures.ts';

let departments = 0;
/** A department no other test of the file uses, so a list by it shows only what the test hired. */
function freshDepartment(name = 'Dept'): string {
  return `${name} ${Date.now().toString(36)}-${++departments}`;
}

function hireBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Ada Lovelace',
    email: freshEmail('staff'),
    title: 'Engineer',
    department: freshDepartment(),
    startDate: '2026-04-01',
    annualSalaryCents: 12_000_000,
    ...overrides,
  };
}

function hire(body: unknown, options: { roles?: string[]; sub?: string; headers?: Record<string, string> } = {}) {
  return call(hireEmployee, { method: 'POST', path: '/v1/hr/employees', roles: ['hr'], sub: 'hr-1', body, ...options });
}

function read(employeeId: string, roles = ['hr']) {
  return call(getEmployee, { path: `/v1/hr/employees/${employeeId}`, roles });
}

function list(query: Record<string, string | number | undefined>, roles = ['hr']) {
  return call(listEmployees, { path: '/v1/hr/employees', roles, query });
}

function patch(employeeId: string, body: unknown, roles = ['hr']) {
  return call(updateEmployee, { method: 'PATCH', path: `/v1/hr/employees/${employeeId}`, roles, sub: 'hr-1', body });
}

function complete(employeeId: string, task: string, roles = ['hr']) {
  return call(completeTask, {
    method: 'POST',
    path: `/v1/hr/employees/${employeeId}/tasks/${task}/complete`,
    roles,
    sub: 'hr-1',
  });
}

async function hired(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await hire(hireBody(overrides));
  expect(answer.status).toBe(202);
  return answer.body.employeeId;
}

const paths = (answer: { body: { errors?: { path: string }[] } }) =>
  (answer.body.errors ?? []).map((e) => e.path).sort();

describe('hiring', () => {
  it('answers 202 ONBOARDING with a Location, and the employee reads back with the four tasks not done', async () => {
    const body = hireBody({ email: ' Grace.Hopper@Example.com ' });

    const answer = await hire(body);
    const employee = await read(answer.body.employeeId);

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ employeeId: expect.stringMatching(/^emp_/), status: 'ONBOARDING' });
    expect(answer.headers.location).toBe(`/v1/hr/employees/${answer.body.employeeId}`);
    expect(employee.status).toBe(200);
    expect(employee.body).toEqual({
      employeeId: answer.body.employeeId,
      status: 'ONBOARDING',
      name: 'Ada Lovelace',
      email: 'grace.hopper@example.com',
      title: 'Engineer',
      department: body.department,
      startDate: '2026-04-01',
      annualSalaryCents: 12_000_000,
      tasks: ONBOARDING_TASKS.map((task) => ({ task, done: false })),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const events = await auditOf(answer.body.employeeId);
    expect(events.map((e) => [e.action, e.status, e.actor])).toEqual([['employee.hired', 'ONBOARDING', 'hr-1']]);
    expect(JSON.stringify(events)).not.toContain('grace.hopper');
    expect(JSON.stringify(events)).not.toContain('12000000');
  });

  it('refuses a second hire with a current employee’s email (any case) with 409, writing nothing', async () => {
    const email = freshEmail('dup');
    const department = freshDepartment();
    await hired({ email, department });

    const second = await hire(hireBody({ email: email.toUpperCase(), department }));
    const listed = await list({ department });

    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toBe('application/problem+json');
    expect(listed.body.items).toHaveLength(1);
  });

  it('takes a manager who exists, and refuses an unknown one with 400 naming managerId, writing nothing', async () => {
    const department = freshDepartment();
    const managerId = await hired({ department });

    const withManager = await hired({ department, managerId });
    const unknown = await hire(hireBody({ department, managerId: 'emp_NOPE' }));

    expect((await read(withManager)).body.managerId).toBe(managerId);
    expect(unknown.status).toBe(400);
    expect(paths(unknown)).toEqual(['managerId']);
    expect((await list({ department })).body.items).toHaveLength(2);
  });

  it('lists every bad field with 400 and writes nothing', async () => {
    const department = freshDepartment();
    await hired({ department });

    const bad = await hire({
      name: '',
      email: 'nope',
      title: 't'.repeat(201),
      department: 'A#B',
      startDate: '2026-13-01',
      annualSalaryCents: -5,
    });
    const missing = await hire({});
    const notJson = await call(hireEmployee, {
      method: 'POST',
      path: '/v1/hr/employees',
      roles: ['hr'],
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    });

    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['annualSalaryCents', 'department', 'email', 'name', 'startDate', 'title']);
    expect(paths(missing)).toEqual(['annualSalaryCents', 'department', 'email', 'name', 'startDate', 'title']);
    expect(notJson.status).toBe(400);
    expect((await list({ department })).body.items).toHaveLength(1);
  });

  it('replays the first answer for the same Idempotency-Key and body, and 422 for another body', async () => {
    const department = freshDepartment();
    const headers = { 'idempotency-key': `hire-${department}` };
    const body = hireBody({ department });

    const first = await hire(body, { headers });
    const again = await hire(body, { headers });
    const other = await hire({ ...body, title: 'Architect' }, { headers });

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(other.status).toBe(422);
    expect((await list({ department })).body.items).toHaveLength(1);
  });

  it('creates one employee for ten parallel requests with one Idempotency-Key', async () => {
    const department = freshDepartment();
    const headers = { 'idempotency-key': `parallel-${department}` };
    const body = hireBody({ department });

    const answers = await Promise.all(Array.from({ length: 10 }, () => hire(body, { headers })));

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    expect(new Set(answers.map((a) => a.body.employeeId)).size).toBe(1);
    expect((await list({ department })).body.items).toHaveLength(1);
  });

  it('is for hr (and admin) only: 403 for other roles on every route', async () => {
    const employeeId = await hired();

    const answers = await Promise.all([
      hire(hireBody(), { roles: ['accounting'] }),
      read(employeeId, ['support']),
      list({}, ['employee']),
      patch(employeeId, { title: 'CEO' }, ['ops']),
      complete(employeeId, 'accounts', ['it']),
    ]);
    const byAdmin = await read(employeeId, ['admin']);

    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.tasks.every((t: { done: boolean }) => !t.done)).toBe(true);
    expect(byAdmin.body.title).toBe('Engineer');
  });

  it('answers 404 for an unknown employee', async () => {
    expect((await read('emp_UNKNOWN')).status).toBe(404);
    expect((await patch('emp_UNKNOWN', { title: 'X' })).status).toBe(404);
    expect((await complete('emp_UNKNOWN', 'accounts')).status).toBe(404);
  });
});

describe('the employee list', () => {
  it(
    'lists by status and department with summaries, paged, ' + 'and 400 for a tampered cursor or a bad filter',
    async () => {
      const department = freshDepartment('Ops');
      const ids = [await hired({ department }), await hired({ department }), await hired({ department })];
      const otherDepartment = await hired({ department: `${department}x` });
      for (const task of ONBOARDING_TASKS) await complete(ids[2]!, task);

      const first = await list({ status: 'ONBOARDING', department, limit: 1 });
      const second = await list({ status: 'ONBOARDING', department, limit: 1, cursor: first.body.nextCursor });
      const rest = await list({ status: 'ONBOARDING', department, limit: 1, cursor: second.body.nextCursor });
      const active = await list({ status: 'ACTIVE', department });
      const anyStatus = await list({ department });
      const [payload, signature] = (first.body.nextCursor as string).split('.');
      const tampered = await list({ status: 'ONBOARDING', department, cursor: `${payload}x.${signature}` });
      const otherList = await list({ status: 'ACTIVE', department, cursor: first.body.nextCursor });
      const badFilter = await list({ status: 'RETIRED', department: 'A#B', limit: 0 });

      expect(Object.keys(first.body).sort()).toEqual(['items', 'nextCursor']);
      expect([...first.body.items, ...second.body.items].map((e: { employeeId: string }) => e.employeeId)).toEqual(
        ids.slice(0, 2),
      );
      expect(rest.body).toEqual({ items: [], nextCursor: null });
      expect(first.body.items[0]).toEqual({
        employeeId: ids[0],
        status: 'ONBOARDING',
        name: 'Ada Lovelace',
        title: 'Engineer',
        department,
        startDate: '2026-04-01',
      });
      expect(active.body.items.map((e: { employeeId: string }) => e.employeeId)).toEqual([ids[2]]);
      expect(anyStatus.body.items.map((e: { employeeId: string }) => e.employeeId)).toEqual(ids);
      expect(JSON.stringify(anyStatus.body)).not.toContain(otherDepartment);
      expect([tampered.status, otherList.status, badFilter.status]).toEqual([400, 400, 400]);
      expect(paths(badFilter)).toEqual(['query.department', 'query.limit', 'query.status']);
    },
  );
});

describe('changing an employee', () => {
  it('changes the fields given → 200, audited with the changed field names only', async () => {
    const managerId = await hired();
    const employeeId = await hired();

    const answer = await patch(employeeId, {
      title: 'Staff Engineer',
      annualSalaryCents: 15_000_000,
      managerId,
      department: 'Research',
    });
    const unchanged = await patch(employeeId, { title: 'Staff Engineer' });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      employeeId,
      title: 'Staff Engineer',
      annualSalaryCents: 15_000_000,
      managerId,
      department: 'Research',
      status: 'ONBOARDING',
    });
    expect((await read(employeeId)).body).toEqual(answer.body);
    expect(unchanged.body).toEqual(answer.body);
    const events = await auditOf(employeeId);
    expect(events.map((e) => e.action)).toEqual(['employee.hired', 'employee.updated']);
    expect(events[1]!.changes.sort()).toEqual(['annualSalaryCents', 'department', 'managerId', 'title']);
    expect(JSON.stringify(events[1])).not.toContain('15000000');
    expect(JSON.stringify(events[1])).not.toContain('Staff Engineer');
    expect(JSON.stringify(events[1])).not.toContain('Research');
    expect((await list({ status: 'ONBOARDING', department: 'Research' })).body.items).toHaveLength(1);
  });

  it('keeps both of two concurrent patches', async () => {
    const employeeId = await hired();

    const [a, b] = await Promise.all([
      patch(employeeId, { title: 'Lead' }),
      patch(employeeId, { annualSalaryCents: 20_000_000 }),
    ]);

    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await read(employeeId)).body).toMatchObject({ title: 'Lead', annualSalaryCents: 20_000_000 });
    const updates = (await auditOf(employeeId)).filter((e) => e.action === 'employee.updated');
    expect(updates.map((e) => e.changes).sort()).toEqual([['annualSalaryCents'], ['title']]);
  });

  it(
    'refuses an empty body, bad fields, an unknown manager or the employee itself ' + 'with 400, changing nothing',
    async () => {
      const employeeId = await hired();
      const before = (await read(employeeId)).body;

      const empty = await patch(employeeId, {});
      const noBody = await call(updateEmployee, {
        method: 'PATCH',
        path: `/v1/hr/employees/${employeeId}`,
        roles: ['hr'],
      });
      const bad = await patch(employeeId, { title: '', department: '#', annualSalaryCents: 1.5, managerId: '' });
      const unknownManager = await patch(employeeId, { title: 'Boss', managerId: 'emp_NOPE' });
      const self = await patch(employeeId, { managerId: employeeId });

      expect([empty.status, noBody.status, bad.status, unknownManager.status, self.status]).toEqual([
        400, 400, 400, 400, 400,
      ]);
      expect(paths(empty)).toEqual(['(root)']);
      expect(paths(bad)).toEqual(['annualSalaryCents', 'department', 'managerId', 'title']);
      expect(paths(unknownManager)).toEqual(['managerId']);
      expect(paths(self)).toEqual(['managerId']);
      expect((await read(employeeId)).body).toEqual(before);
      expect((await auditOf(employeeId)).map((e) => e.action)).toEqual(['employee.hired']);
    },
  );
});

describe('onboarding tasks', () => {
  it('are completed one by one; the last makes the employee ACTIVE, audited', async () => {
    const employeeId = await hired();

    const answers = [];
    for (const task of ONBOARDING_TASKS) answers.push(await complete(employeeId, task));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.body.status)).toEqual(['ONBOARDING', 'ONBOARDING', 'ONBOARDING', 'ACTIVE']);
    expect(answers[0]!.body.tasks.filter((t: { done: boolean }) => t.done)).toEqual([{ task: 'accounts', done: true }]);
    expect(answers[3]!.body.tasks.every((t: { done: boolean }) => t.done)).toBe(true);
    const events = await auditOf(employeeId);
    expect(events.map((e) => [e.action, e.changes, e.status])).toEqual([
      ['employee.hired', expect.any(Array), 'ONBOARDING'],
      ['employee.task_completed', ['tasks.accounts'], 'ONBOARDING'],
      ['employee.task_completed', ['tasks.equipment'], 'ONBOARDING'],
      ['employee.task_completed', ['tasks.benefits_enrollment'], 'ONBOARDING'],
      ['employee.activated', ['tasks.policy_acknowledgement', 'status'], 'ACTIVE'],
    ]);
  });

  it('change nothing when completed twice (200, same state, no second event)', async () => {
    const employeeId = await hired();

    const first = await complete(employeeId, 'equipment');
    const again = await complete(employeeId, 'equipment');

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect((await auditOf(employeeId)).map((e) => e.action)).toEqual(['employee.hired', 'employee.task_completed']);
  });

  it('are 404 for an unknown task, changing nothing', async () => {
    const employeeId = await hired();
    const before = (await read(employeeId)).body;

    const unknown = await complete(employeeId, 'parking_permit');

    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');
    expect((await read(employeeId)).body).toEqual(before);
  });

  it('keep both of two tasks completed at once', async () => {
    const employeeId = await hired();

    await Promise.all([complete(employeeId, 'accounts'), complete(employeeId, 'benefits_enrollment')]);

    const done = (await read(employeeId)).body.tasks.filter((t: { done: boolean }) => t.done);
    expect(done.map((t: { task: string }) => t.task)).toEqual(['accounts', 'benefits_enrollment']);
  });
});
