import { beforeEach, describe, expect, it } from 'vitest';
import { handler as submitTicket } from '../../functions/it/submit-ticket.ts';
import { handler as getTicket } from '../../functions/it/get-ticket.ts';
import { handler as listTickets } from '../../functions/it/list-tickets.ts';
import { handler as actOnTicket } from '../../functions/it/act-on-ticket.ts';
import { handler as triage } from '../../functions/support/triage.ts';
import { drainQueue, pumpQueue } from '../support/index.ts';
import { auditOf, call, clockAt, deskAt, openCase, readRecord, ticketBody } from './support-fixtures.ts';

const STAFF = ['employee', 'front-office', 'support', 'it', 'inventory', 'accounting', 'hr', 'ops'];

function file(body: unknown, options: { roles?: string[]; sub?: string; headers?: Record<string, string> } = {}) {
  return call(submitTicket, {
    method: 'POST',
    path: '/v1/it-tickets',
    roles: ['employee'],
    sub: 'emp-1',
    body,
    ...options,
  });
}

function read(ticketId: string, roles: string[], sub: string) {
  return call(getTicket, { path: `/v1/it-tickets/${ticketId}`, roles, sub });
}

function act(ticketId: string, body: unknown, roles = ['it']) {
  return call(actOnTicket, { method: 'POST', path: `/v1/it-tickets/${ticketId}/actions`, roles, sub: 'tech-1', body });
}

async function filedAndTriaged(overrides: Record<string, unknown> = {}, sub = 'emp-1'): Promise<string> {
  const answer = await file(ticketBody(overrides), { sub });
  expect(answer.status).toBe(202);
  await pumpQueue('support', triage);
  return answer.body.ticketId;
}

beforeEach(async () => {
  await drainQueue('support');
});

describe('IT tickets', () => {
  it(
    'are filed by any staff role for the caller, answered 202 NEW, ' + 'queued and triaged on the support queue',
    async () => {
      const answers = await Promise.all(
        STAFF.map((role, i) => file(ticketBody(), { roles: [role], sub: `staff-${i}` })),
      );
      const queued = await drainQueue<{ type: string; id: string }>('support');

      expect(answers.map((a) => a.status)).toEqual(STAFF.map(() => 202));
      expect(answers[0]!.body).toEqual({ ticketId: expect.stringMatching(/^tkt_/), status: 'NEW' });
      expect(answers[0]!.headers.location).toBe(`/v1/it-tickets/${answers[0]!.body.ticketId}`);
      expect(queued.map((m) => m.type)).toEqual(STAFF.map(() => 'ticket.submitted'));
      expect(await readRecord('ticket', answers[3]!.body.ticketId)).toMatchObject({
        requester: 'staff-3',
        status: 'NEW',
      });
    },
  );

  it('replay the first answer for a repeated Idempotency-Key, per caller', async () => {
    const headers = { 'idempotency-key': 'ticket-key-1' };

    const first = await file(ticketBody(), { headers, sub: 'emp-key' });
    const again = await file(ticketBody(), { headers, sub: 'emp-key' });
    const otherCaller = await file(ticketBody(), { headers, sub: 'emp-other-key' });

    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(otherCaller.body.ticketId).not.toBe(first.body.ticketId);
    expect(await drainQueue('support')).toHaveLength(2);
  });

  it('take the requester from the token, never from the body, and list every bad field', async () => {
    const answer = await file({ ...ticketBody(), requester: 'someone-else' }, { sub: 'emp-9' });
    const bad = await file({ category: 'coffee', priority: 'now', subject: '', description: 'x'.repeat(5001) });

    expect(await readRecord('ticket', answer.body.ticketId)).toMatchObject({ requester: 'emp-9' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'category',
      'description',
      'priority',
      'subject',
    ]);
  });

  it(
    'refuse a subject over 200 or a description over 5000 characters, ' + 'and accept both exactly at the limit',
    async () => {
      const subject = 's'.repeat(200);
      const description = 'd'.repeat(5000);

      const longSubject = await file(ticketBody({ subject: `${subject}s` }));
      const longDescription = await file(ticketBody({ description: `${description}d` }));
      const atLimit = await file(ticketBody({ subject, description }));
      const queued = await drainQueue<{ id: string }>('support');

      expect([longSubject.status, longDescription.status]).toEqual([400, 400]);
      expect(longSubject.body.errors.map((e: { path: string }) => e.path)).toEqual(['subject']);
      expect(longDescription.body.errors.map((e: { path: string }) => e.path)).toEqual(['description']);
      expect(atLimit.status).toBe(202);
      expect(queued.map((m) => m.id)).toEqual([atLimit.body.ticketId]);
      expect(await readRecord('ticket', atLimit.body.ticketId)).toMatchObject({ subject, description });
    },
  );

  it('refuse an action note over 5000 characters with 400 naming note, changing nothing', async () => {
    const ticketId = await filedAndTriaged();
    const before = await readRecord('ticket', ticketId);
    const auditBefore = await auditOf(ticketId);

    const answer = await act(ticketId, { action: 'comment', note: 'n'.repeat(5001) });

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(['note']);
    expect(await readRecord('ticket', ticketId)).toEqual(before);
    expect(await auditOf(ticketId)).toEqual(auditBefore);
  });

  it('are read by it and by their requester; anyone else gets 404', async () => {
    const ticketId = await filedAndTriaged({}, 'emp-owner');

    const byRequester = await read(ticketId, ['employee'], 'emp-owner');
    const byIt = await read(ticketId, ['it'], 'tech-1');
    const byAdmin = await read(ticketId, ['admin'], 'root');
    const byOther = await read(ticketId, ['employee'], 'emp-other');
    const bySupport = await read(ticketId, ['support'], 'agent-1');

    expect(byRequester.status).toBe(200);
    expect(byRequester.body).toMatchObject({
      ticketId,
      status: 'OPEN',
      category: 'hardware',
      priority: 'normal',
      requester: 'emp-owner',
      tier: 1,
      slaBreached: false,
      firstResponseDueAt: expect.any(String),
      resolutionDueAt: expect.any(String),
    });
    expect(byRequester.body.history.map((h: { action: string }) => h.action)).toEqual(['submitted', 'triaged']);
    expect([byIt.status, byAdmin.status, byOther.status, bySupport.status]).toEqual([200, 200, 404, 404]);
  });

  it('are worked by it with the case actions and transitions; 409 when not allowed; 403 for other roles', async () => {
    const ticketId = await filedAndTriaged();

    const assigned = await act(ticketId, { action: 'assign', assignee: 'tech-1' });
    const commented = await act(ticketId, { action: 'comment', note: 'Reimaging tonight.' });
    const escalated = await act(ticketId, { action: 'escalate' });
    const twice = await act(ticketId, { action: 'escalate' });
    const resolved = await act(ticketId, { action: 'resolve', resolution: 'Reimaged.' });
    const bySupport = await act(ticketId, { action: 'reopen' }, ['support']);
    const reopened = await act(ticketId, { action: 'reopen' });

    expect([
      assigned.body.status,
      commented.body.status,
      escalated.body.status,
      resolved.body.status,
      reopened.body.status,
    ]).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'ESCALATED', 'RESOLVED', 'OPEN']);
    expect(commented.body.firstRespondedAt).toEqual(expect.any(String));
    expect(escalated.body.tier).toBe(2);
    expect([twice.status, bySupport.status]).toEqual([409, 403]);
    expect((await auditOf(ticketId)).map((e) => e.action)).toEqual([
      'ticket.submitted',
      'ticket.triaged',
      'ticket.assigned',
      'ticket.commented',
      'ticket.escalated',
      'ticket.resolved',
      'ticket.reopened',
    ]);
  });

  it('are listed by status for it only, and never mixed with cases', async () => {
    const urgent = await filedAndTriaged({ priority: 'urgent' });
    const low = await filedAndTriaged({ priority: 'low' });
    const resolved = await filedAndTriaged();
    await act(resolved, { action: 'resolve', resolution: 'Done.' });
    const caseId = await openCase(deskAt(clockAt(new Date().toISOString())));

    const open = await call(listTickets, { path: '/v1/it-tickets', roles: ['it'], query: { status: 'OPEN' } });
    const done = await call(listTickets, { path: '/v1/it-tickets', roles: ['it'], query: { status: 'RESOLVED' } });
    const forbidden = await call(listTickets, {
      path: '/v1/it-tickets',
      roles: ['support'],
      query: { status: 'OPEN' },
    });

    const openIds = open.body.items.map((t: { ticketId: string }) => t.ticketId);
    expect(openIds.indexOf(urgent)).toBeLessThan(openIds.indexOf(low));
    expect(
      open.body.items.every(
        (t: { status: string; ticketId?: string; caseId?: string }) => t.status === 'OPEN' && t.ticketId && !t.caseId,
      ),
    ).toBe(true);
    expect(done.body.items.map((t: { ticketId: string }) => t.ticketId)).toContain(resolved);
    expect(JSON.stringify(open.body)).not.toContain(caseId);
    expect(forbidden.status).toBe(403);
  });
});
