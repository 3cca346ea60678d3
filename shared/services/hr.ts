import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  applyPatch,
  checkManager,
  completeTask,
  hireEmployee,
  hiredFields,
  type Employee,
  type EmployeeChange,
  type EmployeeListFilter,
  type EmployeePatch,
  type HireInput,
} from '#shared/domain/hr.ts';
import { makeEmployeeStore } from '#shared/data/employees.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import type { PageRequest } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';
import {
  TransactionConditionError,
  transactWrite,
  withConcurrencyRetry,
  type TransactItem,
} from '#shared/data/transact.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';

export interface HiredEmployee {
  employeeId: string;
  status: 'ONBOARDING';
}

/**
 * HR's employees (docs/contract.md#hr): hiring writes the employee with its onboarding checklist, its email's
 * uniqueness item, its audit event and the idempotency record in one transaction; a change (PATCH, a task completed)
 * is one transaction of the update, conditional on the version read, and its audit event, retried on a lost race so
 * concurrent changes never lose each other's fields.
 */
export function makeHrService({ doc, tableName, now = () => new Date() }: ServiceDeps) {
  const store = makeEmployeeStore({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  async function requireManager(managerId: string, employeeId?: string): Promise<void> {
    const manager = managerId === employeeId ? undefined : await store.getEmployee(managerId);
    checkManager(managerId, manager, employeeId);
  }

  /** Hires: `ONBOARDING` with every task not done. A current employee with the same email → 409, nothing written. */
  async function hire(
    input: HireInput,
    context: { actor: string; correlationId: string; remember?: Remember<HiredEmployee> | undefined },
  ): Promise<HiredEmployee> {
    const employeeId = newId('employee');
    const result: HiredEmployee = { employeeId, status: 'ONBOARDING' };
    if (input.managerId !== undefined) await requireManager(input.managerId);
    await withConcurrencyRetry(async () => {
      const at = now().toISOString();
      const employee = hireEmployee(employeeId, input, at);
      const created = store.newEmployeeItems(employee, context.correlationId);
      const tx: TransactItem[] = [
        created.employee,
        created.emailLookup,
        audit.eventItem({
          actor: context.actor,
          action: 'employee.hired',
          entityType: 'employee',
          entityId: employeeId,
          at,
          status: employee.status,
          changes: hiredFields(employee),
        }),
      ];
      const rememberIndex = withRemember(tx, context.remember, result);
      try {
        await transactWrite(doc, tx);
      } catch (error) {
        if (error instanceof TransactionConditionError) {
          // A request with the same Idempotency-Key won: the HTTP stack replays its answer.
          if (rememberIndex !== undefined && error.failedIndexes.includes(rememberIndex)) throw error;
          // The message names no address: refusals are logged, and an email is personal data.
          if (error.failedIndexes.includes(1)) throw new ConflictError('A current employee already has this email.');
        }
        throw error;
      }
    });
    return result;
  }

  /** An employee; `NotFoundError` when there is none. */
  async function get(employeeId: string, consistent = false): Promise<Employee> {
    const employee = await store.getEmployee(employeeId, consistent);
    if (!employee) throw new NotFoundError(`Employee ${employeeId} was not found.`);
    return employee;
  }

  /** Writes a change with its audit event; a failed version condition is a `ConcurrencyError` to retry on. */
  async function write(before: Employee, change: EmployeeChange, actor: string): Promise<void> {
    const event = audit.eventItem({
      actor,
      action: change.auditAction,
      entityType: 'employee',
      entityId: before.employeeId,
      at: change.next.updatedAt,
      changes: change.changes,
      status: change.next.status,
    });
    await writeOrRetry(doc, [store.changeItem(before, change.next), event], undefined);
  }

  /**
   * A change decided on a consistent read and written conditional on its version; on a lost race the change is
   * re-decided on the fresh record. A change that changes nothing writes nothing.
   */
  function change(employeeId: string, actor: string, decide: (before: Employee) => Promise<EmployeeChange>) {
    return withConcurrencyRetry(async () => {
      const before = await get(employeeId, true);
      const decided = await decide(before);
      if (decided.changes.length === 0) return before;
      await write(before, decided, actor);
      return decided.next;
    });
  }

  /** PATCH: title, department, salary, manager; the audit event names the fields changed, never their values. */
  function update(employeeId: string, patch: EmployeePatch, actor: string): Promise<Employee> {
    return change(employeeId, actor, async (before) => {
      const decided = applyPatch(before, patch, now().toISOString());
      if (decided.changes.includes('managerId')) await requireManager(patch.managerId!, employeeId);
      return decided;
    });
  }

  /** Completes one onboarding task (again: no change); the last one makes the employee `ACTIVE`. */
  function completeOnboardingTask(employeeId: string, task: string, actor: string): Promise<Employee> {
    return change(employeeId, actor, async (before) => completeTask(before, task, now().toISOString()));
  }

  return {
    hire,
    get,
    list: (filter: EmployeeListFilter, page: PageRequest): Promise<Page<Employee>> => store.listEmployees(filter, page),
    update,
    completeTask: completeOnboardingTask,
  };
}

export type HrService = ReturnType<typeof makeHrService>;
