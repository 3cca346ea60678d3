import { NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  DEFAULT_SLA_POLICY,
  applyAction,
  applyDue,
  triage,
  type CaseSubmission,
  type DeskActionInput,
  type DeskChange,
  type DeskKind,
  type DeskListFilter,
  type HistoryEntry,
  type SlaPolicy,
  type TicketSubmission,
} from '#shared/domain/desk.ts';
import { completeItTasks, type HrTicketContent, type HrTicketPurpose } from '#shared/domain/hr.ts';
import { makeDeskStore, type CaseRecord, type DeskRecord, type TicketRecord } from '#shared/data/desk.ts';
import { makeEmployeeStore } from '#shared/data/employees.ts';
import { makeOrderStore } from '#shared/data/orders.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { withConcurrencyRetry, type TransactItem } from '#shared/data/transact.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';
import { makeCustomerService } from '#shared/services/customers.ts';
import { logger } from '#shared/platform/observability.ts';

export interface SubmittedCase {
  caseId: string;
  status: 'NEW';
}

export interface SubmittedTicket {
  ticketId: string;
  status: 'NEW';
}

/** What one SLA monitor run did. */
export interface MonitorOutcome {
  /** Records found due in the index. */
  due: number;
  triaged: number;
  breached: number;
  escalated: number;
  closed: number;
  /** Records whose change failed (logged); the run reports failure after trying the others. */
  failed: number;
}

/** What a triage did: `changed` is false for a redelivery (already triaged) or a record that does not exist. */
export interface TriageOutcome {
  kind: DeskKind;
  id: string;
  status: string | undefined;
  changed: boolean;
}

/**
 * The service desk (docs/contract.md#customer-support customer cases, #it-support IT tickets): one engine for both
 * kinds. Intake writes a `NEW` record, triage opens it with SLA deadlines, agents act on it through the transition
 * table, and the SLA monitor triages what was never triaged, marks breaches (escalating once) and closes resolved work.
 * Every change is one transaction — the record (conditional on its version), its history lines, its audit event —
 * retried on a lost race, so concurrent writers never lose each other's update.
 */
export function makeDeskService({
  doc,
  tableName,
  now = () => new Date(),
  policy = DEFAULT_SLA_POLICY,
}: ServiceDeps & { policy?: SlaPolicy }) {
  const store = makeDeskStore({ doc, tableName, policy });
  const customers = makeCustomerService({ doc, tableName });
  const orders = makeOrderStore({ doc, tableName });
  const employees = makeEmployeeStore({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  function auditOf(before: DeskRecord, change: DeskChange<DeskRecord>, actor: string): TransactItem {
    return audit.eventItem({
      actor,
      action: change.auditAction,
      entityType: before.kind,
      entityId: before.id,
      at: change.next.updatedAt,
      changes: change.changes,
      status: change.next.status,
    });
  }

  /** Writes a change; a failed version condition (someone else wrote first) is a `ConcurrencyError` to retry on. */
  async function write(before: DeskRecord, change: DeskChange<DeskRecord>, actor: string): Promise<void> {
    await writeOrRetry(doc, [...store.changeItems(before, change), auditOf(before, change, actor)], undefined);
  }

  function baseRecord(
    at: string,
    priority: DeskRecord['priority'],
    category: string,
    subject: string,
    description: string,
  ) {
    return {
      status: 'NEW' as const,
      priority,
      category,
      subject,
      description,
      createdAt: at,
      updatedAt: at,
      version: 1,
      slaBreached: false,
    };
  }

  /**
   * Accepts a customer case (`NEW`): resolves the customer by email as orders do (creating them on first sight,
   * racing safely), and writes the case with its "submitted" history line and customer-timeline entry, its audit
   * events and — through `remember` — the idempotency record, in one transaction. Queueing it is the caller's step.
   */
  async function submitCase(
    input: CaseSubmission,
    context: { actor: string; correlationId: string; remember?: Remember<SubmittedCase> },
  ): Promise<SubmittedCase> {
    const caseId = newId('case');
    const result: SubmittedCase = { caseId, status: 'NEW' };
    await withConcurrencyRetry(async () => {
      const at = now().toISOString();
      const { customerId, items: newCustomer } = await customers.findOrCreateCustomer(input.customer, {
        actor: context.actor,
        at,
      });
      const record: CaseRecord = {
        kind: 'case',
        id: caseId,
        ...baseRecord(at, input.priority, input.category, input.subject, input.description),
        customerId,
        customer: input.customer,
        ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
        correlationId: context.correlationId,
      };
      const tx: TransactItem[] = [
        ...store.newRecordItems(record, { at, actor: context.actor, action: 'submitted', status: 'NEW' }),
        audit.eventItem({
          actor: context.actor,
          action: 'case.submitted',
          entityType: 'case',
          entityId: caseId,
          at,
          status: 'NEW',
          changes: [
            'status',
            'category',
            'priority',
            'subject',
            'description',
            'customer',
            'customerId',
            ...(input.orderId !== undefined ? ['orderId'] : []),
          ],
        }),
        ...newCustomer,
      ];
      await writeOrRetry(doc, tx, withRemember(tx, context.remember, result));
    });
    return result;
  }

  /** Accepts an IT ticket (`NEW`) filed by `requester` (the token's subject), in one transaction. */
  async function submitTicket(
    input: TicketSubmission,
    context: { requester: string; correlationId: string; remember?: Remember<SubmittedTicket> },
  ): Promise<SubmittedTicket> {
    const ticketId = newId('ticket');
    const result: SubmittedTicket = { ticketId, status: 'NEW' };
    const at = now().toISOString();
    const record: TicketRecord = {
      kind: 'ticket',
      id: ticketId,
      ...baseRecord(at, input.priority, input.category, input.subject, input.description),
      requester: context.requester,
      correlationId: context.correlationId,
    };
    const tx: TransactItem[] = [
      ...store.newRecordItems(record, { at, actor: context.requester, action: 'submitted', status: 'NEW' }),
      audit.eventItem({
        actor: context.requester,
        action: 'ticket.submitted',
        entityType: 'ticket',
        entityId: ticketId,
        at,
        status: 'NEW',
        changes: ['status', 'category', 'priority', 'subject', 'description', 'requester'],
      }),
    ];
    await withConcurrencyRetry(async () => {
      const items = [...tx];
      await writeOrRetry(doc, items, withRemember(items, context.remember, result));
    });
    return result;
  }

  /**
   * The items filing one of HR's IT tickets (`NEW`, as `POST /v1/it-tickets` files one, then triaged on the `support`
   * queue): the ticket with its id derived from the employee (so its put fails when it exists already), its
   * "submitted" line and its audit event; the caller writes them in the transaction that records the ticket on the
   * employee.
   */
  function hrTicketItems(input: {
    ticketId: string;
    employeeId: string;
    purpose: HrTicketPurpose;
    content: HrTicketContent;
    requester: string;
    actor: string;
    at: string;
    correlationId: string;
  }): TransactItem[] {
    const { content, at } = input;
    const record: TicketRecord = {
      kind: 'ticket',
      id: input.ticketId,
      ...baseRecord(at, content.priority, content.category, content.subject, content.description),
      requester: input.requester,
      employeeId: input.employeeId,
      hrPurpose: input.purpose,
      ...(content.resolutionDueBy !== undefined ? { resolutionDueBy: content.resolutionDueBy } : {}),
      correlationId: input.correlationId,
    };
    return [
      ...store.newRecordItems(record, { at, actor: input.actor, action: 'submitted', status: 'NEW' }),
      audit.eventItem({
        actor: input.actor,
        action: 'ticket.submitted',
        entityType: 'ticket',
        entityId: input.ticketId,
        at,
        status: 'NEW',
        changes: [
          'status',
          'category',
          'priority',
          'subject',
          'description',
          'requester',
          'employeeId',
          'hrPurpose',
          ...(content.resolutionDueBy !== undefined ? ['resolutionDueBy'] : []),
        ],
      }),
    ];
  }

  /**
   * What resolving HR's onboarding ticket changes besides the ticket, in the same transaction: the employee's
   * `accounts` and `equipment` done (and `ACTIVE` when the rest is), conditional on the employee's version, with its
   * audit event by the IT user. Nothing for any other record or action, for tasks already done, or for an employee
   * no longer `ONBOARDING`/`ACTIVE`.
   */
  async function linkedChanges(
    record: DeskRecord,
    input: DeskActionInput,
    at: string,
    actor: string,
  ): Promise<TransactItem[]> {
    if (record.kind !== 'ticket' || input.action !== 'resolve' || record.hrPurpose !== 'onboarding') return [];
    if (record.employeeId === undefined) return [];
    const employee = await employees.getEmployee(record.employeeId, true);
    if (!employee) return [];
    const change = completeItTasks(employee, at);
    if (change.changes.length === 0) return [];
    return [
      employees.changeItem(employee, change.next),
      audit.eventItem({
        actor,
        action: change.auditAction,
        entityType: 'employee',
        entityId: employee.employeeId,
        at,
        changes: change.changes,
        status: change.next.status,
        related: [{ entityType: 'ticket', entityId: record.id }],
      }),
    ];
  }

  /** The SKUs of the order a case names, for the complaint figures of the daily report; none if it is unknown. */
  async function orderSkusOf(record: DeskRecord): Promise<string[] | undefined> {
    if (record.kind !== 'case' || record.orderId === undefined) return undefined;
    const order = await orders.getOrder(record.orderId);
    return order ? [...new Set(order.lines.map((line) => line.sku))] : undefined;
  }

  /** Triage plus, for a case naming an order, the snapshot of that order's SKUs. */
  async function triageChange(record: DeskRecord, at: string, actor: string): Promise<DeskChange<DeskRecord>> {
    const change = triage(record, at, actor, policy);
    const skus = await orderSkusOf(record);
    if (skus && change.next.kind === 'case') {
      change.next.orderSkus = skus;
      change.changes = [...change.changes, 'orderSkus'].sort();
    }
    return change;
  }

  /**
   * Triage (the `support` queue's processor): a `NEW` record becomes `OPEN`, tier 1, with its SLA deadlines.
   * Anything else is left alone, so a redelivered message changes nothing.
   */
  async function triageRecord(kind: DeskKind, id: string, actor: string): Promise<TriageOutcome> {
    return withConcurrencyRetry(async () => {
      const record = await store.getRecord(kind, id);
      if (!record) return { kind, id, status: undefined, changed: false };
      if (record.status !== 'NEW') return { kind, id, status: record.status, changed: false };
      const change = await triageChange(record, now().toISOString(), actor);
      await write(record, change, actor);
      return { kind, id, status: change.next.status, changed: true };
    });
  }

  /** A record with its history; `NotFoundError` when there is none. */
  async function get(kind: DeskKind, id: string): Promise<{ record: DeskRecord; history: HistoryEntry[] }> {
    const found = await store.getRecordWithHistory(kind, id);
    if (!found) throw new NotFoundError(`${kind === 'case' ? 'Case' : 'Ticket'} ${id} was not found.`);
    return found;
  }

  /**
   * An agent's action (the action table in docs/contract.md#customer-support). Reads the record and its history,
   * applies the action and writes record, history line and audit event in one transaction conditional on the version
   * read. A concurrent write makes that condition fail: the action is re-applied to the fresh record, so both agents'
   * actions are recorded (or the second is refused with 409 when the first made it impossible, such as two resolves).
   * Resolving HR's onboarding ticket completes the employee's IT tasks in the same transaction (`linkedChanges`).
   */
  async function act(
    kind: DeskKind,
    id: string,
    input: DeskActionInput,
    actor: string,
  ): Promise<{ record: DeskRecord; history: HistoryEntry[] }> {
    return withConcurrencyRetry(async () => {
      const found = await store.getRecordWithHistory(kind, id, true);
      if (!found) throw new NotFoundError(`${kind === 'case' ? 'Case' : 'Ticket'} ${id} was not found.`);
      const at = now().toISOString();
      const change = applyAction(found.record, input, at, actor, policy);
      const linked = await linkedChanges(found.record, input, at, actor);
      await writeOrRetry(
        doc,
        [...store.changeItems(found.record, change), auditOf(found.record, change, actor), ...linked],
        undefined,
      );
      return { record: change.next, history: [...found.history, ...change.entries] };
    });
  }

  /**
   * One SLA monitor run at `at`: every record due in the due-time index is triaged, marked breached (and escalated
   * once) or closed. Decisions start from the index's copy; a version conflict re-reads the record. A record that
   * fails is logged and the others still run; the run then throws so the failure is seen (alarm) and retried.
   */
  async function runMonitor(at: Date, actor: string, options: { concurrency?: number } = {}): Promise<MonitorOutcome> {
    const nowIso = at.toISOString();
    const due = await store.dueRecords(nowIso);
    const outcome: MonitorOutcome = { due: due.length, triaged: 0, breached: 0, escalated: 0, closed: 0, failed: 0 };
    let firstError: unknown;
    const settle = async (indexed: DeskRecord): Promise<void> => {
      let current: DeskRecord | undefined = indexed;
      let attempt = 0;
      await withConcurrencyRetry(async () => {
        if (attempt++ > 0) current = await store.getRecord(indexed.kind, indexed.id);
        if (!current) return;
        const change =
          current.status === 'NEW' ? await dueTriage(current, nowIso, actor) : applyDue(current, nowIso, actor, policy);
        if (!change) return;
        await write(current, change, actor);
        if (change.next.status === 'CLOSED') outcome.closed++;
        else if (current.status === 'NEW') outcome.triaged++;
        else {
          outcome.breached++;
          if (change.next.slaEscalatedAt !== current.slaEscalatedAt) outcome.escalated++;
        }
      });
    };
    const queue = [...due];
    const workers = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await settle(next);
        } catch (error) {
          outcome.failed++;
          firstError ??= error;
          logger.error('SLA monitor could not settle a record', {
            kind: next.kind,
            id: next.id,
            error: error as Error,
          });
        }
      }
    });
    await Promise.all(workers);
    if (firstError) throw firstError;
    return outcome;
  }

  /** A record still `NEW` past the triage grace: triaged by the monitor as the processor would have. */
  async function dueTriage(
    record: DeskRecord,
    nowIso: string,
    actor: string,
  ): Promise<DeskChange<DeskRecord> | undefined> {
    return applyDue(record, nowIso, actor, policy) ? triageChange(record, nowIso, actor) : undefined;
  }

  return {
    submitCase,
    submitTicket,
    hrTicketItems,
    triage: triageRecord,
    get,
    act,
    list: (kind: DeskKind, filter: DeskListFilter, page: { limit: number; cursor?: string | undefined }) =>
      store.listRecords(kind, filter, page),
    runMonitor,
  };
}

export type DeskService = ReturnType<typeof makeDeskService>;
