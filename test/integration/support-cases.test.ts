import { beforeEach, describe, expect, it } from 'vitest';
import { handler as submitCase } from '../../functions/support/submit-case.ts';
import { handler as getCase } from '../../functions/support/get-case.ts';
import { handler as listCases } from '../../functions/support/list-cases.ts';
import { handler as actOnCase } from '../../functions/support/act-on-case.ts';
import { handler as triage } from '../../functions/support/triage.ts';
import { DESK_ACTIONS, DESK_STATUSES, TRANSITIONS, type DeskAction, type DeskStatus } from '#shared/domain/desk.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { drainQueue, invokeProcessor, pumpQueue, testClients, testResources } from '../support/index.ts';
import {
  auditOf,
  call,
  caseBody,
  clockAt,
  deskAt,
  emailOfLength,
  freshEmail,
  openCase,
  readRecord,
} from './support-fixtures.ts';

const FRONT_OFFICE = ['front-office'];
const SUPPORT = ['support'];

function submit(body: unknown, options: { headers?: Record<string, string>; roles?: string[]; sub?: string } = {}) {
  return call(submitCase, { method: 'POST', path: '/v1/cases', roles: FRONT_OFFICE, body, ...options });
}

function act(caseId: string, body: unknown, options: { roles?: string[]; sub?: string } = {}) {
  return call(actOnCase, {
    method: 'POST',
    path: `/v1/cases/${caseId}/actions`,
    roles: SUPPORT,
    sub: 'agent-1',
    body,
    ...options,
  });
}

function read(caseId: string, roles = SUPPORT) {
  return call(getCase, { path: `/v1/cases/${caseId}`, roles });
}

function list(query: Record<string, string | number | undefined>) {
  return call(listCases, { path: '/v1/cases', roles: SUPPORT, query });
}

/** Submits over HTTP and lets the triage processor take the queued message. */
async function submittedAndTriaged(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await submit(caseBody(overrides));
  expect(answer.status).toBe(202);
  await pumpQueue('support', triage);
  return answer.body.caseId;
}

const customers = () => makeCustomerStore({ doc: testClients().doc, tableName: testResources().tableName });

beforeEach(async () => {
  await drainQueue('support');
});

describe('case intake', () => {
  it(
    'accepts a case with 202 NEW and a Location, queues it for triage, and writes customer, ' +
      'timeline entry and audit',
    async () => {
      const body = caseBody({ customer: { name: 'Ada', email: 'Ada.Case@Example.com' } });

      const answer = await submit(body, { headers: { 'x-correlation-id': 'corr-case-1' }, sub: 'front-1' });
      const queued = await drainQueue<{ type: string; id: string; correlationId: string }>('support');

      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ caseId: expect.stringMatching(/^cas_/), status: 'NEW' });
      expect(answer.headers.location).toBe(`/v1/cases/${answer.body.caseId}`);
      expect(queued).toEqual([
        expect.objectContaining({ type: 'case.submitted', id: answer.body.caseId, correlationId: 'corr-case-1' }),
      ]);
      const stored = await readRecord('case', answer.body.caseId);
      const customerId = await customers().findCustomerIdByEmail('ada.case@example.com');
      expect(stored).toMatchObject({
        status: 'NEW',
        customerId,
        customer: { email: 'ada.case@example.com' },
        slaBreached: false,
      });
      const timeline = await customers().listCustomerRecords(customerId!, { limit: 10 });
      expect(timeline.items.map((item) => item.gsi2sk)).toEqual([`${stored!.createdAt}#CASE#${answer.body.caseId}`]);
      expect((await auditOf(answer.body.caseId)).map((e) => [e.action, e.actor, e.status])).toEqual([
        ['case.submitted', 'front-1', 'NEW'],
      ]);
      expect((await auditOf(customerId!)).map((e) => e.action)).toEqual(['customer.created']);
    },
  );

  it('reuses the customer id an order gave the same email', async () => {
    const email = freshEmail();
    const first = await submit(caseBody({ customer: { name: 'Ada', email } }));
    const second = await submit(caseBody({ customer: { name: 'Ada', email: email.toUpperCase() } }));

    const [a, b] = await Promise.all([readRecord('case', first.body.caseId), readRecord('case', second.body.caseId)]);

    expect(a!.kind === 'case' && a!.customerId).toMatch(/^cus_/);
    expect(b!.kind === 'case' && b!.customerId).toBe(a!.kind === 'case' && a!.customerId);
  });

  it('defaults the priority to normal and stores no unknown field', async () => {
    const { priority: _priority, ...withoutPriority } = caseBody();

    const answer = await submit({ ...withoutPriority, internalScore: 7 });
    const stored = await readRecord('case', answer.body.caseId);

    expect(stored).toMatchObject({ priority: 'normal' });
    expect(stored).not.toHaveProperty('internalScore');
  });

  it('lists every bad field in a 400 and writes and queues nothing', async () => {
    const email = freshEmail();

    const answer = await submit({
      customer: { name: '', email },
      category: 'rant',
      priority: 'asap',
      subject: 's'.repeat(201),
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'category',
      'customer.name',
      'description',
      'priority',
      'subject',
    ]);
    expect(await customers().findCustomerIdByEmail(email)).toBeUndefined();
    expect(await drainQueue('support')).toEqual([]);
  });

  it('refuses roles other than front-office with 403 and no token with 401', async () => {
    const forbidden = await submit(caseBody(), { roles: ['support'] });
    const anonymous = await call(submitCase, { method: 'POST', path: '/v1/cases', body: caseBody() });

    expect([forbidden.status, anonymous.status]).toEqual([403, 401]);
    expect(await drainQueue('support')).toEqual([]);
  });

  it('replays the first answer for the same Idempotency-Key and body, and refuses another body with 422', async () => {
    const body = caseBody();
    const headers = { 'idempotency-key': `case-key-${Date.now()}` };

    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(body, { headers })));
    const different = await submit({ ...body, subject: 'Something else' }, { headers });

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
    expect(different.status).toBe(422);
    expect(await drainQueue('support')).toHaveLength(1);
  });
});

describe('triage', () => {
  it(
    'opens the case at tier 1 with deadlines from its priority, counted from the submission; ' +
      'redelivery changes nothing',
    async () => {
      const answer = await submit(caseBody({ priority: 'urgent' }));
      const [message] = await drainQueue('support');

      const first = await invokeProcessor(triage, [message], 'support');
      const again = await invokeProcessor(triage, [message], 'support');
      const triaged = await readRecord('case', answer.body.caseId);

      expect([...first.failedIds, ...again.failedIds]).toEqual([]);
      expect(triaged).toMatchObject({ status: 'OPEN', tier: 1, version: 2 });
      expect(Date.parse(triaged!.firstResponseDueAt!) - Date.parse(triaged!.createdAt)).toBe(3_600_000);
      expect(Date.parse(triaged!.resolutionDueAt!) - Date.parse(triaged!.createdAt)).toBe(4 * 3_600_000);
      expect((await auditOf(answer.body.caseId)).map((e) => e.action)).toEqual(['case.submitted', 'case.triaged']);
    },
  );

  it('copies the SKUs of the order a complaint names, for the daily report', async () => {
    const orders = makeOrderService({ doc: testClients().doc, tableName: testResources().tableName, currency: 'USD' });
    const { orderId } = await orders.submitOrder(
      {
        customer: { name: 'Ada', email: freshEmail() },
        lines: [
          { sku: 'SKU-A', quantity: 1 },
          { sku: 'SKU-B', quantity: 2 },
        ],
      },
      { actor: 'front-1', correlationId: 'c' },
    );

    const caseId = await submittedAndTriaged({ orderId });
    const unknownOrder = await submittedAndTriaged({ orderId: 'ord_NOPE' });

    expect(await readRecord('case', caseId)).toMatchObject({ orderId, orderSkus: ['SKU-A', 'SKU-B'] });
    expect(await readRecord('case', unknownOrder)).not.toHaveProperty('orderSkus');
  });
});

describe('reading a case', () => {
  it('answers the case with its history from submission through triage, for support and front-office', async () => {
    const caseId = await submittedAndTriaged({ priority: 'low', orderId: 'ord_X' });

    const bySupport = await read(caseId);
    const byFrontOffice = await read(caseId, FRONT_OFFICE);

    expect(bySupport.status).toBe(200);
    expect(bySupport.body).toMatchObject({
      caseId,
      status: 'OPEN',
      category: 'complaint',
      priority: 'low',
      subject: 'Parcel arrived damaged',
      description: expect.any(String),
      customer: { name: 'Ada Lovelace' },
      customerId: expect.stringMatching(/^cus_/),
      orderId: 'ord_X',
      tier: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      firstResponseDueAt: expect.any(String),
      resolutionDueAt: expect.any(String),
      slaBreached: false,
    });
    expect(bySupport.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['submitted', 'test-user'],
      ['triaged', 'system:support-triage'],
    ]);
    expect(bySupport.body).not.toHaveProperty('assignee');
    expect(byFrontOffice.body).toEqual(bySupport.body);
  });

  it('shows null deadlines and tier before triage', async () => {
    const answer = await submit(caseBody());

    const shown = await read(answer.body.caseId);

    expect(shown.body).toMatchObject({ status: 'NEW', tier: null, firstResponseDueAt: null, resolutionDueAt: null });
  });

  it('answers 404 for an unknown case and 403 for a role that may not read cases', async () => {
    const caseId = await submittedAndTriaged();

    expect((await read('cas_UNKNOWN')).status).toBe(404);
    expect((await read(caseId, ['inventory'])).status).toBe(403);
  });
});

/** Drives a fresh case into `status`: over HTTP where an action gets there, through the monitor for CLOSED. */
async function caseIn(status: DeskStatus): Promise<string> {
  if (status === 'CLOSED') {
    const clock = clockAt(new Date(Date.now() - 9 * 24 * 3_600_000).toISOString());
    const desk = deskAt(clock);
    const caseId = await openCase(desk);
    await desk.act('case', caseId, { action: 'resolve', resolution: 'Done.' }, 'agent-1');
    await desk.runMonitor(clock.advance(8 * 24 * 60), 'system:test');
    return caseId;
  }
  if (status === 'NEW') return (await submit(caseBody())).body.caseId;
  const caseId = await submittedAndTriaged();
  const path: Record<string, object[]> = {
    OPEN: [],
    IN_PROGRESS: [{ action: 'assign', assignee: 'agent-1' }],
    ESCALATED: [{ action: 'escalate', note: 'Tier 2 please.' }],
    RESOLVED: [{ action: 'resolve', resolution: 'Refunded.' }],
  };
  for (const step of path[status]!) expect((await act(caseId, step)).status).toBe(200);
  return caseId;
}

const BODIES: Record<DeskAction, object> = {
  assign: { action: 'assign', assignee: 'agent-2' },
  comment: { action: 'comment', note: 'We are on it.' },
  escalate: { action: 'escalate', note: 'Needs a specialist.' },
  resolve: { action: 'resolve', resolution: 'Replacement sent.' },
  reopen: { action: 'reopen', note: 'Customer wrote back.' },
};

describe('actions from every state (the action table in docs/contract.md#customer-support)', () => {
  const cells = DESK_STATUSES.flatMap((from) =>
    DESK_ACTIONS.map((action) => [from, action, TRANSITIONS[from][action] ?? 409] as const),
  );

  it.each(cells)('%s + %s → %s', async (from, action, expected) => {
    const caseId = await caseIn(from);
    const before = await readRecord('case', caseId);
    expect(before?.status).toBe(from);

    const answer = await act(caseId, BODIES[action]);
    const after = await readRecord('case', caseId);

    if (expected === 409) {
      expect(answer.status).toBe(409);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(after).toEqual(before);
    } else {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ caseId, status: expected });
      expect(answer.body.history.at(-1)).toMatchObject({ action, actor: 'agent-1', status: expected });
      expect(after).toMatchObject({ status: expected, version: before!.version + 1 });
      expect((await auditOf(caseId)).at(-1)).toMatchObject({ actor: 'agent-1', entityType: 'case', status: expected });
    }
  });
});

describe('actions', () => {
  it(
    'assigns, answers (first response), escalates to tier 2, resolves and reopens, ' +
      'all in the history and the audit log',
    async () => {
      const caseId = await submittedAndTriaged();

      const assigned = await act(caseId, { action: 'assign', assignee: 'agent-7' });
      const commented = await act(caseId, { action: 'comment', note: 'Looking into it.' });
      await act(caseId, { action: 'comment', note: 'Still looking.' });
      const escalated = await act(caseId, { action: 'escalate' });
      const resolved = await act(caseId, { action: 'resolve', resolution: 'Refunded in full.' });
      const reopened = await act(caseId, { action: 'reopen', note: 'Refund did not arrive.' });

      expect(assigned.body).toMatchObject({ status: 'IN_PROGRESS', assignee: 'agent-7' });
      expect(commented.body.firstRespondedAt).toBe(commented.body.history.at(-1).at);
      expect(escalated.body).toMatchObject({
        status: 'ESCALATED',
        tier: 2,
        firstRespondedAt: commented.body.firstRespondedAt,
      });
      expect(resolved.body).toMatchObject({
        status: 'RESOLVED',
        resolvedAt: expect.any(String),
        resolution: 'Refunded in full.',
      });
      expect(reopened.body).toMatchObject({ status: 'OPEN', tier: 2 });
      expect(reopened.body).not.toHaveProperty('resolvedAt');
      expect(
        (await read(caseId)).body.history.map((h: { action: string; note?: string; assignee?: string }) => [
          h.action,
          h.note ?? h.assignee ?? null,
        ]),
      ).toEqual([
        ['submitted', null],
        ['triaged', null],
        ['assign', 'agent-7'],
        ['comment', 'Looking into it.'],
        ['comment', 'Still looking.'],
        ['escalate', null],
        ['resolve', 'Refunded in full.'],
        ['reopen', 'Refund did not arrive.'],
      ]);
      expect((await auditOf(caseId)).map((e) => e.action)).toEqual([
        'case.submitted',
        'case.triaged',
        'case.assigned',
        'case.commented',
        'case.commented',
        'case.escalated',
        'case.resolved',
        'case.reopened',
      ]);
      expect(JSON.stringify(await auditOf(caseId))).not.toContain('Refunded in full.');
    },
  );

  it(
    'answers 400 for an unknown action or a missing field, 404 for an unknown case, ' + '403 for front-office',
    async () => {
      const caseId = await submittedAndTriaged();

      const unknown = await act(caseId, { action: 'delete' });
      const missing = await act(caseId, { action: 'resolve' });
      const notFound = await act('cas_UNKNOWN', { action: 'comment', note: 'Hello?' });
      const forbidden = await act(caseId, { action: 'comment', note: 'Hi' }, { roles: FRONT_OFFICE });

      expect(unknown.status).toBe(400);
      expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['action']);
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['resolution']);
      expect([notFound.status, forbidden.status]).toEqual([404, 403]);
      expect(await readRecord('case', caseId)).toMatchObject({ status: 'OPEN', version: 2 });
    },
  );

  it('records both of two agents acting at once', async () => {
    const caseId = await submittedAndTriaged();

    const [assign, comment] = await Promise.all([
      act(caseId, { action: 'assign', assignee: 'agent-1' }, { sub: 'agent-1' }),
      act(caseId, { action: 'comment', note: 'Replying to the customer.' }, { sub: 'agent-2' }),
    ]);
    const after = await read(caseId);

    expect([assign.status, comment.status]).toEqual([200, 200]);
    expect(after.body).toMatchObject({
      status: 'IN_PROGRESS',
      assignee: 'agent-1',
      firstRespondedAt: expect.any(String),
    });
    expect(
      after.body.history
        .slice(2)
        .map((h: { action: string; actor: string }) => `${h.actor}:${h.action}`)
        .sort(),
    ).toEqual(['agent-1:assign', 'agent-2:comment']);
    expect(await readRecord('case', caseId)).toMatchObject({ version: 4 });
  });

  it('loses none of ten comments posted at once', async () => {
    const caseId = await submittedAndTriaged();

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        act(caseId, { action: 'comment', note: `note ${i}` }, { sub: `agent-${i}` }),
      ),
    );
    const history = (await read(caseId)).body.history as { action: string; note: string }[];

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(
      history
        .filter((h) => h.action === 'comment')
        .map((h) => h.note)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `note ${i}`).sort());
    expect(await auditOf(caseId)).toHaveLength(12);
  }, 30_000);

  it('lets one of two simultaneous resolves win and refuses the other with 409', async () => {
    const caseId = await submittedAndTriaged();

    const answers = await Promise.all([
      act(caseId, { action: 'resolve', resolution: 'First.' }, { sub: 'agent-1' }),
      act(caseId, { action: 'resolve', resolution: 'Second.' }, { sub: 'agent-2' }),
    ]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await read(caseId)).body.history.filter((h: { action: string }) => h.action === 'resolve')).toHaveLength(1);
  });
});

describe('text limits (docs/contract.md#conventions)', () => {
  const long = (length: number) => 'x'.repeat(length);

  it.each([
    ['customer.name', (email: string) => ({ customer: { name: long(201), email } })],
    ['customer.email', () => ({ customer: { name: 'Ada', email: emailOfLength(255) } })],
    ['customer.phone', (email: string) => ({ customer: { name: 'Ada', email, phone: '7'.repeat(33) } })],
    ['subject', () => ({ subject: long(201) })],
    ['description', () => ({ description: long(5001) })],
  ])(
    'refuses a case whose %s is one character too long with 400 naming it, writing and queueing nothing',
    async (path, override) => {
      const email = freshEmail();
      const body = caseBody({ customer: { name: 'Ada', email }, ...override(email) });
      const writtenEmail = (body.customer as { email: string }).email;

      const answer = await submit(body);

      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
      expect(await customers().findCustomerIdByEmail(writtenEmail.toLowerCase())).toBeUndefined();
      expect(await drainQueue('support')).toEqual([]);
    },
  );

  it(
    'accepts a case at every limit exactly: name 200, email 254, phone 32, subject 200, ' + 'description 5000',
    async () => {
      const customer = { name: long(200), email: emailOfLength(254), phone: '7'.repeat(32) };

      const answer = await submit(caseBody({ customer, subject: long(200), description: long(5000) }));
      const shown = await read(answer.body.caseId);

      expect(answer.status).toBe(202);
      expect(shown.body).toMatchObject({ customer, subject: long(200), description: long(5000) });
      expect(customer.email).toHaveLength(254);
    },
  );

  const tooLong = [
    ['comment', 'note', 'OPEN', { action: 'comment', note: long(5001) }],
    ['resolve', 'resolution', 'OPEN', { action: 'resolve', resolution: long(5001) }],
    ['escalate', 'note', 'OPEN', { action: 'escalate', note: long(5001) }],
    ['reopen', 'note', 'RESOLVED', { action: 'reopen', note: long(5001) }],
    ['assign', 'assignee', 'OPEN', { action: 'assign', assignee: long(201) }],
  ] as const;

  it.each(tooLong)(
    'refuses %s with a %s one character too long with 400 naming it, changing nothing',
    async (_action, field, status, body) => {
      // The case is in a state that allows the action, so only the length can refuse it.
      const caseId = await caseIn(status);
      const before = await readRecord('case', caseId);
      const historyBefore = (await read(caseId)).body.history;
      const auditBefore = await auditOf(caseId);

      const answer = await act(caseId, body);

      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
      expect(await readRecord('case', caseId)).toEqual(before);
      expect((await read(caseId)).body.history).toEqual(historyBefore);
      expect(await auditOf(caseId)).toEqual(auditBefore);
    },
  );

  it.each([
    ['comment', 'OPEN', { action: 'comment', note: long(5000) }, { note: long(5000) }],
    ['resolve', 'OPEN', { action: 'resolve', resolution: long(5000) }, { note: long(5000) }],
    ['escalate', 'OPEN', { action: 'escalate', note: long(5000) }, { note: long(5000) }],
    ['reopen', 'RESOLVED', { action: 'reopen', note: long(5000) }, { note: long(5000) }],
    ['assign', 'OPEN', { action: 'assign', assignee: long(200) }, { assignee: long(200) }],
  ] as const)(
    'accepts %s with its text exactly at the limit and keeps it whole in the history',
    async (action, status, body, line) => {
      const caseId = await caseIn(status);

      const answer = await act(caseId, body);

      expect(answer.status).toBe(200);
      expect(answer.body.history.at(-1)).toMatchObject({ action, ...line });
      expect((await auditOf(caseId)).at(-1)?.action).toMatch(/^case\./);
    },
  );
});

describe('listing cases', () => {
  /** Every page of a list, following nextCursor. */
  async function all(
    query: Record<string, string | number | undefined>,
  ): Promise<{ caseId: string; priority: string; status: string }[]> {
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await list({ ...query, cursor });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  it(
    'lists by status, priority and assignee through the indexes, most urgent first, then oldest, ' + 'page by page',
    async () => {
      const assignee = `agent-list-${Date.now()}`;
      const low = await submittedAndTriaged({ priority: 'low' });
      const urgent = await submittedAndTriaged({ priority: 'urgent' });
      const normal = await submittedAndTriaged({ priority: 'normal' });
      const urgent2 = await submittedAndTriaged({ priority: 'urgent' });
      for (const caseId of [low, urgent2]) await act(caseId, { action: 'assign', assignee });
      await act(normal, { action: 'escalate' });
      const mine = [low, urgent, normal, urgent2];

      const open = (await all({ status: 'OPEN', limit: 1 })).filter((c) => mine.includes(c.caseId));
      const urgentOpen = await all({ status: 'OPEN', priority: 'urgent' });
      const assigned = await all({ assignee });
      const assignedUrgent = await all({ assignee, priority: 'urgent' });
      const assignedInProgress = await all({ assignee, status: 'IN_PROGRESS', limit: 1 });
      const anyStatus = (await all({ limit: 2 })).filter((c) => mine.includes(c.caseId));

      expect(open.map((c) => c.caseId)).toEqual([urgent]);
      expect(urgentOpen.map((c) => c.caseId)).toContain(urgent);
      expect(urgentOpen.every((c) => c.priority === 'urgent' && c.status === 'OPEN')).toBe(true);
      expect(assigned.map((c) => c.caseId)).toEqual([urgent2, low]);
      expect(assignedUrgent.map((c) => c.caseId)).toEqual([urgent2]);
      expect(assignedInProgress.map((c) => c.caseId)).toEqual([urgent2, low]);
      expect(anyStatus.map((c) => `${c.status}:${c.caseId}`)).toEqual([
        `OPEN:${urgent}`,
        `IN_PROGRESS:${urgent2}`,
        `IN_PROGRESS:${low}`,
        `ESCALATED:${normal}`,
      ]);
    },
  );

  it('answers summaries with the list shape, and 400 for a tampered cursor or a bad filter', async () => {
    await submittedAndTriaged();
    await submittedAndTriaged();

    const page = await list({ status: 'OPEN', limit: 1 });
    const [payload, signature] = (page.body.nextCursor as string).split('.');
    const tampered = await list({ status: 'OPEN', cursor: `${payload}x.${signature}` });
    const otherList = await list({ status: 'RESOLVED', cursor: page.body.nextCursor });
    const badFilter = await list({ status: 'SLEEPING', priority: 'meh' });

    expect(Object.keys(page.body).sort()).toEqual(['items', 'nextCursor']);
    expect(page.body.items[0]).toMatchObject({
      caseId: expect.any(String),
      status: 'OPEN',
      customerId: expect.any(String),
      slaBreached: false,
    });
    expect(page.body.items[0]).not.toHaveProperty('customer');
    expect(page.body.items[0]).not.toHaveProperty('description');
    expect([tampered.status, otherList.status, badFilter.status]).toEqual([400, 400, 400]);
    expect(badFilter.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.priority',
      'query.status',
    ]);
  });

  it('is for support only', async () => {
    expect((await call(listCases, { path: '/v1/cases', roles: FRONT_OFFICE })).status).toBe(403);
  });
});
