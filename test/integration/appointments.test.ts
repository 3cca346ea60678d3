import { describe, expect, it } from 'vitest';
import { handler as bookAppointment } from '../../functions/appointments/book-appointment.ts';
import { handler as getAppointment } from '../../functions/appointments/get-appointment.ts';
import { handler as listAppointments } from '../../functions/appointments/list-appointments.ts';
import { handler as cancelAppointment } from '../../functions/appointments/cancel-appointment.ts';
import { handler as putResource } from '../../functions/appointments/put-resource.ts';
import { handler as listResources } from '../../functions/appointments/list-resources.ts';
import { handler as customerTimeline } from '../../functions/support/get-customer-timeline.ts';
import { bookingSchema } from '#shared/domain/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { opsSummary } from '#shared/services/ops-summary.ts';
import { testClients, testQueue, testResources } from '../support/index.ts';
import { auditOf, call, freshEmail } from './support-fixtures.ts';

const DAY_MS = 86_400_000;
/** A UTC day `days` from today, so bookings through the routes (real clock) are never in the past. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}
const DAY = dayFromNow(10);
const at = (time: string, day = DAY) => `${day}T${time}:00Z`;
const iso = (time: string, day = DAY) => `${day}T${time}:00.000Z`;

let resources = 0;
/** A resource id no other test of the run uses, so its schedule holds only this test's bookings. */
function freshResource(name = 'room'): string {
  return `${name}-${Date.now().toString(36)}-${++resources}`;
}

function bookingBody(overrides: Record<string, unknown> = {}) {
  return {
    resourceId: 'room-x',
    customer: { name: 'Ada Lovelace', email: freshEmail('appt') },
    start: at('10:00'),
    end: at('11:00'),
    purpose: 'Second opinion on a private matter',
    ...overrides,
  };
}

function book(body: unknown, options: { roles?: string[]; sub?: string; headers?: Record<string, string> } = {}) {
  return call(bookAppointment, {
    method: 'POST',
    path: '/v1/appointments',
    roles: ['front-office'],
    sub: 'front-1',
    body,
    ...options,
  });
}

function read(appointmentId: string, roles = ['front-office']) {
  return call(getAppointment, { path: `/v1/appointments/${appointmentId}`, roles });
}

function cancel(appointmentId: string, roles = ['front-office']) {
  return call(cancelAppointment, {
    method: 'DELETE',
    path: `/v1/appointments/${appointmentId}`,
    roles,
    sub: 'front-1',
  });
}

function list(query: Record<string, string | number | undefined>, roles = ['front-office']) {
  return call(listAppointments, { path: '/v1/appointments', roles, query });
}

function declare(resourceId: string, body: unknown, roles = ['admin']) {
  return call(putResource, {
    method: 'PUT',
    path: `/v1/appointments/resources/${resourceId}`,
    roles,
    sub: 'admin-1',
    body,
  });
}

async function booked(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await book(bookingBody(overrides));
  expect(answer.status).toBe(201);
  return answer.body.appointmentId;
}

const idsOf = (answer: { body: { items: { appointmentId: string }[] } }) =>
  answer.body.items.map((item) => item.appointmentId);
const paths = (answer: { body: { errors?: { path: string }[] } }) =>
  (answer.body.errors ?? []).map((e) => e.path).sort();
const wholeDay = (resourceId: string, day = DAY) => ({ resourceId, from: day, to: day });

describe('booking', () => {
  it('answers 201 with a Location and reads back; its audit event holds no personal data', async () => {
    const resourceId = freshResource();
    const body = bookingBody({ resourceId, customer: { name: 'Grace Hopper', email: ' Grace.Appt@Example.com ' } });

    const answer = await book(body);
    const appointment = await read(answer.body.appointmentId);
    const bySupport = await read(answer.body.appointmentId, ['support']);

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ appointmentId: expect.stringMatching(/^apt_/) });
    expect(answer.headers.location).toBe(`/v1/appointments/${answer.body.appointmentId}`);
    expect(appointment.status).toBe(200);
    expect(appointment.body).toEqual({
      appointmentId: answer.body.appointmentId,
      resourceId,
      customerId: expect.stringMatching(/^cus_/),
      customer: { name: 'Grace Hopper', email: 'grace.appt@example.com' },
      start: iso('10:00'),
      end: iso('11:00'),
      purpose: 'Second opinion on a private matter',
      status: 'BOOKED',
      createdAt: expect.any(String),
    });
    expect(bySupport.status).toBe(200);
    const events = await auditOf(answer.body.appointmentId);
    expect(events.map((e) => [e.action, e.status, e.actor])).toEqual([['appointment.booked', 'BOOKED', 'front-1']]);
    expect(JSON.stringify(events)).not.toMatch(/private matter|grace|Hopper/i);
  });

  it('refuses a time another booking of the resource holds with 409, whole or in part, writing nothing', async () => {
    const resourceId = freshResource();
    const first = await booked({ resourceId, start: at('10:00'), end: at('11:00') });

    const same = await book(bookingBody({ resourceId, start: at('10:00'), end: at('11:00') }));
    const tail = await book(bookingBody({ resourceId, start: at('10:45'), end: at('11:00') }));
    const around = await book(bookingBody({ resourceId, start: at('09:00'), end: at('12:00') }));
    const before = await book(bookingBody({ resourceId, start: at('09:00'), end: at('10:00') }));
    const after = await book(bookingBody({ resourceId, start: at('11:00'), end: at('11:15') }));
    const elsewhere = await book(bookingBody({ resourceId: freshResource(), start: at('10:00'), end: at('11:00') }));

    for (const refused of [same, tail, around]) {
      expect(refused.status).toBe(409);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.body.detail).toContain(resourceId);
      expect(refused.body.detail).toContain('already booked');
    }
    expect(same.body.detail).not.toContain(first);
    expect([before.status, after.status, elsewhere.status]).toEqual([201, 201, 201]);
    expect(idsOf(await list(wholeDay(resourceId)))).toEqual([
      before.body.appointmentId,
      first,
      after.body.appointmentId,
    ]);
  });

  it('lists every bad field with 400, refuses a start in the past naming start, and writes nothing', async () => {
    const resourceId = freshResource();

    const bad = await book({
      resourceId: 'a#b',
      customer: { name: '', email: 'nope' },
      start: at('10:10'),
      end: at('19:00'),
      purpose: '',
    });
    const tooLong = await book(bookingBody({ resourceId, start: at('08:00'), end: at('16:15') }));
    const backwards = await book(bookingBody({ resourceId, start: at('11:00'), end: at('10:00') }));
    const past = await book(
      bookingBody({ resourceId, start: at('10:00', dayFromNow(-1)), end: at('11:00', dayFromNow(-1)) }),
    );
    const missing = await book({});

    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['customer.email', 'customer.name', 'purpose', 'resourceId', 'start']);
    expect(paths(tooLong)).toEqual(['end']);
    expect(paths(backwards)).toEqual(['end']);
    expect(past.status).toBe(400);
    expect(paths(past)).toEqual(['start']);
    expect(paths(missing)).toEqual(['customer', 'end', 'purpose', 'resourceId', 'start']);
    expect(idsOf(await list({ resourceId, from: dayFromNow(-1), to: DAY }))).toEqual([]);
  });

  it('replays the first answer for the same Idempotency-Key and body, and 422 for another body', async () => {
    const resourceId = freshResource();
    const headers = { 'idempotency-key': `book-${resourceId}` };
    const body = bookingBody({ resourceId });

    const first = await book(body, { headers });
    const again = await book(body, { headers });
    const other = await book(bookingBody({ resourceId, start: at('14:00'), end: at('15:00') }), { headers });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(other.status).toBe(422);
    expect(idsOf(await list(wholeDay(resourceId)))).toEqual([first.body.appointmentId]);
  });

  it('ten parallel requests with one key book once and all answer 201 with that booking', async () => {
    const resourceId = freshResource();
    const headers = { 'idempotency-key': `parallel-${resourceId}` };
    const body = bookingBody({ resourceId });

    const answers = await Promise.all(Array.from({ length: 10 }, () => book(body, { headers })));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.appointmentId)).size).toBe(1);
    expect(idsOf(await list(wholeDay(resourceId)))).toEqual([answers[0]!.body.appointmentId]);
  });

  it('needs front-office (or admin) to book', async () => {
    const refused = await book(bookingBody({ resourceId: freshResource() }), { roles: ['support'] });
    const byAdmin = await book(bookingBody({ resourceId: freshResource() }), { roles: ['admin'] });

    expect(refused.status).toBe(403);
    expect(byAdmin.status).toBe(201);
  });

  it("shows on the customer's timeline with its resource and times, not its purpose", async () => {
    const email = freshEmail('timeline-appt');
    const resourceId = freshResource();
    const appointmentId = await booked({ resourceId, customer: { name: 'Ada', email } });
    const { customerId } = (await read(appointmentId)).body;

    const timeline = await call(customerTimeline, {
      path: `/v1/customers/${customerId}/timeline`,
      roles: ['support'],
    });

    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toEqual([
      {
        type: 'appointment',
        id: appointmentId,
        createdAt: expect.any(String),
        status: 'BOOKED',
        resourceId,
        start: iso('10:00'),
        end: iso('11:00'),
      },
    ]);
  });
});

describe('cancelling', () => {
  it('makes the appointment CANCELLED, frees its time at once, and a second DELETE is a 409', async () => {
    const resourceId = freshResource();
    const appointmentId = await booked({ resourceId, start: at('10:00'), end: at('12:00') });

    const cancelled = await cancel(appointmentId);
    const again = await cancel(appointmentId);
    const rebooked = await book(bookingBody({ resourceId, start: at('10:30'), end: at('11:30') }));

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ appointmentId, status: 'CANCELLED', cancelledAt: expect.any(String) });
    expect((await read(appointmentId)).body).toMatchObject({ status: 'CANCELLED' });
    expect(again.status).toBe(409);
    expect(rebooked.status).toBe(201);
    const events = await auditOf(appointmentId);
    expect(events.map((e) => [e.action, e.status])).toEqual([
      ['appointment.booked', 'BOOKED'],
      ['appointment.cancelled', 'CANCELLED'],
    ]);
    expect((await list(wholeDay(resourceId))).body.items.map((a: { status: string }) => a.status)).toEqual([
      'CANCELLED',
      'BOOKED',
    ]);
  });

  it('cancels once when two DELETEs race: one 200, one 409, one audit event', async () => {
    const appointmentId = await booked({ resourceId: freshResource() });

    const answers = await Promise.all([cancel(appointmentId), cancel(appointmentId)]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await auditOf(appointmentId)).filter((e) => e.action === 'appointment.cancelled')).toHaveLength(1);
  });

  it('answers 404 for an unknown appointment, and 403 without front-office', async () => {
    const appointmentId = await booked({ resourceId: freshResource() });

    expect((await cancel('apt_NOPE')).status).toBe(404);
    expect((await read('apt_NOPE')).status).toBe(404);
    expect((await cancel(appointmentId, ['support'])).status).toBe(403);
    expect((await read(appointmentId, ['accounting'])).status).toBe(403);
  });
});

describe('the list of a resource', () => {
  it('pages oldest first across the range [from, to), with a signed cursor', async () => {
    const resourceId = freshResource();
    const ids = [];
    for (const [start, end] of [
      ['09:00', '09:30'],
      ['10:00', '10:15'],
      ['11:00', '12:00'],
    ]) {
      ids.push(await booked({ resourceId, start: at(start!), end: at(end!) }));
    }
    const nextDay = await booked({ resourceId, start: at('09:00', dayFromNow(11)), end: at('10:00', dayFromNow(11)) });

    const first = await list({ ...wholeDay(resourceId), limit: 2 });
    const second = await list({ ...wholeDay(resourceId), limit: 2, cursor: first.body.nextCursor });
    const upTo11 = await list({ resourceId, from: at('09:00'), to: at('11:00') });
    const bySupport = await list({ resourceId, from: DAY, to: dayFromNow(11) }, ['support']);

    expect(idsOf(first)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(idsOf(second)).toEqual(ids.slice(2));
    expect(idsOf(upTo11)).toEqual(ids.slice(0, 2));
    expect(idsOf(bySupport)).toEqual([...ids, nextDay]);
  });

  it('refuses a range over 31 days, a missing or reversed range, and a cursor of another range, with 400', async () => {
    const resourceId = freshResource();
    await booked({ resourceId, start: at('09:00'), end: at('09:15') });
    await booked({ resourceId, start: at('10:00'), end: at('10:15') });
    const paged = await list({ ...wholeDay(resourceId), limit: 1 });

    const tooWide = await list({ resourceId, from: '2030-01-01', to: '2030-02-01' });
    const widest = await list({ resourceId, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' });
    const missing = await list({});
    const reversed = await list({ resourceId, from: at('10:00'), to: at('09:00') });
    const otherRange = await list({ resourceId, from: DAY, to: dayFromNow(12), cursor: paged.body.nextCursor });

    expect(tooWide.status).toBe(400);
    expect(paths(tooWide)).toEqual(['query.to']);
    expect(widest.status).toBe(200);
    expect(paths(missing)).toEqual(['query.from', 'query.resourceId', 'query.to']);
    expect(paths(reversed)).toEqual(['query.to']);
    expect(otherRange.status).toBe(400);
    expect(paths(otherRange)).toEqual(['cursor']);
  });
});

describe('resources and opening hours', () => {
  // DAY's weekday, so the hours below apply to it.
  const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${DAY}T00:00:00Z`).getUTCDay()]!;
  const hours = { [weekday]: [{ from: '09:00', to: '17:00' }] };

  it('declares a resource (201), replaces it (200), lists it, and needs admin to change it', async () => {
    const resourceId = freshResource('desk');

    const created = await declare(resourceId, { name: 'Desk', openingHours: hours });
    const replaced = await declare(resourceId, { name: 'Front desk', openingHours: hours });
    const byFrontOffice = await declare(resourceId, { name: 'Mine', openingHours: hours }, ['front-office']);
    const bad = await declare(resourceId, { name: '', openingHours: { mon: [{ from: '17:00', to: '09:00' }] } });
    const listed = await call(listResources, { path: '/v1/appointments/resources', roles: ['front-office'] });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ resourceId, name: 'Desk', openingHours: hours });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'Front desk', createdAt: created.body.createdAt });
    expect(byFrontOffice.status).toBe(403);
    expect(paths(bad)).toEqual(['name', 'openingHours.mon.0.to']);
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((r: { resourceId: string }) => r.resourceId === resourceId)).toMatchObject({
      name: 'Front desk',
    });
    expect((await auditOf(resourceId)).map((e) => [e.action, e.changes])).toEqual([
      ['appointmentResource.created', ['name', 'openingHours']],
      ['appointmentResource.updated', ['name']],
    ]);
  });

  it('books a declared resource only within its hours (409 across a closing time); others at any time', async () => {
    const resourceId = freshResource('adviser');
    expect((await declare(resourceId, { name: 'Adviser', openingHours: hours })).status).toBe(201);

    const inside = await book(bookingBody({ resourceId, start: at('16:00'), end: at('17:00') }));
    const acrossClosing = await book(bookingBody({ resourceId, start: at('16:30'), end: at('17:30') }));
    const beforeOpening = await book(bookingBody({ resourceId, start: at('08:00'), end: at('09:00') }));
    const undeclared = await book(bookingBody({ resourceId: freshResource(), start: at('02:00'), end: at('03:00') }));

    expect(inside.status).toBe(201);
    expect(acrossClosing.status).toBe(409);
    expect(acrossClosing.body.detail).toContain('not open');
    expect(beforeOpening.status).toBe(409);
    expect(undeclared.status).toBe(201);
  });

  it('keeps bookings made before the hours change', async () => {
    const resourceId = freshResource('clinic');
    await declare(resourceId, { name: 'Clinic', openingHours: hours });
    const early = await booked({ resourceId, start: at('09:00'), end: at('10:00') });

    await declare(resourceId, { name: 'Clinic', openingHours: { [weekday]: [{ from: '12:00', to: '17:00' }] } });
    const nowRefused = await book(bookingBody({ resourceId, start: at('10:00'), end: at('11:00') }));

    expect((await read(early)).body.status).toBe('BOOKED');
    expect(nowRefused.status).toBe(409);
  });
});

describe("today's appointments in the ops summary", () => {
  it('counts the day’s bookings still booked, not cancelled ones nor other days', async () => {
    const day = '2031-03-03';
    const clock = { now: new Date(`${day}T07:00:00.000Z`) };
    const { doc, sqs } = testClients();
    const tableName = testResources().tableName;
    const service = makeAppointmentService({ doc, tableName, now: () => clock.now });
    const context = { actor: 'front-1', correlationId: 'ops-appointments' };
    const bookOn = (start: string, end: string) =>
      service.book(
        bookingSchema.parse(
          bookingBody({ resourceId: freshResource(), start, end, customer: { name: 'A', email: 'a@b.co' } }),
        ),
        context,
      );
    await bookOn(`${day}T09:00:00Z`, `${day}T10:00:00Z`);
    await bookOn(`${day}T23:45:00Z`, '2031-03-04T00:30:00Z');
    const cancelled = await bookOn(`${day}T11:00:00Z`, `${day}T12:00:00Z`);
    await bookOn('2031-03-04T09:00:00Z', '2031-03-04T10:00:00Z');
    await service.cancel(cancelled.appointmentId, 'front-1');
    const queue = testQueue('orders');

    const summary = await opsSummary({
      doc,
      sqs,
      tableName,
      queues: [{ name: 'orders', url: queue.url, dlqUrl: queue.dlqUrl }],
      now: () => new Date(`${day}T12:00:00.000Z`),
    });

    expect(summary.appointmentsToday).toBe(2);
  });
});
