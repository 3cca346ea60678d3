import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  applyPatch,
  checkManager,
  completeTask,
  completeTermination,
  hireEmployee,
  hiredFields,
  hrTicketContent,
  hrTicketId,
  lastDayEnded,
  managerRefused,
  terminate,
  ticketOwed,
  type Employee,
  type EmployeeChange,
  type EmployeeListFilter,
  type EmployeePatch,
  type HireInput,
  type HrTicketPurpose,
  type TerminationInput,
} from '#shared/domain/hr.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '#shared/domain/desk.ts';
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
import { makeDeskService } from '#shared/services/desk.ts';
import { logger } from '#shared/platform/observability.ts';

export interface HiredEmployee {
  employeeId: string;
  status: 'ONBOARDING';
}

/** What handling an `employee.hired` or `employee.terminating` message did. */
export interface HrTicketOutcome {
  employeeId: string;
  purpose: HrTicketPurpose;
  /**
   * `opened`: the ticket was created now (to be queued for triage); `exists`: an earlier delivery opened it;
   * `not_owed`: the employee is in no state to need it; `missing`: no such employee.
   */
  outcome: 'opened' | 'exists' | 'not_owed' | 'missing';
  ticketId?: string;
}

/** An employee whose IT ticket is still missing, for the sweeper to queue its message again. */
export interface OwedTicket {
  employeeId: string;
  purpose: HrTicketPurpose;
}

/** What one `hr-terminations` run did. */
export interface TerminationsOutcome {
  /** `TERMINATING` employees whose last day has ended. */
  due: number;
  terminated: number;
  /** Due but waiting for their revoking ticket to be opened (the sweeper re-queues it); the next run goes on. */
  waiting: number;
  failed: number;
}

/**
 * HR's employees (docs/contract.md#hr): hiring writes the employee with its onboarding checklist, its email's
 * uniqueness item, its audit event and the idempotency record in one transaction; a change (PATCH, a task completed)
 * is one transaction of the update, conditional on the version read, and its audit event, retried on a lost race so
 * concurrent changes never lose each other's fields.
 */
export function makeHrService({
  doc,
  tableName,
  now = () => new Date(),
  policy = DEFAULT_SLA_POLICY,
}: ServiceDeps & { policy?: SlaPolicy }) {
  const store = makeEmployeeStore({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });
  const desk = makeDeskService({ doc, tableName, now, policy });

  async function requireManager(managerId: string, employeeId?: string): Promise<void> {
    const manager = managerId === employeeId ? undefined : await store.getEmployee(managerId);
    checkManager(managerId, manager, employeeId);
  }

  /**
   * Hires: `ONBOARDING` with every task not done, `hiredBy` the caller. A current employee with the same email → 409,
   * nothing written; a manager who is not (or, by the write, no longer) a current employee → 400 naming `managerId`.
   */
  async function hire(
    input: HireInput,
    context: { actor: string; correlationId: string; remember?: Remember<HiredEmployee> | undefined },
  ): Promise<HiredEmployee> {
    const employeeId = newId('employee');
    const result: HiredEmployee = { employeeId, status: 'ONBOARDING' };
    if (input.managerId !== undefined) await requireManager(input.managerId);
    await withConcurrencyRetry(async () => {
      const at = now().toISOString();
      const employee = hireEmployee(employeeId, input, at, context.actor);
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
      const managerIndex = input.managerId !== undefined ? tx.push(store.managerCheck(input.managerId)) - 1 : undefined;
      const rememberIndex = withRemember(tx, context.remember, result);
      try {
        await transactWrite(doc, tx);
      } catch (error) {
        if (error instanceof TransactionConditionError) {
          // A request with the same Idempotency-Key won: the HTTP stack replays its answer.
          if (rememberIndex !== undefined && error.failedIndexes.includes(rememberIndex)) throw error;
          // The message names no address: refusals are logged, and an email is personal data.
          if (error.failedIndexes.includes(1)) throw new ConflictError('A current employee already has this email.');
          // The manager was terminated between the read and the write.
          if (managerIndex !== undefined && error.failedIndexes.includes(managerIndex)) throw managerRefused();
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

  /**
   * Writes a change with its audit event (and `extra` items: a manager's condition check); a failed condition is a
   * `ConcurrencyError` to retry on, re-deciding on what is read again.
   */
  async function write(before: Employee, change: EmployeeChange, actor: string, extra: TransactItem[] = []) {
    const event = audit.eventItem({
      actor,
      action: change.auditAction,
      entityType: 'employee',
      entityId: before.employeeId,
      at: change.next.updatedAt,
      changes: change.changes,
      status: change.next.status,
    });
    await writeOrRetry(doc, [store.changeItem(before, change.next), event, ...extra], undefined);
  }

  /**
   * A change decided on a consistent read and written conditional on its version; on a lost race the change is
   * re-decided on the fresh record. A change that changes nothing writes nothing.
   */
  function change(
    employeeId: string,
    actor: string,
    decide: (before: Employee) => Promise<EmployeeChange>,
    extra: (decided: EmployeeChange) => TransactItem[] = () => [],
  ) {
    return withConcurrencyRetry(async () => {
      const before = await get(employeeId, true);
      const decided = await decide(before);
      if (decided.changes.length === 0) return before;
      await write(before, decided, actor, extra(decided));
      return decided.next;
    });
  }

  /**
   * PATCH: title, department, salary, manager; the audit event names the fields changed, never their values. A new
   * manager is checked on the read and again in the write's transaction.
   */
  function update(employeeId: string, patch: EmployeePatch, actor: string): Promise<Employee> {
    return change(
      employeeId,
      actor,
      async (before) => {
        const decided = applyPatch(before, patch, now().toISOString());
        if (decided.changes.includes('managerId')) await requireManager(patch.managerId!, employeeId);
        return decided;
      },
      (decided) => (decided.changes.includes('managerId') ? [store.managerCheck(patch.managerId!)] : []),
    );
  }

  /**
   * Records a termination: `TERMINATING` with `lastDay` and its entry on the by-last-day index, audited
   * (`employee.terminating`). Already terminating or terminated → 409; a last day before the start date → 400.
   * Queueing the revoking ticket is the caller's step, after this commits.
   */
  function terminateEmployee(employeeId: string, input: TerminationInput, actor: string): Promise<Employee> {
    return change(employeeId, actor, async (before) => terminate(before, input, now().toISOString(), actor));
  }

  /**
   * Opens the IT ticket an employee is owed (the `hr` queue's processor): one ticket, whatever the redeliveries. Its
   * id is derived from the employee's and it is created (conditional on being new) in one transaction with the
   * employee recording it (conditional on the version read); a second delivery finds it recorded and does nothing,
   * and two at once cannot both win. An employee who no longer needs it (hired then terminated before the ticket,
   * say) gets none.
   */
  function openTicket(
    employeeId: string,
    purpose: HrTicketPurpose,
    context: { actor: string; correlationId: string },
  ): Promise<HrTicketOutcome> {
    const field = purpose === 'onboarding' ? 'onboardingTicketId' : 'offboardingTicketId';
    return withConcurrencyRetry(async (): Promise<HrTicketOutcome> => {
      const employee = await store.getEmployee(employeeId, true);
      if (!employee) return { employeeId, purpose, outcome: 'missing' };
      if (employee[field] !== undefined) return { employeeId, purpose, outcome: 'exists', ticketId: employee[field] };
      if (ticketOwed(employee) !== purpose) return { employeeId, purpose, outcome: 'not_owed' };
      const at = now().toISOString();
      const ticketId = hrTicketId(employeeId, purpose);
      const next: Employee = { ...employee, [field]: ticketId, updatedAt: at, version: employee.version + 1 };
      const requester = (purpose === 'onboarding' ? employee.hiredBy : employee.terminatedBy) ?? context.actor;
      await writeOrRetry(
        doc,
        [
          ...desk.hrTicketItems({
            ticketId,
            employeeId,
            purpose,
            content: hrTicketContent(employee, purpose),
            requester,
            actor: context.actor,
            at,
            correlationId: context.correlationId,
          }),
          store.changeItem(employee, next),
          audit.eventItem({
            actor: context.actor,
            action: `employee.${purpose}_ticket_opened`,
            entityType: 'employee',
            entityId: employeeId,
            at,
            changes: [field],
            status: employee.status,
            related: [{ entityType: 'ticket', entityId: ticketId }],
          }),
        ],
        undefined,
      );
      return { employeeId, purpose, outcome: 'opened', ticketId };
    });
  }

  /**
   * Employees whose IT ticket is still missing `cutoff` after it was owed (hired, or termination recorded): the
   * `ONBOARDING` and `TERMINATING` status partitions only, so the cost follows the open onboardings and pending
   * terminations, never the staff.
   */
  async function owedTickets(cutoff: string): Promise<OwedTicket[]> {
    const owed: OwedTicket[] = [];
    for await (const employee of store.byStatus.all({ status: 'ONBOARDING' })) {
      if (ticketOwed(employee) === 'onboarding' && employee.createdAt < cutoff) {
        owed.push({ employeeId: employee.employeeId, purpose: 'onboarding' });
      }
    }
    for await (const employee of store.byStatus.all({ status: 'TERMINATING' })) {
      const since = employee.terminationRecordedAt ?? employee.updatedAt;
      if (ticketOwed(employee) === 'offboarding' && since < cutoff) {
        owed.push({ employeeId: employee.employeeId, purpose: 'offboarding' });
      }
    }
    return owed;
  }

  /**
   * One `hr-terminations` run at `at`: every `TERMINATING` employee whose last day has ended becomes `TERMINATED`,
   * audited, and their email's uniqueness item is deleted in the same transaction, so the address can be hired again.
   * Reads the `TERMINATING` partition only. An employee still waiting for the revoking ticket is left for the next
   * run. One that fails is logged and the others still run; the run then throws, to be seen and retried.
   */
  async function runTerminations(at: Date, actor: string): Promise<TerminationsOutcome> {
    const nowIso = at.toISOString();
    const due: Employee[] = [];
    for await (const employee of store.byStatus.all({ status: 'TERMINATING' })) {
      if (lastDayEnded(employee, nowIso)) due.push(employee);
    }
    const outcome: TerminationsOutcome = { due: due.length, terminated: 0, waiting: 0, failed: 0 };
    let firstError: unknown;
    for (const indexed of due) {
      try {
        const done = await withConcurrencyRetry(async () => {
          const employee = await store.getEmployee(indexed.employeeId, true);
          if (!employee || !lastDayEnded(employee, nowIso)) return 'gone' as const;
          const decided = completeTermination(employee, nowIso);
          if (!decided) return 'waiting' as const;
          await write(employee, decided, actor, [store.releaseEmailItem(employee)]);
          return 'terminated' as const;
        });
        if (done === 'terminated') outcome.terminated++;
        else if (done === 'waiting') outcome.waiting++;
      } catch (error) {
        outcome.failed++;
        firstError ??= error;
        logger.error('could not complete a termination', { employeeId: indexed.employeeId, error: error as Error });
      }
    }
    if (firstError) throw firstError;
    return outcome;
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
    terminate: terminateEmployee,
    openTicket,
    owedTickets,
    runTerminations,
  };
}

export type HrService = ReturnType<typeof makeHrService>;
