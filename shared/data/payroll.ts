import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { PAYROLL_RUN_STATUSES, type PayrollLine, type PayrollRunStatus } from '#shared/domain/payroll.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { patternReader, queryInput, type TableRef } from '#shared/data/query.ts';

/** A payroll run as stored (`PAYROLL#<period>` / `RUN`), with its status entry (gsi1) and its list entry (gsi2). */
export const payrollRunSchema = z.object({
  entity: z.literal('payrollRun'),
  period: z.string(),
  status: z.enum(PAYROLL_RUN_STATUSES),
  requestedAt: z.string(),
  /** Correlation id of the request, so a re-queued run keeps it (sweeper). */
  correlationId: z.string().optional(),
  totalCents: z.number().int().optional(),
  lineCount: z.number().int().optional(),
  completedAt: z.string().optional(),
  /** The entry Dr 6000 / Cr 1000 of a completed run with a total above 0. */
  journalEntryId: z.string().optional(),
  updatedAt: z.string(),
});
export type PayrollRun = Omit<z.infer<typeof payrollRunSchema>, 'entity'>;

/**
 * The lines of a completed run as stored (`PAYROLL#<period>` / `LINES`): one item, written in the completion's
 * transaction. Each line is the tuple `[employeeId, department index, days, grossCents]` in JSON text, departments
 * listed once, so 2,000 lines take about 100 KB of the item's 400 KB (docs/decisions.md#payroll).
 */
const storedLinesSchema = z.object({
  entity: z.literal('payrollRunLines'),
  period: z.string(),
  departments: z.array(z.string()),
  lines: z.string(),
});
const lineTupleSchema = z.tuple([z.string(), z.number().int(), z.number().int(), z.number().int()]);

/** The most bytes of encoded lines a run stores: the item limit (400 KB) less room for its keys and attributes. */
export const MAX_LINES_BYTES = 390_000;

function encodeLines(lines: readonly PayrollLine[]): { departments: string[]; lines: string } {
  const departments = [...new Set(lines.map((line) => line.department))].sort();
  const index = new Map(departments.map((department, i) => [department, i]));
  const tuples = lines.map((line) => [line.employeeId, index.get(line.department)!, line.days, line.grossCents]);
  const text = JSON.stringify(tuples);
  const bytes = Buffer.byteLength(text) + departments.reduce((sum, d) => sum + Buffer.byteLength(d) + 3, 0);
  if (bytes > MAX_LINES_BYTES) {
    throw new Error(`Payroll lines take ${bytes} bytes, over the ${MAX_LINES_BYTES} one run item may hold`);
  }
  return { departments, lines: text };
}

function decodeLines(item: Record<string, unknown>): PayrollLine[] {
  const stored = storedLinesSchema.parse(item);
  return z
    .array(lineTupleSchema)
    .parse(JSON.parse(stored.lines))
    .map(([employeeId, department, days, grossCents]) => ({
      employeeId,
      department: stored.departments[department] ?? '',
      days,
      grossCents,
    }));
}

function runFromItem(item: Record<string, unknown>): PayrollRun {
  const { entity: _entity, ...run } = payrollRunSchema.parse(item);
  return run;
}

/** What completing a run writes on it. */
export interface RunCompletion {
  totalCents: number;
  lineCount: number;
  completedAt: string;
  journalEntryId?: string | undefined;
}

/**
 * Payroll runs: the run (one per month), its lines (one item, written once when it completes), its status entry
 * (gsi1, for the sweeper) and its list entry (gsi2, every run by period).
 */
export function makePayrollStore({ doc, tableName }: TableRef) {
  return {
    /** The put creating a `PENDING` run; it fails its condition when the month already has a run. */
    newRunItem(run: PayrollRun): TransactItem {
      return createPut(tableName, {
        ...keys.payrollRun.key(run),
        ...keys.payrollRunByStatus.key(run),
        ...keys.payrollRunInList.key(run),
        entity: 'payrollRun',
        ...run,
      });
    },

    /**
     * The items completing a run: the run `COMPLETED` with its total (only while it is still `PENDING`, so a run
     * completes once whoever else tries), and its lines item.
     */
    completionItems(run: PayrollRun, completion: RunCompletion, lines: readonly PayrollLine[]): TransactItem[] {
      const status: PayrollRunStatus = 'COMPLETED';
      const set = {
        status,
        totalCents: completion.totalCents,
        lineCount: completion.lineCount,
        completedAt: completion.completedAt,
        updatedAt: completion.completedAt,
        ...(completion.journalEntryId !== undefined ? { journalEntryId: completion.journalEntryId } : {}),
        ...keys.payrollRunByStatus.key({ ...run, status }),
      };
      return [
        guardedUpdate(tableName, keys.payrollRun.key(run), set, { status: 'PENDING' }),
        createPut(tableName, {
          ...keys.payrollRunLines.key(run),
          entity: 'payrollRunLines',
          period: run.period,
          ...encodeLines(lines),
        }),
      ];
    },

    /** A run alone (no lines); `consistent` for the read a decision is made on. */
    async getRun(period: string, consistent = false): Promise<PayrollRun | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.payrollRun.key({ period }),
          ...(consistent ? { ConsistentRead: true } : {}),
        }),
      );
      return Item ? runFromItem(Item) : undefined;
    },

    /** A run with its lines (none until it completes): one Query of the run's partition. */
    async getRunWithLines(period: string): Promise<{ run: PayrollRun; lines: PayrollLine[] } | undefined> {
      let run: PayrollRun | undefined;
      let lines: PayrollLine[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await doc.send(
          new QueryCommand({
            ...queryInput(tableName, keys.payrollRun.query({ period })),
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) {
          if (item.entity === 'payrollRun') run = runFromItem(item);
          else if (item.entity === 'payrollRunLines') lines = decodeLines(item);
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return run ? { run, lines } : undefined;
    },

    /** Every run by period (`ascending: false` for newest first); the run items only, never their lines. */
    runs: patternReader({ doc, tableName }, keys.payrollRunInList, runFromItem),

    /** Runs in a status, oldest request first. */
    byStatus: patternReader({ doc, tableName }, keys.payrollRunByStatus, runFromItem),
  };
}

export type PayrollStore = ReturnType<typeof makePayrollStore>;
