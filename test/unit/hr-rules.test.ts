import { describe, expect, it } from 'vitest';
import {
  ONBOARDING_TASKS,
  applyPatch,
  checkManager,
  completeItTasks,
  completeTask,
  completeTermination,
  employeePatchSchema,
  endOfDay,
  hireEmployee,
  hireSchema,
  hrTicketContent,
  hrTicketId,
  lastDayEnded,
  terminate,
  terminationSchema,
  ticketOwed,
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
  it('must exist, be neither terminating nor terminated, and not be the employee', () => {
    const manager = hired({ employeeId: 'emp_2' });

    expect(() => checkManager('emp_2', manager, 'emp_1')).not.toThrow();
    expect(() => checkManager('emp_2', manager)).not.toThrow();
    expect(() => checkManager('emp_2', { ...manager, status: 'ACTIVE' })).not.toThrow();
    for (const refused of [
      () => checkManager('emp_9', undefined),
      () => checkManager('emp_2', { ...manager, status: 'TERMINATED' }),
      () => checkManager('emp_2', { ...manager, status: 'TERMINATING' }),
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

describe('IT resolving the onboarding ticket', () => {
  it('completes accounts and equipment, naming only those it changed', () => {
    const change = completeItTasks(completeTask(hired(), 'equipment', AT).next, LATER);

    expect(change.changes).toEqual(['tasks.accounts']);
    expect(change.next.tasks.filter((t) => t.done).map((t) => t.task)).toEqual(['accounts', 'equipment']);
    expect(change.next).toMatchObject({ status: 'ONBOARDING', version: 3, updatedAt: LATER });
    expect(change.auditAction).toBe('employee.task_completed');
  });

  it('makes the employee ACTIVE when the other two are done', () => {
    let employee = hired();
    for (const task of ['benefits_enrollment', 'policy_acknowledgement'])
      employee = completeTask(employee, task, AT).next;
    const change = completeItTasks(employee, LATER);

    expect(change.next.status).toBe('ACTIVE');
    expect(change.changes).toEqual(['tasks.accounts', 'tasks.equipment', 'status']);
    expect(change.auditAction).toBe('employee.activated');
  });

  it('changes nothing when both were done by hand, or the employee is leaving or gone', () => {
    let byHand = hired();
    for (const task of ['accounts', 'equipment']) byHand = completeTask(byHand, task, AT).next;

    for (const employee of [byHand, hired({ status: 'TERMINATING' }), hired({ status: 'TERMINATED' })]) {
      expect(completeItTasks(employee, LATER)).toMatchObject({ next: employee, changes: [] });
    }
  });
});

describe('termination', () => {
  it('records TERMINATING with the last day, who and when, naming the fields', () => {
    const change = terminate(hired(), { lastDay: '2026-06-30' }, LATER, 'hr-2');

    expect(change.next).toMatchObject({
      status: 'TERMINATING',
      lastDay: '2026-06-30',
      terminatedBy: 'hr-2',
      terminationRecordedAt: LATER,
      version: 2,
    });
    expect(change.changes).toEqual(['status', 'lastDay', 'terminatedBy', 'terminationRecordedAt']);
    expect(change.auditAction).toBe('employee.terminating');
  });

  it('takes a last day on the start date or in the past, refuses one before the start date with 400', () => {
    expect(terminate(hired(), { lastDay: '2026-04-01' }, LATER, 'hr-2').next.lastDay).toBe('2026-04-01');
    expect(terminate(hired({ startDate: '2020-01-01' }), { lastDay: '2021-01-01' }, LATER, 'hr').next.status).toBe(
      'TERMINATING',
    );
    try {
      terminate(hired(), { lastDay: '2026-03-31' }, LATER, 'hr-2');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => e.path)).toEqual(['lastDay']);
    }
    expect(paths(terminationSchema.safeParse({ lastDay: '2026-02-29' }))).toEqual(['lastDay']);
    expect(paths(terminationSchema.safeParse({}))).toEqual(['lastDay']);
  });

  it('refuses an employee already terminating or terminated with 409', () => {
    for (const status of ['TERMINATING', 'TERMINATED'] as const) {
      expect(() => terminate(hired({ status }), { lastDay: '2026-06-30' }, LATER, 'hr')).toThrow(ConflictError);
    }
  });

  it('refuses changes and tasks of a TERMINATING employee with 409', () => {
    const leaving = terminate(hired(), { lastDay: '2026-06-30' }, LATER, 'hr').next;

    expect(() => applyPatch(leaving, { title: 'CTO' }, LATER)).toThrow(ConflictError);
    expect(() => completeTask(leaving, 'accounts', LATER)).toThrow(ConflictError);
  });

  it('ends the last day at its last millisecond, UTC: TERMINATED from the next instant on', () => {
    const leaving = terminate(hired(), { lastDay: '2026-06-30' }, LATER, 'hr').next;
    const withTicket = { ...leaving, offboardingTicketId: 'tkt_OFF1' };

    expect(endOfDay('2026-06-30')).toBe('2026-06-30T23:59:59.999Z');
    expect(lastDayEnded(leaving, '2026-06-30T23:59:59.999Z')).toBe(false);
    expect(lastDayEnded(leaving, '2026-07-01T00:00:00.000Z')).toBe(true);
    expect(completeTermination(withTicket, '2026-06-30T23:59:59.999Z')).toBeUndefined();
    expect(completeTermination(withTicket, '2026-07-01T00:00:00.000Z')).toMatchObject({
      next: { status: 'TERMINATED', terminatedAt: '2026-07-01T00:00:00.000Z' },
      changes: ['status', 'terminatedAt'],
      auditAction: 'employee.terminated',
    });
  });

  it('waits for the revoking ticket, and leaves anyone not TERMINATING alone', () => {
    const leaving = terminate(hired(), { lastDay: '2026-06-30' }, LATER, 'hr').next;

    expect(completeTermination(leaving, '2026-08-01T00:00:00.000Z')).toBeUndefined();
    expect(completeTermination({ ...hired(), lastDay: '2026-06-30' }, '2026-08-01T00:00:00.000Z')).toBeUndefined();
  });
});

describe("HR's IT tickets", () => {
  it('are owed while onboarding without one, and while leaving without the revoking one', () => {
    const leaving = terminate(hired(), { lastDay: '2026-06-30' }, LATER, 'hr').next;

    expect(ticketOwed(hired())).toBe('onboarding');
    expect(ticketOwed(hired({ onboardingTicketId: 'tkt_ONB1' }))).toBeUndefined();
    expect(ticketOwed(hired({ status: 'ACTIVE' }))).toBeUndefined();
    expect(ticketOwed(leaving)).toBe('offboarding');
    expect(ticketOwed({ ...leaving, offboardingTicketId: 'tkt_OFF1' })).toBeUndefined();
  });

  it('have ids derived from the employee, one per purpose', () => {
    expect(hrTicketId('emp_01KB', 'onboarding')).toBe('tkt_ONB01KB');
    expect(hrTicketId('emp_01KB', 'offboarding')).toBe('tkt_OFF01KB');
  });

  it('tell IT who, where and when, never the salary or the email; a revocation is due by the last day', () => {
    const employee = hired({ managerId: 'emp_9' });
    const onboarding = hrTicketContent(employee, 'onboarding');
    const offboarding = hrTicketContent({ ...employee, lastDay: '2026-06-30' }, 'offboarding');

    expect(onboarding).toMatchObject({ category: 'access', priority: 'normal' });
    expect(onboarding).not.toHaveProperty('resolutionDueBy');
    expect(onboarding.description).toContain('Start date: 2026-04-01');
    expect(onboarding.description).toContain('Manager: emp_9');
    expect(offboarding).toMatchObject({ priority: 'high', resolutionDueBy: '2026-06-30T23:59:59.999Z' });
    for (const content of [onboarding, offboarding]) {
      expect(content.subject).toContain('emp_1');
      expect(content.description).toContain('Ada Lovelace');
      expect(JSON.stringify(content)).not.toContain('12000000');
      expect(JSON.stringify(content)).not.toContain('ada@example.com');
    }
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
    expect(keys.employeeByLastDay.key({ lastDay: '2026-06-30', employeeId: 'emp_1' })).toEqual({
      gsi3pk: 'EMPLOYEE#LASTDAY',
      gsi3sk: '2026-06-30#emp_1',
    });
  });
});
