import { describe, expect, it } from 'vitest';
import {
  ONBOARDING_TASKS,
  applyPatch,
  checkManager,
  completeTask,
  employeePatchSchema,
  hireEmployee,
  hireSchema,
  type Employee,
} from '#shared/domain/hr.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { keys } from '#shared/keys.ts';

const AT = '2026-03-02T09:00:00.000Z';
const LATER = '2026-03-02T10:00:00.000Z';

function hireBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Ada Lovelace',
    email: ' Ada@Example.com ',
    title: 'Engineer',
    department: 'Engineering',
    startDate: '2026-04-01',
    annualSalaryCents: 12_000_000,
    ...overrides,
  };
}

function hired(overrides: Partial<Employee> = {}): Employee {
  return { ...hireEmployee('emp_1', hireSchema.parse(hireBody()), AT), ...overrides };
}

function paths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.')).sort();
}

describe('hiring', () => {
  it('starts ONBOARDING at version 1 with the four checklist tasks not done, the email lower-cased', () => {
    const employee = hired();

    expect(employee).toMatchObject({ status: 'ONBOARDING', email: 'ada@example.com', version: 1, createdAt: AT });
    expect(employee.tasks).toEqual(ONBOARDING_TASKS.map((task) => ({ task, done: false })));
    expect(employee).not.toHaveProperty('managerId');
  });

  it('refuses every bad field at once', () => {
    const result = hireSchema.safeParse({
      name: '',
      email: 'not-an-email',
      title: 't'.repeat(201),
      department: 'R#D',
      startDate: '2026-02-30',
      annualSalaryCents: 10.5,
      managerId: '',
    });

    expect(paths(result)).toEqual([
      'annualSalaryCents',
      'department',
      'email',
      'managerId',
      'name',
      'startDate',
      'title',
    ]);
  });

  it('refuses a negative salary or one over the limit, and accepts the limit', () => {
    expect(hireSchema.safeParse(hireBody({ annualSalaryCents: -1 })).success).toBe(false);
    expect(hireSchema.safeParse(hireBody({ annualSalaryCents: 10_000_000_001 })).success).toBe(false);
    expect(hireSchema.safeParse(hireBody({ annualSalaryCents: 10_000_000_000 })).success).toBe(true);
  });
});

describe('managers', () => {
  it('must exist, not be terminated, and not be the employee', () => {
    const manager = hired({ employeeId: 'emp_2' });

    expect(() => checkManager('emp_2', manager, 'emp_1')).not.toThrow();
    expect(() => checkManager('emp_2', manager)).not.toThrow();
    for (const refused of [
      () => checkManager('emp_9', undefined),
      () => checkManager('emp_2', { ...manager, status: 'TERMINATED' }),
      () => checkManager('emp_1', hired(), 'emp_1'),
    ]) {
      expect(refused).toThrow(InvalidInputError);
      try {
        refused();
      } catch (error) {
        expect((error as InvalidInputError).errors.map((e) => e.path)).toEqual(['managerId']);
      }
    }
  });
});

describe('changes', () => {
  it('lists only the fields whose value differs, bumping the version', () => {
    const change = applyPatch(hired(), { title: 'Engineer', department: 'Research', annualSalaryCents: 1 }, LATER);

    expect(change.changes).toEqual(['department', 'annualSalaryCents']);
    expect(change.next).toMatchObject({ department: 'Research', annualSalaryCents: 1, version: 2, updatedAt: LATER });
    expect(change.auditAction).toBe('employee.updated');
  });

  it('change nothing when every value is the current one', () => {
    const employee = hired();
    const change = applyPatch(employee, { title: 'Engineer' }, LATER);

    expect(change.changes).toEqual([]);
    expect(change.next).toEqual(employee);
  });

  it('need at least one field, and refuse bad ones', () => {
    expect(paths(employeePatchSchema.safeParse({}))).toEqual(['']);
    expect(paths(employeePatchSchema.safeParse({ name: 'Someone' }))).toEqual(['']);
    expect(paths(employeePatchSchema.safeParse({ title: '', annualSalaryCents: 'lots', department: 'A#B' }))).toEqual([
      'annualSalaryCents',
      'department',
      'title',
    ]);
  });

  it('are refused with 409 once the employee is terminated', () => {
    expect(() => applyPatch(hired({ status: 'TERMINATED' }), { title: 'CTO' }, LATER)).toThrow(ConflictError);
  });
});

describe('onboarding tasks', () => {
  it('mark one task done and name it in the changes', () => {
    const change = completeTask(hired(), 'equipment', LATER);

    expect(change.next.tasks.filter((t) => t.done).map((t) => t.task)).toEqual(['equipment']);
    expect(change.changes).toEqual(['tasks.equipment']);
    expect(change.next.status).toBe('ONBOARDING');
    expect(change.auditAction).toBe('employee.task_completed');
  });

  it('make the employee ACTIVE with the last one', () => {
    let employee = hired();
    for (const task of ONBOARDING_TASKS.slice(0, 3)) employee = completeTask(employee, task, LATER).next;
    const last = completeTask(employee, 'policy_acknowledgement', LATER);

    expect(last.next.status).toBe('ACTIVE');
    expect(last.changes).toEqual(['tasks.policy_acknowledgement', 'status']);
    expect(last.auditAction).toBe('employee.activated');
    expect(last.next.version).toBe(5);
  });

  it('change nothing when completed again', () => {
    const done = completeTask(hired(), 'accounts', LATER).next;

    expect(completeTask(done, 'accounts', '2026-03-03T00:00:00.000Z')).toMatchObject({ next: done, changes: [] });
  });

  it('are 404 when unknown and 409 once terminated', () => {
    expect(() => completeTask(hired(), 'parking', LATER)).toThrow(NotFoundError);
    expect(() => completeTask(hired({ status: 'TERMINATED' }), 'accounts', LATER)).toThrow(ConflictError);
  });
});

describe('the employee access patterns', () => {
  it('key an employee by status, department first, so a department is a prefix', () => {
    expect(keys.employeeByStatus.key({ status: 'ACTIVE', department: 'Sales', employeeId: 'emp_1' })).toEqual({
      gsi1pk: 'EMPLOYEE#STATUS#ACTIVE',
      gsi1sk: 'Sales#emp_1',
    });
    expect(keys.employeeEmail.key({ email: 'ada@example.com' })).toEqual({
      pk: 'EMPLOYEE#EMAIL#ada@example.com',
      sk: 'EMPLOYEE_EMAIL',
    });
  });
});
