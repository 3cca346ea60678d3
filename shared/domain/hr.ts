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

/** Statuses in which an employee's record may still change (termination will refuse the rest with 409). */
const CHANGEABLE: readonly EmployeeStatus[] = ['ONBOARDING', 'ACTIVE'];

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

// ------------------------------------------------------------------------------------------------ rules

/** A change of an employee: the record after it, the names of the fields it changed, and what to audit it as. */
export interface EmployeeChange {
  next: Employee;
  /** Field names only, never values (docs/contract.md#audit-events). */
  changes: string[];
  auditAction: string;
}

/** A new hire: `ONBOARDING`, every checklist task not done, version 1. */
export function hireEmployee(employeeId: string, input: HireInput, at: string): Employee {
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
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The fields a hire sets, for its audit event. */
export function hiredFields(employee: Employee): string[] {
  const fields = ['status', 'name', 'email', 'title', 'department', 'startDate', 'annualSalaryCents', 'tasks'];
  return employee.managerId !== undefined ? [...fields, 'managerId'] : fields;
}

/** Refuses a change of an employee whose record is closed (`TERMINATED`): 409. */
export function assertChangeable(employee: Employee): void {
  if (!CHANGEABLE.includes(employee.status)) {
    throw new ConflictError(`An employee who is ${employee.status} cannot be changed.`);
  }
}

/**
 * A manager must be an employee who exists and is not `TERMINATED`, and not the employee themself: else 400 naming
 * `managerId` (docs/decisions.md#hr). `manager` is what was read for `managerId` (undefined: no such employee).
 */
export function checkManager(managerId: string, manager: Employee | undefined, employeeId?: string): void {
  if (employeeId !== undefined && managerId === employeeId) {
    throw new InvalidInputError('An employee cannot be their own manager.', [
      { path: 'managerId', message: 'Must name another employee' },
    ]);
  }
  if (!manager || manager.status === 'TERMINATED') {
    throw new InvalidInputError('The manager is not a current employee.', [
      { path: 'managerId', message: 'Must name an existing employee who is not terminated' },
    ]);
  }
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

/** Filters of the employee list. */
export interface EmployeeListFilter {
  status?: EmployeeStatus | undefined;
  department?: string | undefined;
}
