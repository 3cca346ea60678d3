import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import {
  EMPLOYEE_STATUSES,
  MANAGER_STATUSES,
  ONBOARDING_TASKS,
  type Employee,
  type EmployeeListFilter,
  type EmployeeStatus,
} from '#shared/domain/hr.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import {
  changedAttributes,
  patternReader,
  querySequencePage,
  type PageRequest,
  type TableRef,
} from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';

/** An employee as stored (`EMPLOYEE#<id>` / `EMPLOYEE`), with its status entry on gsi1. */
export const employeeItemSchema = z.object({
  entity: z.literal('employee'),
  employeeId: z.string(),
  status: z.enum(EMPLOYEE_STATUSES),
  name: z.string(),
  email: z.string(),
  title: z.string(),
  department: z.string(),
  startDate: z.string(),
  lastDay: z.string().optional(),
  annualSalaryCents: z.number().int(),
  managerId: z.string().optional(),
  tasks: z.array(z.object({ task: z.enum(ONBOARDING_TASKS), done: z.boolean() })),
  hiredBy: z.string().optional(),
  onboardingTicketId: z.string().optional(),
  terminatedBy: z.string().optional(),
  terminationRecordedAt: z.string().optional(),
  offboardingTicketId: z.string().optional(),
  terminatedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  correlationId: z.string().optional(),
});

function employeeFromItem(item: Record<string, unknown>): Employee {
  const { entity: _entity, correlationId: _correlationId, ...employee } = employeeItemSchema.parse(item);
  return employee;
}

/** The statuses of current staff: everyone not `TERMINATED`. */
const CURRENT_STATUSES: readonly EmployeeStatus[] = EMPLOYEE_STATUSES.filter((status) => status !== 'TERMINATED');

/**
 * The index entries an employee carries in its state: status, then department (gsi1); once a termination set its
 * last day, the leavers by last day (gsi3), which payroll reads.
 */
function indexEntries(employee: Employee): Record<string, string> {
  return {
    ...keys.employeeByStatus.key(employee),
    ...(employee.lastDay !== undefined
      ? keys.employeeByLastDay.key({ lastDay: employee.lastDay, employeeId: employee.employeeId })
      : {}),
  };
}

/** The stored attributes of an employee, without the undefined optional ones. */
function storedFields(employee: Employee): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({ entity: 'employee', ...employee }).filter(([, value]) => value !== undefined),
  );
}

/**
 * Employees: the record (one item, its checklist inside: four tasks never grow), its email's uniqueness item, and its
 * status entry (gsi1, sorted by department). Every change is one update conditional on the version read.
 */
export function makeEmployeeStore({ doc, tableName }: TableRef) {
  const byStatus = patternReader({ doc, tableName }, keys.employeeByStatus, employeeFromItem);
  const byLastDay = patternReader({ doc, tableName }, keys.employeeByLastDay, employeeFromItem);
  return {
    /**
     * The items hiring writes: the employee, then the uniqueness item of its email (its condition fails when a current
     * employee has the address).
     */
    newEmployeeItems(employee: Employee, correlationId: string): { employee: TransactItem; emailLookup: TransactItem } {
      return {
        employee: createPut(tableName, {
          ...keys.employee.key(employee),
          ...indexEntries(employee),
          ...storedFields(employee),
          correlationId,
        }),
        emailLookup: createPut(tableName, {
          ...keys.employeeEmail.key(employee),
          entity: 'employeeEmail',
          employeeId: employee.employeeId,
          createdAt: employee.createdAt,
        }),
      };
    },

    /**
     * The update of a change: the fields that differ and the index entry, only while the version is the one read, so
     * two concurrent changes cannot overwrite each other.
     */
    changeItem(before: Employee, after: Employee): TransactItem {
      const set = changedAttributes(storedFields(before), storedFields(after));
      return guardedUpdate(
        tableName,
        keys.employee.key(before),
        { ...set, ...indexEntries(after) },
        { version: before.version },
      );
    },

    /**
     * The condition a write naming `managerId` carries: the manager still exists and is neither `TERMINATING` nor
     * `TERMINATED`, so a manager terminated between the read and the write fails the transaction.
     */
    managerCheck(managerId: string): TransactItem {
      const statuses = Object.fromEntries(MANAGER_STATUSES.map((status, i) => [`:manager${i}`, status]));
      return {
        ConditionCheck: {
          TableName: tableName,
          Key: keys.employee.key({ employeeId: managerId }),
          ConditionExpression: `#status IN (${Object.keys(statuses).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: statuses,
        },
      };
    },

    /**
     * The release of an email's uniqueness item when its employee is `TERMINATED`, so the address can be hired
     * again; only the item that names this employee (or none: a release cannot fail on a missing item).
     */
    releaseEmailItem(employee: Employee): TransactItem {
      return {
        Delete: {
          TableName: tableName,
          Key: keys.employeeEmail.key(employee),
          ConditionExpression: 'attribute_not_exists(pk) OR employeeId = :employeeId',
          ExpressionAttributeValues: { ':employeeId': employee.employeeId },
        },
      };
    },

    /** An employee by id; `consistent` for a read a change is decided on. */
    async getEmployee(employeeId: string, consistent = false): Promise<Employee | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.employee.key({ employeeId }),
          ...(consistent ? { ConsistentRead: true } : {}),
        }),
      );
      return Item ? employeeFromItem(Item) : undefined;
    },

    /**
     * A page of employees for `?status&department`: one status partition (or each in turn, `ONBOARDING`, `ACTIVE`,
     * `TERMINATING`, `TERMINATED`, without a status), narrowed to `<department>#` by prefix when a department is
     * given; by department, then hiring order.
     */
    listEmployees(filter: EmployeeListFilter, page: PageRequest): Promise<Page<Employee>> {
      const statuses: readonly EmployeeStatus[] = filter.status ? [filter.status] : EMPLOYEE_STATUSES;
      const narrow = filter.department !== undefined ? { prefix: `${filter.department}#` } : {};
      const segments = statuses.map((status) => keys.employeeByStatus.query({ status }, narrow));
      return querySequencePage(doc, tableName, segments, page, employeeFromItem);
    },

    /**
     * Every employee in a status (gsi1): payroll reads the current staff's partitions whole; the terminations job and
     * the sweeper walk the open ones.
     */
    byStatus,

    /** Employees with a last day, by that day: `{ from: <day> }` reads the leavers since a day (payroll). */
    byLastDay,

    /**
     * Everyone who may have worked on or after `day`: the current staff (`ONBOARDING`, `ACTIVE`, `TERMINATING`
     * partitions) and the `TERMINATED` leavers whose last day is on or after `day` (the by-last-day index), each once.
     * Never a Scan: the cost follows the staff and the leavers since `day` (payroll runs, the payroll-monthly report).
     */
    async staffAndLeaversSince(day: string): Promise<Employee[]> {
      const found = new Map<string, Employee>();
      const current = CURRENT_STATUSES.map(async (status) => {
        const list: Employee[] = [];
        for await (const employee of byStatus.all({ status })) list.push(employee);
        return list;
      });
      const leavers = (async () => {
        const list: Employee[] = [];
        for await (const employee of byLastDay.all({}, { from: day })) {
          if (employee.status === 'TERMINATED') list.push(employee);
        }
        return list;
      })();
      for (const list of await Promise.all([...current, leavers])) {
        for (const employee of list) found.set(employee.employeeId, employee);
      }
      return [...found.values()];
    },
  };
}

export type EmployeeStore = ReturnType<typeof makeEmployeeStore>;
