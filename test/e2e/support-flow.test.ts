import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestStack, type LocalStack } from '../support/stack.ts';
import { eventually } from '../support/index.ts';

/**
 * A customer complaint over HTTP against the local runtime, from intake to closed: the gateway, the support queue's
 * poller delivering to the triage processor, agents' actions, the stack's SLA monitor job (run "8 days later" as
 * `npm run job -- sla-monitor --at` runs it: its scheduled event's time), the customer lookup and timeline, and the
 * support-daily report.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const FRONT_OFFICE = ['front-office'];
const SUPPORT = ['support'];
const DAY_MS = 24 * 3_600_000;

async function confirmedOrder(email: string): Promise<string> {
  const item = await call(stack, 'PUT', '/v1/inventory/items/E2E-KETTLE', {
    roles: ['inventory'],
    body: {
      name: 'Kettle',
      unitPriceCents: 3900,
      unitCostCents: 1500,
      reorderPoint: 0,
      reorderQuantity: 10,
      onHand: 5,
    },
  });
  expect(item.status).toBe(201);
  const order = await call(stack, 'POST', '/v1/orders', {
    roles: FRONT_OFFICE,
    body: { customer: { name: 'Ada Lovelace', email }, lines: [{ sku: 'E2E-KETTLE', quantity: 1 }] },
  });
  await eventually(
    async () =>
      (await call(stack, 'GET', `/v1/orders/${order.body.orderId}`, { roles: FRONT_OFFICE })).body.status ===
      'CONFIRMED',
    15_000,
  );
  return order.body.orderId;
}

describe('a customer complaint over HTTP', () => {
  it('is submitted, triaged, worked, resolved and closed by the SLA monitor a week later', async () => {
    const orderId = await confirmedOrder('ada.e2e@example.com');

    const submitted = await call(stack, 'POST', '/v1/cases', {
      roles: FRONT_OFFICE,
      sub: 'front-1',
      headers: { 'idempotency-key': 'e2e-case-1' },
      body: {
        customer: { name: 'Ada Lovelace', email: 'Ada.E2E@Example.com' },
        category: 'complaint',
        priority: 'high',
        subject: 'Kettle leaks',
        description: 'Water pools under the kettle after every use.',
        orderId,
      },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ caseId: expect.stringMatching(/^cas_/), status: 'NEW' });
    const location = submitted.headers.get('location')!;
    expect(location).toBe(`/v1/cases/${submitted.body.caseId}`);

    const triaged = await eventually(async () => {
      const answer = await call(stack, 'GET', location, { roles: SUPPORT });
      return answer.body.status === 'OPEN' ? answer.body : undefined;
    }, 15_000);
    expect(triaged).toMatchObject({ tier: 1, orderId, slaBreached: false, customer: { email: 'ada.e2e@example.com' } });
    expect(Date.parse(triaged.firstResponseDueAt) - Date.parse(triaged.createdAt)).toBe(4 * 3_600_000);

    // Support finds the customer and sees the order and the case in the timeline, newest first.
    const found = await call(stack, 'GET', '/v1/customers?email=ADA.E2E@example.com', { roles: SUPPORT });
    expect(found.body.items).toEqual([
      { customerId: triaged.customerId, name: 'Ada Lovelace', email: 'ada.e2e@example.com' },
    ]);
    const timeline = await call(stack, 'GET', `/v1/customers/${triaged.customerId}/timeline`, { roles: SUPPORT });
    expect(timeline.body.items.map((entry: { type: string; id: string }) => `${entry.type}:${entry.id}`)).toEqual([
      `case:${submitted.body.caseId}`,
      `order:${orderId}`,
    ]);

    const act = (body: object, sub: string) =>
      call(stack, 'POST', `${location}/actions`, { roles: SUPPORT, sub, body });
    expect((await act({ action: 'assign', assignee: 'agent-7' }, 'lead-1')).body).toMatchObject({
      status: 'IN_PROGRESS',
      assignee: 'agent-7',
    });
    expect(
      (await act({ action: 'comment', note: 'A replacement is on its way.' }, 'agent-7')).body.firstRespondedAt,
    ).toEqual(expect.any(String));
    expect((await act({ action: 'reopen' }, 'agent-7')).status).toBe(409);
    const resolved = await act({ action: 'resolve', resolution: 'Replacement delivered.' }, 'agent-7');
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) });

    const mine = await call(stack, 'GET', '/v1/cases?assignee=agent-7&status=RESOLVED', { roles: SUPPORT });
    expect(mine.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([submitted.body.caseId]);

    // The scheduled job runs now: nothing is due yet. A week and a day later the case closes, once.
    await stack.runJob('sla-monitor');
    expect((await call(stack, 'GET', location, { roles: SUPPORT })).body.status).toBe('RESOLVED');
    const weekLater = new Date(Date.parse(resolved.body.resolvedAt) + 8 * DAY_MS);
    const closing = await stack.runJob('sla-monitor', {}, weekLater);
    const again = await stack.runJob('sla-monitor', {}, new Date(weekLater.getTime() + 300_000));
    expect(closing).toMatchObject({ closed: 1, failed: 0 });
    expect(again).toMatchObject({ due: 0 });

    const closed = await call(stack, 'GET', location, { roles: FRONT_OFFICE });
    expect(closed.body).toMatchObject({ status: 'CLOSED', slaBreached: false });
    expect(
      closed.body.history.map((line: { action: string; actor: string }) => `${line.action}:${line.actor}`),
    ).toEqual([
      'submitted:front-1',
      'triaged:system:support-triage',
      'assign:lead-1',
      'comment:agent-7',
      'resolve:agent-7',
      'closed:system:sla-monitor',
    ]);
    expect((await act({ action: 'comment', note: 'Hello?' }, 'agent-7')).status).toBe(409);

    // The day's support report counts it, and names the complained-about SKU through the order.
    const today = new Date().toISOString().slice(0, 10);
    expect((await call(stack, 'POST', `/v1/reports/support-daily/${today}/run`, { roles: SUPPORT })).status).toBe(202);
    const report = await eventually(async () => {
      const answer = await call(stack, 'GET', `/v1/reports/support-daily/${today}`, { roles: SUPPORT });
      return answer.status === 200 ? answer.body : undefined;
    }, 15_000);
    expect(report).toMatchObject({
      casesOpened: 1,
      casesResolved: 1,
      topComplaintSkus: [{ sku: 'E2E-KETTLE', complaints: 1 }],
    });
  });

  it('lets an employee file an IT ticket that IT works and only they and IT can read', async () => {
    const filed = await call(stack, 'POST', '/v1/it-tickets', {
      roles: ['hr'],
      sub: 'emp-e2e',
      body: { category: 'access', priority: 'urgent', subject: 'Locked out', description: 'Password expired.' },
    });
    expect(filed.status).toBe(202);
    const location = filed.headers.get('location')!;
    await eventually(
      async () => (await call(stack, 'GET', location, { roles: ['it'] })).body.status === 'OPEN',
      15_000,
    );

    const worked = await call(stack, 'POST', `${location}/actions`, {
      roles: ['it'],
      body: { action: 'resolve', resolution: 'Reset.' },
    });
    const byRequester = await call(stack, 'GET', location, { roles: ['employee'], sub: 'emp-e2e' });
    const byColleague = await call(stack, 'GET', location, { roles: ['employee'], sub: 'emp-other' });

    expect(worked.body).toMatchObject({ status: 'RESOLVED', requester: 'emp-e2e' });
    expect(byRequester.body.status).toBe('RESOLVED');
    expect(byColleague.status).toBe(404);
  });
});
