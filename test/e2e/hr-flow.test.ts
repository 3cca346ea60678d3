import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestStack, type LocalStack } from '../support/stack.ts';
import { eventually } from '../support/index.ts';

/**
 * From hiring to payroll over HTTP against the local runtime: HR hires two people; the `hr` queue's processor opens
 * each one's onboarding ticket on the IT desk; IT resolves one, which completes its accounts and equipment tasks, and
 * HR completes the rest; HR terminates the other, whose revoking ticket opens and whom the `hr-terminations` job (run
 * as `npm run job` runs it) makes `TERMINATED`; then last month's payroll run pays both, prorated by the days each was
 * employed, posts one balanced entry, and the payroll-monthly report shows it.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const HR = ['hr'];
const IT = ['it'];
const ACCOUNTING = ['accounting'];

/** Last month (UTC) as `YYYY-MM`, and its number of days. */
function lastMonth(): { period: string; days: number } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return { period: first.toISOString().slice(0, 7), days };
}

/** annual / 12 × days / daysInMonth, rounded half up to the cent, computed apart from the product's code. */
function prorated(annualCents: number, days: number, daysInMonth: number): number {
  const numerator = BigInt(annualCents) * BigInt(days) * 2n;
  const denominator = 12n * BigInt(daysInMonth);
  return Number((numerator + denominator) / (2n * denominator));
}

async function employee(employeeId: string) {
  return (await call(stack, 'GET', `/v1/hr/employees/${employeeId}`, { roles: HR })).body;
}

describe('HR from hiring to payroll over HTTP', () => {
  it('onboards through IT, terminates, and pays last month once, prorated, with the books balanced', async () => {
    const { period, days } = lastMonth();
    const hire = (body: object, key: string) =>
      call(stack, 'POST', '/v1/hr/employees', {
        roles: HR,
        sub: 'hr-lead',
        headers: { 'idempotency-key': key },
        body,
      });

    const staying = await hire(
      {
        name: 'Grace Hopper',
        email: 'Grace.Hopper@Example.com',
        title: 'Engineer',
        department: 'Engineering',
        startDate: `${period}-10`,
        annualSalaryCents: 10_000_001,
      },
      'e2e-hire-grace',
    );
    expect(staying.status).toBe(202);
    expect(staying.body).toEqual({ employeeId: expect.stringMatching(/^emp_/), status: 'ONBOARDING' });
    expect(staying.headers.get('location')).toBe(`/v1/hr/employees/${staying.body.employeeId}`);
    const graceId: string = staying.body.employeeId;
    const leaving = await hire(
      {
        name: 'Alan Turing',
        email: 'alan.turing@example.com',
        title: 'Analyst',
        department: 'Finance',
        startDate: `${period}-01`,
        annualSalaryCents: 7_300_000,
        managerId: graceId,
      },
      'e2e-hire-alan',
    );
    expect(leaving.status).toBe(202);
    const alanId: string = leaving.body.employeeId;

    // The hr queue's processor opens each hire's onboarding ticket; triage makes it OPEN on the IT desk.
    const ticketId: string = await eventually(async () => (await employee(graceId)).onboardingTicketId, 15_000);
    const ticket = await eventually(async () => {
      const answer = await call(stack, 'GET', `/v1/it-tickets/${ticketId}`, { roles: IT });
      return answer.body.status === 'OPEN' ? answer.body : undefined;
    }, 15_000);
    expect(ticket).toMatchObject({ requester: 'hr-lead', employeeId: graceId, category: 'access' });
    expect(JSON.stringify(ticket)).not.toContain('10000001');
    await eventually(async () => (await employee(alanId)).onboardingTicketId, 15_000);

    // IT resolves the ticket: accounts and equipment are done; HR completes the other two and Grace is ACTIVE.
    const resolved = await call(stack, 'POST', `/v1/it-tickets/${ticketId}/actions`, {
      roles: IT,
      sub: 'it-1',
      body: { action: 'resolve', resolution: 'Accounts created, laptop handed over.' },
    });
    expect(resolved.status).toBe(200);
    expect((await employee(graceId)).tasks).toEqual([
      { task: 'accounts', done: true },
      { task: 'equipment', done: true },
      { task: 'benefits_enrollment', done: false },
      { task: 'policy_acknowledgement', done: false },
    ]);
    for (const task of ['benefits_enrollment', 'policy_acknowledgement']) {
      const done = await call(stack, 'POST', `/v1/hr/employees/${graceId}/tasks/${task}/complete`, { roles: HR });
      expect(done.status).toBe(200);
    }
    expect((await employee(graceId)).status).toBe('ACTIVE');
    const summary = await call(stack, 'GET', '/v1/ops/summary', { roles: ['ops'] });
    expect(summary.body.openOnboardings).toBe(1);

    // Alan leaves on the 15th of last month: the revoking ticket opens, due by that day's end, and the job (run now,
    // long after that day ended) makes him TERMINATED and frees his email.
    const lastDay = `${period}-15`;
    const terminated = await call(stack, 'POST', `/v1/hr/employees/${alanId}/terminate`, {
      roles: HR,
      sub: 'hr-lead',
      body: { lastDay },
    });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({ status: 'TERMINATING', lastDay });
    expect(
      (await call(stack, 'POST', `/v1/hr/employees/${alanId}/terminate`, { roles: HR, body: { lastDay } })).status,
    ).toBe(409);
    const revokeId: string = await eventually(async () => (await employee(alanId)).offboardingTicketId, 15_000);
    expect((await call(stack, 'GET', `/v1/it-tickets/${revokeId}`, { roles: IT })).body).toMatchObject({
      employeeId: alanId,
      requester: 'hr-lead',
    });
    await stack.runJob('hr-terminations');
    expect((await employee(alanId)).status).toBe('TERMINATED');

    // Last month's payroll: Grace from the 10th, Alan from the 1st to the 15th, each rounded half up.
    const before = await call(stack, 'GET', '/v1/ledger/trial-balance', { roles: ACCOUNTING });
    const expenseOf = (body: { accounts: { code: string; balanceCents: number }[] }) =>
      body.accounts.find((account) => account.code === '6000')?.balanceCents ?? 0;
    const requested = await call(stack, 'POST', '/v1/hr/payroll-runs', { roles: HR, body: { period } });
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ period, status: 'PENDING' });
    const run = await eventually(async () => {
      const answer = await call(stack, 'GET', `/v1/hr/payroll-runs/${period}`, { roles: ACCOUNTING });
      return answer.body.status === 'COMPLETED' ? answer.body : undefined;
    }, 20_000);
    const grace = prorated(10_000_001, days - 9, days);
    const alan = prorated(7_300_000, 15, days);
    expect(
      [...run.lines].sort((a: { employeeId: string }, b: { employeeId: string }) =>
        a.employeeId < b.employeeId ? -1 : 1,
      ),
    ).toEqual([
      { employeeId: graceId, department: 'Engineering', days: days - 9, grossCents: grace },
      { employeeId: alanId, department: 'Finance', days: 15, grossCents: alan },
    ]);
    expect(run.totalCents).toBe(grace + alan);

    // Asked again: the same run, nothing paid twice; the books balance with the salaries expensed once.
    const again = await call(stack, 'POST', '/v1/hr/payroll-runs', { roles: HR, body: { period } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ period, status: 'COMPLETED' });
    const after = await call(stack, 'GET', '/v1/ledger/trial-balance', { roles: ACCOUNTING });
    expect(after.body.totalDebitCents).toBe(after.body.totalCreditCents);
    expect(expenseOf(after.body) - expenseOf(before.body)).toBe(grace + alan);

    // The month's report: two hires, one leaver, one still employed at the month's end, the pay by department.
    expect((await call(stack, 'POST', `/v1/reports/payroll-monthly/${period}/run`, { roles: HR })).status).toBe(202);
    const report = await eventually(async () => {
      const answer = await call(stack, 'GET', `/v1/reports/payroll-monthly/${period}`, { roles: ACCOUNTING });
      return answer.status === 200 ? answer.body : undefined;
    }, 15_000);
    expect(report).toMatchObject({
      headcount: 1,
      hires: 2,
      leavers: 1,
      payrollStatus: 'COMPLETED',
      grossPayCents: grace + alan,
      grossPayByDepartment: [
        { department: 'Engineering', employees: 1, grossPayCents: grace },
        { department: 'Finance', employees: 1, grossPayCents: alan },
      ],
    });

    // Alan's address is free again: a rehire with it is accepted.
    const rehire = await hire(
      {
        name: 'Alan Turing',
        email: 'alan.turing@example.com',
        title: 'Analyst',
        department: 'Finance',
        startDate: new Date().toISOString().slice(0, 10),
        annualSalaryCents: 7_300_000,
      },
      'e2e-rehire-alan',
    );
    expect(rehire.status).toBe(202);
  });
});
