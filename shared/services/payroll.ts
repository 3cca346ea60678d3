import { NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  computePayroll,
  monthBounds,
  payrollJournalLines,
  type PayrollLine,
  type PayrollRunStatus,
} from '#shared/domain/payroll.ts';
import { makeEmployeeStore } from '#shared/data/employees.ts';
import { makePayrollStore, type PayrollRun } from '#shared/data/payroll.ts';
import { makeJournal } from '#shared/data/journal.ts';
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

/** What a request for a run answers: the month's run, and whether this request created it. */
export interface RequestedRun {
  period: string;
  status: PayrollRunStatus;
  /** False when the month already had a run: nothing was written and nothing needs queueing. */
  created: boolean;
}

export interface PayrollOutcome {
  period: string;
  /** The run's status after processing; undefined when there is no run for the period. */
  status: PayrollRunStatus | undefined;
  /** Whether this call completed the run (false for a redelivery or a run completed meanwhile). */
  changed: boolean;
  totalCents?: number;
  lineCount?: number;
}

/** The entity id a run's audit events are filed under (`AUDIT#payroll-2026-11`). */
export const payrollRunEntityId = (period: string): string => `payroll-${period}`;

/**
 * Payroll runs (docs/contract.md#hr). A request writes the month's run `PENDING` (at most one per month: a create
 * conditional on the run not existing) with its audit event and the idempotency record; the payroll processor pays
 * everyone employed on any day of the month and completes the run, its lines, the journal entry Dr 6000 / Cr 1000
 * and the audit event in one transaction conditional on the run still being `PENDING`, so a run is paid once however
 * often its message comes or however many processors race.
 */
export function makePayrollService({ doc, tableName, now = () => new Date() }: ServiceDeps) {
  const runs = makePayrollStore({ doc, tableName });
  const employees = makeEmployeeStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /**
   * Requests the run of `period` (already validated). Creates it `PENDING` unless the month has one; then it answers
   * that run (`created: false`), remembering that answer for the `Idempotency-Key` if there is one.
   */
  async function requestRun(
    period: string,
    context: { actor: string; correlationId: string; remember?: Remember<RequestedRun> | undefined },
  ): Promise<RequestedRun> {
    const at = now().toISOString();
    const run: PayrollRun = {
      period,
      status: 'PENDING',
      requestedAt: at,
      correlationId: context.correlationId,
      updatedAt: at,
    };
    const created: RequestedRun = { period, status: 'PENDING', created: true };
    const tx: TransactItem[] = [
      runs.newRunItem(run),
      audit.eventItem({
        actor: context.actor,
        action: 'payrollRun.requested',
        entityType: 'payrollRun',
        entityId: payrollRunEntityId(period),
        at,
        changes: ['status', 'period'],
        status: 'PENDING',
      }),
    ];
    const rememberIndex = withRemember(tx, context.remember, created);
    try {
      await transactWrite(doc, tx);
      return created;
    } catch (error) {
      if (!(error instanceof TransactionConditionError)) throw error;
      // A request with the same Idempotency-Key won: the HTTP stack replays its answer.
      if (rememberIndex !== undefined && error.failedIndexes.includes(rememberIndex)) throw error;
      if (!error.failedIndexes.includes(0)) throw error;
    }
    // The month has its run already: answer it as it stands, and remember that answer for the key.
    const existing = await runs.getRun(period, true);
    if (!existing) throw new Error(`Payroll run ${period} failed its create condition but does not exist`);
    const answer: RequestedRun = { period, status: existing.status, created: false };
    if (context.remember) await transactWrite(doc, [context.remember(answer)]);
    return answer;
  }

  /**
   * Completes the `PENDING` run of `period`: reads the staff and the leavers since the month's first day, computes
   * every line, and writes the run `COMPLETED` with its total, its lines, the journal entry (none for a total of 0)
   * and the audit event in one transaction conditional on `PENDING`. A run already completed is left alone; losing
   * the condition to a concurrent processor re-reads and finds it completed.
   */
  async function processRun(period: string, actor: string): Promise<PayrollOutcome> {
    return withConcurrencyRetry(async () => {
      const run = await runs.getRun(period, true);
      if (!run) return { period, status: undefined, changed: false };
      if (run.status !== 'PENDING') return { period, status: run.status, changed: false };

      const payees = await employees.staffAndLeaversSince(monthBounds(period).firstDay);
      const payroll = computePayroll(payees, period);
      const at = now().toISOString();
      const journalEntryId = payroll.totalCents > 0 ? newId('journalEntry') : undefined;
      const tx: TransactItem[] = [
        ...runs.completionItems(
          run,
          { totalCents: payroll.totalCents, lineCount: payroll.lines.length, completedAt: at, journalEntryId },
          payroll.lines,
        ),
        ...(journalEntryId !== undefined
          ? journal.entryItems({
              entryId: journalEntryId,
              postedAt: at,
              memo: `Payroll ${period}`,
              source: { type: 'payroll', id: period },
              lines: payrollJournalLines(payroll.totalCents),
            })
          : []),
        audit.eventItem({
          actor,
          action: 'payrollRun.completed',
          entityType: 'payrollRun',
          entityId: payrollRunEntityId(period),
          at,
          changes: ['status', 'totalCents', 'lines', 'completedAt', ...(journalEntryId ? ['journalEntryId'] : [])],
          status: 'COMPLETED',
          ...(journalEntryId ? { related: [{ entityType: 'journalEntry', entityId: journalEntryId }] } : {}),
        }),
      ];
      // The run is no longer PENDING (another processor completed it): re-read, and find it completed.
      await writeOrRetry(doc, tx, undefined);
      return {
        period,
        status: 'COMPLETED' as const,
        changed: true,
        totalCents: payroll.totalCents,
        lineCount: payroll.lines.length,
      };
    });
  }

  /** A run with its lines; `NotFoundError` when the month has none. */
  async function getRun(period: string): Promise<{ run: PayrollRun; lines: PayrollLine[] }> {
    const found = await runs.getRunWithLines(period);
    if (!found) throw new NotFoundError(`There is no payroll run for ${period}.`);
    return found;
  }

  /** A page of runs, newest period first (no lines). */
  function listRuns(page: PageRequest): Promise<Page<PayrollRun>> {
    return runs.runs.page({}, page, { ascending: false });
  }

  return { requestRun, processRun, getRun, listRuns };
}

export type PayrollService = ReturnType<typeof makePayrollService>;
