/**
 * (h) The capacity units of one payroll run (the request and the processor's run) for a company of 10 employees and
 * for one of 2,000, and the wall time of the 2,000 run: the payroll processor reads every employee of the current
 * staff and writes the run, its lines (one item), the journal entry, a balance shard and the audit event in one
 * transaction, whose units are computed from item sizes by AWS's rules (DynamoDB Local under-reports them).
 */
import { randomBytes } from 'node:crypto';
import { queueDecl } from '#shared/manifest.ts';
import { instrument, type DynamoCall } from './capacity.ts';
import {
  apiCaller,
  loadHandler,
  queueDeliverer,
  table,
  type ApiHandler,
  type QueueRef,
  type SqsHandler,
} from './shared.ts';

/** The two company sizes measured. */
export const PAYROLL_SIZES = [10, 2000] as const;

const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'Operations', 'Marketing', 'Warehouse', 'Legal'];

export interface PayrollMeasurement {
  employees: number;
  period: string;
  /** Lines and total of the completed run, read back through the route. */
  lines: number;
  totalCents: number;
  request: { readUnits: number; writeUnits: number; calls: number };
  processing: { readUnits: number; writeUnits: number; calls: number };
  /** Wall time of the processor's invocation (the whole run), queue polls left out. */
  processingMs: number;
  /** The completion transaction's actions with their units. */
  completion: DynamoCall | undefined;
}

/**
 * Hires `count` employees as the hire route writes them (the store's items, put in batches of 25: setting up is not
 * what is measured), each with a realistic name, title and department and a salary that does not divide evenly.
 */
async function addEmployees(count: number, run: string, offset: number): Promise<void> {
  const { doc } = await import('#shared/platform/clients.ts');
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { makeEmployeeStore } = await import('#shared/data/employees.ts');
  const { hireEmployee } = await import('#shared/domain/hr.ts');
  const { newId } = await import('#shared/ids.ts');
  const tableName = process.env.TABLE_NAME ?? '';
  const store = makeEmployeeStore({ doc, tableName });
  const puts = Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const employee = hireEmployee(
      newId('employee'),
      {
        name: `Bench Employee ${n} Lastname`,
        email: `employee.${n}.${run}@bench.example`,
        title: 'Senior Associate',
        department: DEPARTMENTS[n % DEPARTMENTS.length]!,
        startDate: `2020-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
        annualSalaryCents: 4_000_000 + 1_237 * n,
      },
      new Date().toISOString(),
    );
    return store.newEmployeeItems(employee, `bench-${run}`);
  });
  const items = puts.flatMap((p) => [p.employee, p.emailLookup]).map((t) => t.Put!.Item!);
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = items.slice(i, i + 25);
    while (pending && pending.length > 0) {
      const result: { UnprocessedItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]> } =
        await doc.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }),
        );
      pending = result.UnprocessedItems?.[tableName]?.map((r) => r.PutRequest!.Item!);
    }
  }
}

/** A past month: `back` months before the current one. */
function monthsAgo(back: number): string {
  const at = new Date();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() - back);
  return at.toISOString().slice(0, 7);
}

const sum = (calls: DynamoCall[]) => ({
  readUnits: calls.reduce((s, c) => s + c.readUnits, 0),
  writeUnits: calls.reduce((s, c) => s + c.writeUnits, 0),
  calls: calls.length,
});

/**
 * Meters one run per company size through the real route and processor: the staff is hired first (not counted), the
 * run is requested (`POST /v1/hr/payroll-runs`) and delivered to the payroll processor from its queue. The process
 * environment must point at the table and queues, as for `measureOrderCapacity`; the table should hold no other staff.
 */
export async function measurePayrollCapacity(input: {
  dynamoEndpoint: string;
  payrollQueue: QueueRef;
}): Promise<PayrollMeasurement[]> {
  const { dynamo, sqs } = await import('#shared/platform/clients.ts');
  const { localDynamoClient } = await import('../local/dynamodb.ts');
  const { localSqsClient } = await import('../local/sqs.ts');
  const reader = localDynamoClient(input.dynamoEndpoint);
  const pollerSqs = localSqsClient(new URL(input.payrollQueue.url).origin);
  const meter = instrument(dynamo, sqs, reader);
  try {
    const request = await loadHandler<ApiHandler>('functions/hr/request-payroll-run');
    const getRun = await loadHandler<ApiHandler>('functions/hr/get-payroll-run');
    const processor = await loadHandler<SqsHandler>(queueDecl('payroll').processor);
    // The processor's invocations are timed, not the polls around them (an empty poll waits a second).
    let invocationMs = 0;
    const timed: SqsHandler = async (event, context) => {
      const started = performance.now();
      try {
        return await processor(event, context);
      } finally {
        invocationMs += performance.now() - started;
      }
    };
    const deliver = await queueDeliverer(pollerSqs, input.payrollQueue, timed, 'payroll');
    const call = await apiCaller();
    const run = randomBytes(3).toString('hex');

    const measurements: PayrollMeasurement[] = [];
    let hired = 0;
    for (const [i, size] of PAYROLL_SIZES.entries()) {
      meter.phase = 'setup';
      await addEmployees(size - hired, run, hired);
      hired = size;
      // Each size pays its own month (the larger, later one), so the first run's staff are in the second.
      const period = monthsAgo(PAYROLL_SIZES.length + 1 - i);
      meter.reset();
      meter.phase = 'request';
      await call(request, 'POST', '/v1/hr/payroll-runs', 'POST /v1/hr/payroll-runs', ['hr'], { period });
      meter.phase = 'processing';
      invocationMs = 0;
      await deliver();
      const processingMs = invocationMs;
      meter.phase = 'check';
      const done = await call(
        getRun,
        'GET',
        `/v1/hr/payroll-runs/${period}`,
        'GET /v1/hr/payroll-runs/{period}',
        ['hr'],
        undefined,
        { period },
      );
      if (done.status !== 'COMPLETED') throw new Error(`The ${size}-employee run of ${period} did not complete`);
      const processing = meter.dynamo.filter((c) => c.phase === 'processing');
      measurements.push({
        employees: size,
        period,
        lines: (done.lines as unknown[]).length,
        totalCents: Number(done.totalCents),
        request: sum(meter.dynamo.filter((c) => c.phase === 'request')),
        processing: sum(processing),
        processingMs,
        completion: processing.find((c) => c.command === 'TransactWriteItemsCommand'),
      });
    }
    return measurements;
  } finally {
    meter.dispose();
    reader.destroy();
    pollerSqs.destroy();
  }
}

export function printPayrollCapacity(measurements: readonly PayrollMeasurement[]): void {
  console.log(
    '\n(h) DynamoDB capacity of one payroll run (the request, then the payroll processor: every employee read, ' +
      'one completion transaction)\n',
  );
  console.log(
    table([
      ['employees', 'lines', 'request R', 'request W', 'run requests', 'run R', 'run W', 'run ms (one invocation)'],
      ...measurements.map((m) => [
        String(m.employees),
        String(m.lines),
        String(m.request.readUnits),
        String(m.request.writeUnits),
        String(m.processing.calls),
        String(m.processing.readUnits),
        String(m.processing.writeUnits),
        String(Math.round(m.processingMs)),
      ]),
    ]),
  );
  const largest = measurements.at(-1);
  if (largest?.completion?.items) {
    console.log(`\ncompletion transaction of the ${largest.employees}-employee run (units computed from item sizes):`);
    for (const item of largest.completion.items) {
      const idx = Object.entries(item.indexUnits)
        .map(([name, units]) => ` +${name} ${units}`)
        .join('');
      const bytes = String(Math.max(item.beforeBytes, item.afterBytes)).padStart(7);
      console.log(`  ${item.action.padEnd(7)} ${item.key.padEnd(48)} ${bytes} B  W ${item.tableUnits}${idx}`);
    }
  }
  console.log(
    'a run reads the current staff whole (eventually consistent Queries of their status partitions) and the leavers ' +
      'since the month began; its lines are one item, so the completion is one transaction whatever the size.',
  );
}
