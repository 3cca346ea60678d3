import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { ONBOARDING_TASKS, type Employee, type EmployeeStatus } from '#shared/domain/hr.ts';
import { makePayrollService } from '#shared/services/payroll.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import { handler as hireEmployee } from '../../functions/hr/hire-employee.ts';
import { handler as requestPayrollRun } from '../../functions/hr/request-payroll-run.ts';
import { handler as getPayrollRun } from '../../functions/hr/get-payroll-run.ts';
import { handler as listPayrollRuns } from '../../functions/hr/list-payroll-runs.ts';
import { handler as processPayroll } from '../../functions/hr/process-payroll.ts';
import { handler as getTrialBalance } from '../../functions/accounting/get-trial-balance.ts';
import { handler as sweepJob } from '../../functions/ops/sweep-submissions.ts';
import { handler as generateReport } from '../../functions/reports/generate-report.ts';
import { handler as getReport } from '../../functions/reports/get-report.ts';
import { handler as runReport } from '../../functions/reports/run-report.ts';
import { handler as dailyReports } from '../../functions/reports/daily-reports.ts';
import {
  apiEvent,
  drainQueue,
  eventually,
  invokeProcessor,
  lambdaContext,
  pumpQueue,
  scheduledEvent,
  testClients,
  testResources,
} from '../support/index.ts';
import { call } from './orders-inventory-fixtures.ts';
import { freshEmail } from './support-fixtures.ts';

/*
 * The file shares one table, and a run pays everyone employed in its month. Every test therefore works in its own
 * month, earlier than the test before it, and hires only people who start within a month before it: the staff an
 * earlier test left behind start after this test's month and are never paid in it.
 */

const HR = ['hr'];

interface Envelope {
  type: string;
  id: string;
  correlationId: string;
}

function hireBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Staff Member',
    email: freshEmail('payroll'),
    title: 'Engineer',
    department: 'Engineering',
    startDate: '2026-04-01',
    annualSalaryCents: 12_000_000,
    ...overrides,
  };
}

/** Hires through the route: `ONBOARDING`, in the status index. */
async function hired(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(hireEmployee, {
    method: 'POST',
    path: '/v1/hr/employees',
    roles: HR,
    sub: 'hr-1',
    body: hireBody(overrides),
  });
  expect(answer.status).toBe(202);
  return answer.body.employeeId;
}

let fixtures = 0;
/**
 * An employee written as termination leaves one (docs/contract.md#hr): the record with a `lastDay` and the revoking
 * ticket's id, its status entry and its entry in the by-last-day index.
 */
async function employeeWithLastDay(fields: {
  status: EmployeeStatus;
  startDate: string;
  lastDay: string;
  annualSalaryCents?: number;
  department?: string;
}): Promise<string> {
  const employeeId = `emp_PAYROLLFIXTURE${String(++fixtures).padStart(4, '0')}`;
  const employee: Employee = {
    employeeId,
    status: fields.status,
    name: 'Leaver',
    email: freshEmail('leaver'),
    title: 'Engineer',
    department: fields.department ?? 'Engineering',
    startDate: fields.startDate,
    lastDay: fields.lastDay,
    annualSalaryCents: fields.annualSalaryCents ?? 12_000_000,
    tasks: ONBOARDING_TASKS.map((task) => ({ task, done: true })),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 2,
    // The revoking IT ticket the termination opened (the sweeper re-queues a leaver without one).
    offboardingTicketId: `tkt_OFF${employeeId}`,
  };
  await testClients().doc.send(
    new PutCommand({
      TableName: testResources().tableName,
      Item: {
        ...keys.employee.key(employee),
        ...keys.employeeByStatus.key(employee),
        ...keys.employeeByLastDay.key({ lastDay: fields.lastDay, employeeId }),
        entity: 'employee',
        ...employee,
      },
    }),
  );
  return employeeId;
}

function requestRun(period: unknown, options: { roles?: string[]; headers?: Record<string, string> } = {}) {
  return call(requestPayrollRun, {
    method: 'POST',
    path: '/v1/hr/payroll-runs',
    roles: options.roles ?? HR,
    sub: 'hr-1',
    body: { period },
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

const readRun = (period: string, roles = HR) => call(getPayrollRun, { path: `/v1/hr/payroll-runs/${period}`, roles });
const listRuns = (query: Record<string, string | number> = {}, roles = HR) =>
  call(listPayrollRuns, { path: '/v1/hr/payroll-runs', roles, query });

/** Delivers whatever the payroll queue holds to the payroll processor. */
const processQueued = () => pumpQueue('payroll', processPayroll);

async function payrollEntries(period: string): Promise<JournalEntry[]> {
  const journal = makeJournal({ doc: testClients().doc, tableName: testResources().tableName });
  const entries: JournalEntry[] = [];
  for (const day of [new Date(Date.now() - 86_400_000), new Date()].map((d) => d.toISOString().slice(0, 10))) {
    for await (const entry of journal.byDay.all({ day })) {
      if (entry.source.type === 'payroll' && entry.source.id === period) entries.push(entry);
    }
  }
  return entries;
}

async function expectBooksBalance(): Promise<void> {
  const tb = await call(getTrialBalance, { path: '/v1/ledger/trial-balance', roles: ['accounting'] });
  expect(tb.status).toBe(200);
  expect(tb.body.totalDebitCents).toBe(tb.body.totalCreditCents);
}

const envelope = (period: string) => ({
  type: 'payroll.requested',
  id: period,
  correlationId: `redelivery-${period}`,
  sentAt: new Date().toISOString(),
});

describe('a payroll run', () => {
  it('pays everyone employed in the month for their days, once, and posts one balanced entry', async () => {
    const period = '2026-09';
    const whole = await hired({ startDate: '2026-08-01', department: 'Sales' });
    const lastDayOfMonth = await hired({ startDate: '2026-09-30', annualSalaryCents: 36_000_000 });
    const startsNextMonth = await hired({ startDate: '2026-10-05' });
    const leftOnFirst = await employeeWithLastDay({
      status: 'TERMINATED',
      startDate: '2026-08-01',
      lastDay: '2026-09-01',
      annualSalaryCents: 3_600_000,
    });
    const leftLastMonth = await employeeWithLastDay({
      status: 'TERMINATED',
      startDate: '2026-08-01',
      lastDay: '2026-08-31',
    });
    const leaving = await employeeWithLastDay({
      status: 'TERMINATING',
      startDate: '2026-08-15',
      lastDay: '2026-09-15',
    });

    const answer = await requestRun(period);
    const pending = await readRun(period);
    const queued = await processQueued();
    const run = await readRun(period);

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ period, status: 'PENDING' });
    expect(answer.headers.location).toBe(`/v1/hr/payroll-runs/${period}`);
    expect(pending.body).toEqual({
      period,
      status: 'PENDING',
      totalCents: 0,
      lines: [],
      requestedAt: expect.any(String),
    });
    expect(queued).toHaveLength(1);
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('COMPLETED');
    const byEmployee = Object.fromEntries(
      run.body.lines.map((line: { employeeId: string }) => [line.employeeId, line]),
    );
    expect(byEmployee).toEqual({
      [whole]: { employeeId: whole, department: 'Sales', days: 30, grossCents: 1_000_000 },
      [lastDayOfMonth]: { employeeId: lastDayOfMonth, department: 'Engineering', days: 1, grossCents: 100_000 },
      [leftOnFirst]: { employeeId: leftOnFirst, department: 'Engineering', days: 1, grossCents: 10_000 },
      [leaving]: { employeeId: leaving, department: 'Engineering', days: 15, grossCents: 500_000 },
    });
    expect(byEmployee[startsNextMonth]).toBeUndefined();
    expect(byEmployee[leftLastMonth]).toBeUndefined();
    expect(run.body.totalCents).toBe(1_610_000);
    expect(run.body.completedAt).toEqual(expect.any(String));

    const entries = await payrollEntries(period);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.entryId).toBe(run.body.journalEntryId);
    expect(entries[0]!.lines).toEqual([
      { account: '6000', debitCents: 1_610_000, creditCents: 0 },
      { account: '1000', debitCents: 0, creditCents: 1_610_000 },
    ]);
    await expectBooksBalance();
  });

  it('pays once (one entry, each line once) under 20 concurrent requests and redelivered messages', async () => {
    const period = '2026-06';
    const people = await Promise.all([
      hired({ startDate: '2026-06-01' }),
      hired({ startDate: '2026-06-01', department: 'Support' }),
      hired({ startDate: '2026-06-16', annualSalaryCents: 7_200_000 }),
    ]);

    const answers = await Promise.all(Array.from({ length: 20 }, () => requestRun(period)));
    const messages = await drainQueue<Envelope>('payroll');
    // The one message, delivered three times at once, then once more after the run completed.
    const deliveries = await Promise.all(
      [1, 2, 3].map(() => invokeProcessor(processPayroll, [envelope(period)], 'payroll')),
    );
    const late = await invokeProcessor(processPayroll, [envelope(period)], 'payroll');
    const after = await requestRun(period);
    const run = await readRun(period);

    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    for (const a of answers) {
      expect(a.body).toMatchObject({ period });
      expect(a.headers.location).toBe(`/v1/hr/payroll-runs/${period}`);
    }
    expect(messages.map((m) => [m.type, m.id])).toEqual([['payroll.requested', period]]);
    expect([...deliveries, late].flatMap((d) => d.failedIds)).toEqual([]);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ period, status: 'COMPLETED' });
    expect(run.body.lines.map((line: { employeeId: string }) => line.employeeId).sort()).toEqual([...people].sort());
    expect(run.body.totalCents).toBe(1_000_000 + 1_000_000 + 300_000);
    expect(await payrollEntries(period)).toHaveLength(1);
    expect(await drainQueue('payroll')).toEqual([]);
    await expectBooksBalance();
  });

  it('honours Idempotency-Key: the same key replays the first answer, another body with it is 422', async () => {
    const period = '2026-03';
    const headers = { 'idempotency-key': `payroll-${period}` };

    const first = await requestRun(period, { headers });
    const again = await requestRun(period, { headers });
    const otherBody = await requestRun('2026-02', { headers });
    const otherKey = await requestRun(period, { headers: { 'idempotency-key': `other-${period}` } });
    const otherKeyAgain = await requestRun(period, { headers: { 'idempotency-key': `other-${period}` } });
    await processQueued();

    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 202, body: { period, status: 'PENDING' } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(otherBody.status).toBe(422);
    expect(otherKey).toMatchObject({ status: 200, body: { period, status: 'PENDING' } });
    expect(otherKeyAgain).toMatchObject({ status: 200, body: { period, status: 'PENDING' } });
    expect(otherKeyAgain.headers['idempotent-replayed']).toBe('true');
    expect((await readRun(period)).body.status).toBe('COMPLETED');
    expect((await readRun('2026-02')).status).toBe(404);
  });

  it('completes a month with no one to pay at 0 and posts nothing', async () => {
    const period = '1999-01';

    await requestRun(period);
    await processQueued();
    const run = await readRun(period);

    expect(run.body).toMatchObject({ period, status: 'COMPLETED', totalCents: 0, lines: [] });
    expect(run.body.journalEntryId).toBeUndefined();
    expect(await payrollEntries(period)).toEqual([]);
  });

  it('is re-queued by the submission sweeper when its message was lost, and then completes', async () => {
    const period = '2025-11';
    await hired({ startDate: '2025-11-01' });
    const requestedAt = new Date(Date.now() - 10 * 60_000);
    const payroll = makePayrollService({
      doc: testClients().doc,
      tableName: testResources().tableName,
      now: () => requestedAt,
    });
    // Written as the route writes it, with the send lost: nothing is on the queue.
    await payroll.requestRun(period, { actor: 'hr-1', correlationId: 'lost-send' });
    expect(await drainQueue('payroll')).toEqual([]);

    const early = await sweepJob(scheduledEvent({}, new Date(requestedAt.getTime() + 4 * 60_000)), lambdaContext());
    const swept = await sweepJob(scheduledEvent({}, new Date()), lambdaContext());
    const requeued = await eventually(async () => {
      const found = await drainQueue<Envelope>('payroll');
      return found.length > 0 ? found : undefined;
    });
    await invokeProcessor(processPayroll, requeued, 'payroll');

    expect(early.requeued).toBe(0);
    expect(swept.requeued).toBe(1);
    expect(requeued.map((m) => [m.type, m.id, m.correlationId])).toEqual([['payroll.requested', period, 'lost-send']]);
    expect((await readRun(period)).body).toMatchObject({ status: 'COMPLETED', totalCents: 1_000_000 });
    expect((await sweepJob(scheduledEvent({}, new Date()), lambdaContext())).requeued).toBe(0);
  });
});

describe('payroll run routes', () => {
  it('refuses a month after the current one, or not a month, with 400, writing and queueing nothing', async () => {
    const next = new Date();
    next.setUTCMonth(next.getUTCMonth() + 1, 1);
    const nextMonth = next.toISOString().slice(0, 7);

    for (const period of [nextMonth, '2026-13', '2026-1', '2026-10-01', 202610, undefined]) {
      const answer = await requestRun(period);
      expect([period, answer.status, answer.body.errors?.[0]?.path]).toEqual([period, 400, 'period']);
    }
    expect((await readRun(nextMonth)).status).toBe(400);
    expect((await readRun('2026-13')).body.errors.map((e: { path: string }) => e.path)).toEqual(['path.period']);
    expect(await drainQueue('payroll')).toEqual([]);
  });

  it('answers 404 for a month without a run', async () => {
    const answer = await readRun('2001-01');

    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });

  it('lists runs newest period first without their lines, page by page', async () => {
    const first = await listRuns({ limit: 2 });
    const second = await listRuns({ limit: 2, cursor: first.body.nextCursor });
    const all = await listRuns({ limit: 200 });

    const periods = all.body.items.map((run: { period: string }) => run.period);
    expect(periods).toEqual([...periods].sort().reverse());
    expect(periods).toEqual(expect.arrayContaining(['2026-09', '2026-06', '2026-03', '2025-11', '1999-01']));
    expect([...first.body.items, ...second.body.items].map((run: { period: string }) => run.period)).toEqual(
      periods.slice(0, 4),
    );
    expect(all.body.items.find((run: { period: string }) => run.period === '2026-09')).toEqual({
      period: '2026-09',
      status: 'COMPLETED',
      totalCents: 1_610_000,
      lineCount: 4,
      requestedAt: expect.any(String),
      completedAt: expect.any(String),
      journalEntryId: expect.stringMatching(/^je_/),
    });
    expect(JSON.stringify(all.body)).not.toContain('"lines"');
    expect((await listRuns({ cursor: 'tampered' })).status).toBe(400);
  });

  it('lets hr and accounting read runs, hr alone request one, and refuses everyone else with 403', async () => {
    for (const roles of [['hr'], ['accounting'], ['admin']]) {
      expect([roles[0], (await readRun('2026-09', roles)).status]).toEqual([roles[0], 200]);
      expect([roles[0], (await listRuns({}, roles)).status]).toEqual([roles[0], 200]);
    }
    for (const roles of [['support'], ['ops'], ['front-office'], ['employee'], ['it'], ['inventory']]) {
      expect([roles[0], (await readRun('2026-09', roles)).status]).toEqual([roles[0], 403]);
      expect([roles[0], (await listRuns({}, roles)).status]).toEqual([roles[0], 403]);
    }
    expect((await requestRun('2026-09', { roles: ['accounting'] })).status).toBe(403);
  });
});

describe('the payroll-monthly report', () => {
  const report = (period: string, roles: string[], accept?: string) =>
    call(getReport, {
      path: `/v1/reports/payroll-monthly/${period}`,
      roles,
      ...(accept ? { headers: { accept } } : {}),
    });

  /** June 2024: earlier than every other test's month, so only the staff hired here are in it. */
  const MONTH = '2024-06';
  const figures = {
    headcount: 2,
    hires: 1,
    leavers: 2,
    payrollStatus: 'COMPLETED',
    grossPayCents: 1_610_000,
    grossPayByDepartment: [
      { department: 'Engineering', employees: 3, grossPayCents: 610_000 },
      { department: 'Sales', employees: 1, grossPayCents: 1_000_000 },
    ],
  };

  it('reports headcount, hires, leavers and gross pay by department from the run, as JSON and CSV', async () => {
    await hired({ startDate: '2024-05-01', department: 'Sales' });
    await hired({ startDate: '2024-06-30', annualSalaryCents: 36_000_000 });
    await employeeWithLastDay({
      status: 'TERMINATED',
      startDate: '2024-05-01',
      lastDay: '2024-06-01',
      annualSalaryCents: 3_600_000,
    });
    await employeeWithLastDay({ status: 'TERMINATED', startDate: '2024-05-15', lastDay: '2024-06-15' });
    await requestRun(MONTH);
    await processQueued();

    const ran = await call(runReport, { method: 'POST', path: `/v1/reports/payroll-monthly/${MONTH}/run`, roles: HR });
    await pumpQueue('reports', generateReport);
    const json = await report(MONTH, ['hr']);
    const csv = await getReport(
      apiEvent({
        path: `/v1/reports/payroll-monthly/${MONTH}`,
        roles: ['accounting'],
        headers: { accept: 'text/csv' },
      }),
      lambdaContext(),
    );

    expect(ran.status).toBe(202);
    // Employed on 30 June: the one hired in May and the one hired on the 30th; hired in June: that one; left in June:
    // on the 1st and on the 15th. Gross pay is the run's: 1,000,000 + 100,000 + 10,000 + 500,000.
    expect(json.body).toEqual({
      type: 'payroll-monthly',
      period: MONTH,
      generatedAt: expect.any(String),
      currency: 'USD',
      ...figures,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers?.['content-disposition']).toBe(`attachment; filename="payroll-monthly-${MONTH}.csv"`);
    const rows = String(csv.body).split('\r\n');
    expect(rows).toEqual(
      expect.arrayContaining([
        'section,key,metric,value',
        'report,,type,payroll-monthly',
        `report,,period,${MONTH}`,
        'report,,headcount,2',
        'report,,hires,1',
        'report,,leavers,2',
        'report,,payrollStatus,COMPLETED',
        'report,,grossPayCents,1610000',
        'grossPayByDepartment,Engineering,employees,3',
        'grossPayByDepartment,Engineering,grossPayCents,610000',
        'grossPayByDepartment,Sales,grossPayCents,1000000',
      ]),
    );
  });

  it('says when the month has no run, or only a pending one, and shows no gross pay', async () => {
    const pendingPeriod = '2025-08';
    await requestRun(pendingPeriod);
    await drainQueue('payroll');
    for (const period of ['2025-05', pendingPeriod]) {
      await call(runReport, { method: 'POST', path: `/v1/reports/payroll-monthly/${period}/run`, roles: ['ops'] });
    }
    await pumpQueue('reports', generateReport);

    expect((await report('2025-05', ['ops'])).body).toMatchObject({
      payrollStatus: 'MISSING',
      grossPayCents: null,
      grossPayByDepartment: [],
    });
    expect((await report(pendingPeriod, ['hr'])).body).toMatchObject({ payrollStatus: 'PENDING', grossPayCents: null });
  });

  it('takes a month as its period and is readable by hr, accounting and ops only', async () => {
    expect((await report('2026-09-30', ['hr'])).status).toBe(400);
    expect((await report('2999-01', ['hr'])).status).toBe(400);
    for (const roles of [['support'], ['inventory'], ['front-office']]) {
      expect([roles[0], (await report('2026-09', roles)).status]).toEqual([roles[0], 403]);
    }
    expect((await call(getReport, { path: '/v1/reports/sales-daily/2026-09-01', roles: ['hr'] })).status).toBe(403);
    const hrRun = await call(runReport, { method: 'POST', path: '/v1/reports/sales-daily/2026-09-01/run', roles: HR });
    expect(hrRun.status).toBe(403);
  });

  it('is queued by the daily-reports schedule on the 1st for the month before, and not on other days', async () => {
    const onFirst = await dailyReports(
      scheduledEvent({}, new Date('2024-07-01T00:15:00.000Z')),
      lambdaContext('daily-reports'),
    );
    const onSecond = await dailyReports(
      scheduledEvent({}, new Date('2024-07-02T00:15:00.000Z')),
      lambdaContext('daily-reports'),
    );
    await pumpQueue('reports', generateReport);

    expect(onFirst.queued).toContain(`payroll-monthly/${MONTH}`);
    expect(onSecond.queued.some((type) => type.startsWith('payroll-monthly'))).toBe(false);
    expect((await report(MONTH, ['ops'])).body).toMatchObject(figures);
  });
});
