import * as z from 'zod';
import { EMPLOYEE_STATUSES, departmentSchema, type Employee, type EmployeeListFilter } from '#shared/domain/hr.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';

/** `{employeeId}` of the employee routes. */
export const employeePathSchema = z.object({ employeeId: z.string().min(1).max(64) });

/** `{employeeId}` and `{task}` of `POST /v1/hr/employees/{employeeId}/tasks/{task}/complete`. */
export const employeeTaskPathSchema = employeePathSchema.extend({ task: z.string().min(1).max(64) });

/** `?status&department&limit&cursor` of `GET /v1/hr/employees`. */
export const employeeListQuerySchema = z
  .object({
    status: z.enum(EMPLOYEE_STATUSES).optional(),
    department: departmentSchema.optional(),
  })
  .extend(pageQuerySchema.shape) satisfies z.ZodType<EmployeeListFilter>;

/**
 * `GET /v1/hr/employees/{employeeId}` (README, Routes), also what a PATCH, a task completion and a termination
 * answer: the whole record with its checklist, salary and personal data (the routes are `hr` only), and the IT
 * tickets opened for it, so HR can follow them.
 */
export function employeeView(employee: Employee) {
  return {
    employeeId: employee.employeeId,
    status: employee.status,
    name: employee.name,
    email: employee.email,
    title: employee.title,
    department: employee.department,
    startDate: employee.startDate,
    ...(employee.lastDay !== undefined ? { lastDay: employee.lastDay } : {}),
    annualSalaryCents: employee.annualSalaryCents,
    ...(employee.managerId !== undefined ? { managerId: employee.managerId } : {}),
    tasks: employee.tasks.map(({ task, done }) => ({ task, done })),
    ...(employee.onboardingTicketId !== undefined ? { onboardingTicketId: employee.onboardingTicketId } : {}),
    ...(employee.offboardingTicketId !== undefined ? { offboardingTicketId: employee.offboardingTicketId } : {}),
    createdAt: employee.createdAt,
    updatedAt: employee.updatedAt,
  };
}

/** An entry of `GET /v1/hr/employees`: who, in which role and department, since when; no salary, no email. */
export function employeeSummaryView(employee: Employee) {
  return {
    employeeId: employee.employeeId,
    status: employee.status,
    name: employee.name,
    title: employee.title,
    department: employee.department,
    startDate: employee.startDate,
    ...(employee.managerId !== undefined ? { managerId: employee.managerId } : {}),
  };
}
