import * as z from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { emailSchema } from '#shared/domain/email.ts';

/**
 * HR's employees (docs/contract.md#hr): hiring with its onboarding checklist, changes of title, department, salary
 * and manager, and completing onboarding tasks. Everything here is pure; `#shared/services/hr.ts` reads and writes.
 */

/**
 * `ONBOARDING` until every onboarding task is done, then `ACTIVE`; `TERMINATING` from the moment a termination is
 * recorded until its last day ends, then `TERMINATED` (a scheduled job). Lists read them in this order.
 */
export const EMPLOYEE_STATUSES = ['ONBOARDING', 'ACTIVE', 'TERMINATING', 'TERMINATED'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

/** The onboarding checklist every hire starts with, in the order it is shown. */
export const ONBOARDING_TASKS = ['accounts', 'equipment', 'benefits_enrollment', 'policy_acknowledgement'] as const;
export type OnboardingTask = (typeof ONBOARDING_TASKS)[number];

/** Statuses in which an employee's record may still change: a termination recorded closes it (409 on a change). */
const CHANGEABLE: readonly EmployeeStatus[] = ['ONBOARDING', 'ACTIVE'];

/**
 * Statuses a manager may be in when named (hire, PATCH): not `TERMINATING` nor `TERMINATED`, since a new report
 * should not be given to someone who is leaving (docs/decisions.md#hr).
 */
export const MANAGER_STATUSES: readonly EmployeeStatus[] = ['ONBOARDING', 'ACTIVE'];

/** The checklist tasks IT does: resolving the onboarding ticket completes them. */
export const IT_TASKS: readonly OnboardingTask[] = ['accounts', 'equipment'];

/** Highest annual salary accepted, in cents: a payroll product of it stays far inside `Number.MAX_SAFE_INTEGER`. */
export const MAX_ANNUAL_SALARY_CENTS = 10_000_000_000;

export interface TaskState {
  task: OnboardingTask;
  done: boolean;
}

export interface Employee {
  employeeId: string;
  status: EmployeeStatus;
  name: string;
  /** Lower-cased and trimmed; unique among staff not `TERMINATED`. */
  email: string;
  title: string;
  department: string;
  /** `YYYY-MM-DD`. */
  startDate: string;
  lastDay?: string | undefined;
  annualSalaryCents: number;
  managerId?: string | undefined;
  tasks: TaskState[];
  /** The token `sub` of the HR user who hired: the requester of the onboarding ticket. */
  hiredBy?: string | undefined;
  /** The IT ticket for accounts and equipment, once opened (the `hr` queue's processor). */
  onboardingTicketId?: string | undefined;
  /** The token `sub` of the HR user who recorded the termination: the requester of the revoking ticket. */
  terminatedBy?: string | undefined;
  /** When the termination was recorded (the sweeper re-queues a revoking ticket still missing 5 minutes later). */
  terminationRecordedAt?: string | undefined;
  /** The IT ticket revoking access, once opened. */
  offboardingTicketId?: string | undefined;
  /** When the `hr-terminations` job made the employee `TERMINATED`. */
  terminatedAt?: string | undefined;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The fields a PATCH may change. */
export const CHANGEABLE_FIELDS = ['title', 'department', 'annualSalaryCents', 'managerId'] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

// ------------------------------------------------------------------------------------------------ input schemas

const text = (max: number) => z.string().trim().min(1).max(max);

/** A department: 1–100 characters without `#` (it is the prefix a list narrows by, ending at `#`). */
export const departmentSchema = text(100).refine((value) => !value.includes('#'), 'Must not contain #');

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar day `YYYY-MM-DD`. */
export const calendarDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date YYYY-MM-DD')
  .refine(isCalendarDay, 'Must be a date that exists');

const salarySchema = z.number().int().min(0).max(MAX_ANNUAL_SALARY_CENTS);
const employeeIdSchema = text(64);

/** `POST /v1/hr/employees` (docs/contract.md#hr). */
export const hireSchema = z.object({
  name: text(200),
  email: emailSchema,
  title: text(200),
  department: departmentSchema,
  startDate: calendarDaySchema,
  annualSalaryCents: salarySchema,
  managerId: employeeIdSchema.optional(),
});
export type HireInput = z.infer<typeof hireSchema>;

/** `PATCH /v1/hr/employees/{employeeId}`: any of the changeable fields, at least one. */
export const employeePatchSchema = z
  .object({
    title: text(200).optional(),
    department: departmentSchema.optional(),
    annualSalaryCents: salarySchema.optional(),
    managerId: employeeIdSchema.optional(),
  })
  .refine((patch) => CHANGEABLE_FIELDS.some((field) => patch[field] !== undefined), {
    message: `Give at least one of ${CHANGEABLE_FIELDS.join(', ')}`,
  });
export type EmployeePatch = z.infer<typeof employeePatchSchema>;

/** `POST /v1/hr/employees/{employeeId}/terminate`. */
export const terminationSchema = z.object({ lastDay: calendarDaySchema });
export type TerminationInput = z.infer<typeof terminationSchema>;

// ------------------------------------------------------------------------------------------------ rules

/** A change of an employee: the record after it, the names of the fields it changed, and what to audit it as. */
export interface EmployeeChange {
  next: Employee;
  /** Field names only, never values (docs/contract.md#audit-events). */
  changes: string[];
  auditAction: string;
}

/** A new hire: `ONBOARDING`, every checklist task not done, version 1; `hiredBy` is the HR user's token `sub`. */
export function hireEmployee(employeeId: string, input: HireInput, at: string, hiredBy?: string): Employee {
  return {
    employeeId,
    status: 'ONBOARDING',
    name: input.name,
    email: input.email,
    title: input.title,
    department: input.department,
    startDate: input.startDate,
    annualSalaryCents: input.annualSalaryCents,
    ...(input.managerId !== undefined ? { managerId: input.managerId } : {}),
    tasks: ONBOARDING_TASKS.map((task) => ({ task, done: false })),
    ...(hiredBy !== undefined ? { hiredBy } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The fields a hire sets, for its audit event. */
export function hiredFields(employee: Employee): string[] {
  const fields = ['status', 'name', 'email', 'title', 'department', 'startDate', 'annualSalaryCents', 'tasks'];
  if (employee.hiredBy !== undefined) fields.push('hiredBy');
  return employee.managerId !== undefined ? [...fields, 'managerId'] : fields;
}

/** Refuses a change of an employee whose record is closed (`TERMINATED`): 409. */
export function assertChangeable(employee: Employee): void {
  if (!CHANGEABLE.includes(employee.status)) {
    throw new ConflictError(`An employee who is ${employee.status} cannot be changed.`);
  }
}

/**
 * A manager must be an employee who exists and is neither `TERMINATING` nor `TERMINATED`, and not the employee
 * themself: else 400 naming `managerId` (docs/decisions.md#hr). `manager` is what was read for `managerId`
 * (undefined: no such employee). The write re-checks the manager's status in its transaction.
 */
export function checkManager(managerId: string, manager: Employee | undefined, employeeId?: string): void {
  if (employeeId !== undefined && managerId === employeeId) {
    throw new InvalidInputError('An employee cannot be their own manager.', [
      { path: 'managerId', message: 'Must name another employee' },
    ]);
  }
  if (!manager || !MANAGER_STATUSES.includes(manager.status)) throw managerRefused();
}

/** The 400 naming `managerId` for a manager who does not exist or is leaving or gone. */
export function managerRefused(): InvalidInputError {
  return new InvalidInputError('The manager is not a current employee.', [
    { path: 'managerId', message: 'Must name an existing employee who is neither terminating nor terminated' },
  ]);
}

/**
 * A PATCH applied: only the fields whose value differs are changed (and listed); none differing means no change
 * (nothing to write, nothing to audit).
 */
export function applyPatch(employee: Employee, patch: EmployeePatch, at: string): EmployeeChange {
  assertChangeable(employee);
  const next: Employee = { ...employee };
  const changes: string[] = [];
  for (const field of CHANGEABLE_FIELDS) {
    const value = patch[field];
    if (value !== undefined && value !== employee[field]) {
      (next as unknown as Record<string, unknown>)[field] = value;
      changes.push(field);
    }
  }
  if (changes.length > 0) {
    next.updatedAt = at;
    next.version = employee.version + 1;
  }
  return { next, changes, auditAction: 'employee.updated' };
}

/** True when `task` names a checklist task. */
export function isOnboardingTask(task: string): task is OnboardingTask {
  return (ONBOARDING_TASKS as readonly string[]).includes(task);
}

/**
 * Completing a checklist task: unknown task → 404; a closed record → 409; a task already done → no change (the same
 * state answers again). The last task done makes an `ONBOARDING` employee `ACTIVE`.
 */
export function completeTask(employee: Employee, task: string, at: string): EmployeeChange {
  if (!isOnboardingTask(task)) throw new NotFoundError(`There is no onboarding task ${task}.`);
  assertChangeable(employee);
  const current = employee.tasks.find((state) => state.task === task);
  if (current?.done) return { next: employee, changes: [], auditAction: 'employee.task_completed' };
  const tasks = ONBOARDING_TASKS.map((name) => ({
    task: name,
    done: name === task || (employee.tasks.find((state) => state.task === name)?.done ?? false),
  }));
  const activates = employee.status === 'ONBOARDING' && tasks.every((state) => state.done);
  return {
    next: {
      ...employee,
      tasks,
      ...(activates ? { status: 'ACTIVE' as const } : {}),
      updatedAt: at,
      version: employee.version + 1,
    },
    changes: activates ? [`tasks.${task}`, 'status'] : [`tasks.${task}`],
    auditAction: activates ? 'employee.activated' : 'employee.task_completed',
  };
}

/**
 * IT resolved the onboarding ticket: `accounts` and `equipment` are done (those not done already), and the employee
 * becomes `ACTIVE` when the other two are done too. No change for an employee who is no longer `ONBOARDING` or
 * `ACTIVE` (the ticket still resolves), nor when both tasks were done by hand.
 */
export function completeItTasks(employee: Employee, at: string): EmployeeChange {
  const none: EmployeeChange = { next: employee, changes: [], auditAction: 'employee.task_completed' };
  if (!CHANGEABLE.includes(employee.status)) return none;
  const doneBefore = (task: OnboardingTask) => employee.tasks.find((state) => state.task === task)?.done ?? false;
  const newlyDone = IT_TASKS.filter((task) => !doneBefore(task));
  if (newlyDone.length === 0) return none;
  const tasks = ONBOARDING_TASKS.map((task) => ({ task, done: doneBefore(task) || IT_TASKS.includes(task) }));
  const activates = employee.status === 'ONBOARDING' && tasks.every((state) => state.done);
  const changes = newlyDone.map((task) => `tasks.${task}`);
  return {
    next: {
      ...employee,
      tasks,
      ...(activates ? { status: 'ACTIVE' as const } : {}),
      updatedAt: at,
      version: employee.version + 1,
    },
    changes: activates ? [...changes, 'status'] : changes,
    auditAction: activates ? 'employee.activated' : 'employee.task_completed',
  };
}

/**
 * Recording a termination (docs/contract.md#hr): an employee `ONBOARDING` or `ACTIVE` becomes `TERMINATING` with
 * `lastDay`. Already `TERMINATING` or `TERMINATED` → 409; a last day before the start date → 400 naming `lastDay`. A
 * last day in the past is allowed: terminations are often recorded late (docs/decisions.md#hr).
 */
export function terminate(employee: Employee, input: TerminationInput, at: string, actor: string): EmployeeChange {
  if (employee.status === 'TERMINATING' || employee.status === 'TERMINATED') {
    throw new ConflictError(`An employee who is ${employee.status} cannot be terminated again.`);
  }
  assertChangeable(employee);
  if (input.lastDay < employee.startDate) {
    throw new InvalidInputError('The last day is before the start date.', [
      { path: 'lastDay', message: 'Must be on or after the start date' },
    ]);
  }
  return {
    next: {
      ...employee,
      status: 'TERMINATING',
      lastDay: input.lastDay,
      terminatedBy: actor,
      terminationRecordedAt: at,
      updatedAt: at,
      version: employee.version + 1,
    },
    changes: ['status', 'lastDay', 'terminatedBy', 'terminationRecordedAt'],
    auditAction: 'employee.terminating',
  };
}

/** The instant a last day ends (its last millisecond, UTC, as the contract reads a bare date's end). */
export function endOfDay(day: string): string {
  return `${day}T23:59:59.999Z`;
}

/** Whether a `TERMINATING` employee's last day has ended at `now` (the day after it has begun, UTC). */
export function lastDayEnded(employee: Employee, now: string): boolean {
  return employee.status === 'TERMINATING' && employee.lastDay !== undefined && endOfDay(employee.lastDay) < now;
}

/**
 * The `hr-terminations` job's change: `TERMINATED` once the last day has ended and the revoking ticket is open
 * (until then the employee waits: the sweeper opens the ticket first). Undefined: nothing to do.
 */
export function completeTermination(employee: Employee, now: string): EmployeeChange | undefined {
  if (!lastDayEnded(employee, now) || employee.offboardingTicketId === undefined) return undefined;
  return {
    next: { ...employee, status: 'TERMINATED', terminatedAt: now, updatedAt: now, version: employee.version + 1 },
    changes: ['status', 'terminatedAt'],
    auditAction: 'employee.terminated',
  };
}

/** Which IT ticket an employee is owed: accounts and equipment on hiring, revoking access on termination. */
export type HrTicketPurpose = 'onboarding' | 'offboarding';

/**
 * The ticket an employee is owed and has not got yet: the onboarding ticket while `ONBOARDING`, the revoking one
 * while `TERMINATING` (or `TERMINATED`, which the job only does once it exists). Undefined: none owed.
 */
export function ticketOwed(employee: Employee): HrTicketPurpose | undefined {
  if (employee.status === 'ONBOARDING' && employee.onboardingTicketId === undefined) return 'onboarding';
  if ((employee.status === 'TERMINATING' || employee.status === 'TERMINATED') && !employee.offboardingTicketId) {
    return 'offboarding';
  }
  return undefined;
}

/**
 * The id of an employee's onboarding or revoking ticket, derived from the employee's, so that however often the
 * message is delivered only one ticket can be created (its put is conditional on the id being new).
 */
export function hrTicketId(employeeId: string, purpose: HrTicketPurpose): string {
  const body = employeeId.replace(/^emp_/, '');
  return `tkt_${purpose === 'onboarding' ? 'ONB' : 'OFF'}${body}`;
}

/** What IT is told: category, priority, subject and description, and the fixed deadline of a revocation. */
export interface HrTicketContent {
  category: 'access';
  priority: 'normal' | 'high';
  subject: string;
  description: string;
  /** A revocation is due by the end of the last day, whatever its priority would give. */
  resolutionDueBy?: string;
}

/**
 * The ticket IT works from: who (id, name), where (title, department, manager) and when (start date, or last day).
 * Never the salary, nor the personal email: IT creates the work account; HR's record has the rest.
 */
export function hrTicketContent(employee: Employee, purpose: HrTicketPurpose): HrTicketContent {
  const who = [
    `Employee: ${employee.employeeId} (${employee.name})`,
    `Title: ${employee.title}`,
    `Department: ${employee.department}`,
    ...(employee.managerId !== undefined ? [`Manager: ${employee.managerId}`] : []),
  ];
  if (purpose === 'onboarding') {
    return {
      category: 'access',
      priority: 'normal',
      subject: `Onboarding: accounts and equipment for ${employee.employeeId}`,
      description: [
        'Set up the accounts and equipment of a new hire. Resolving this ticket completes the accounts and',
        'equipment tasks of their onboarding checklist.',
        ...who,
        `Start date: ${employee.startDate}`,
      ].join('\n'),
    };
  }
  return {
    category: 'access',
    priority: 'high',
    subject: `Offboarding: revoke access of ${employee.employeeId}`,
    description: [
      'Revoke every account and access of a leaver, and collect their equipment, by the end of their last day (UTC).',
      ...who,
      `Last day: ${employee.lastDay}`,
    ].join('\n'),
    resolutionDueBy: endOfDay(employee.lastDay!),
  };
}

/** Filters of the employee list. */
export interface EmployeeListFilter {
  status?: EmployeeStatus | undefined;
  department?: string | undefined;
}
