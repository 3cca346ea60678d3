import { describe, expect, it } from 'vitest';
import {
  bookingSchema,
  cancelAppointment,
  checkOpeningHours,
  checkStartNotPast,
  openingHoursSchema,
  putResource,
  resourceInputSchema,
  slotStarts,
  weekdayOf,
  withinOpeningHours,
  type Appointment,
  type OpeningHours,
  type Resource,
} from '#shared/domain/appointments.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { keys } from '#shared/keys.ts';

// 2026-12-07 is a Monday.
const MONDAY = '2026-12-07';

function booking(overrides: Record<string, unknown> = {}) {
  return {
    resourceId: 'room-1',
    customer: { name: 'Ada Lovelace', email: ' Ada@Example.com ' },
    start: `${MONDAY}T10:00:00Z`,
    end: `${MONDAY}T11:00:00Z`,
    purpose: 'Mortgage advice',
    ...overrides,
  };
}

function errorPaths(input: unknown): string[] {
  const result = bookingSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.')).sort();
}

describe('booking times', () => {
  it('takes instants on 15-minute boundaries in UTC and stores them in canonical form', () => {
    const parsed = bookingSchema.parse(booking({ start: `${MONDAY}T10:15Z`, end: `${MONDAY}T10:45:00.000Z` }));

    expect(parsed.start).toBe(`${MONDAY}T10:15:00.000Z`);
    expect(parsed.end).toBe(`${MONDAY}T10:45:00.000Z`);
    expect(parsed.customer.email).toBe('ada@example.com');
  });

  it('refuses an instant off the grid, with seconds or milliseconds, or not in UTC, naming the field', () => {
    expect(errorPaths(booking({ start: `${MONDAY}T10:10:00Z` }))).toEqual(['start']);
    expect(errorPaths(booking({ start: `${MONDAY}T10:00:30Z` }))).toEqual(['start']);
    expect(errorPaths(booking({ end: `${MONDAY}T11:00:00.001Z` }))).toEqual(['end']);
    expect(errorPaths(booking({ start: `${MONDAY}T10:00:00+01:00` }))).toEqual(['start']);
    expect(errorPaths(booking({ start: '2026-02-30T10:00:00Z' }))).toEqual(['start']);
    expect(errorPaths(booking({ start: 'tomorrow at ten' }))).toEqual(['start']);
  });

  it('wants the end after the start and at most 8 hours later', () => {
    expect(errorPaths(booking({ end: `${MONDAY}T10:00:00Z` }))).toEqual(['end']);
    expect(errorPaths(booking({ end: `${MONDAY}T09:45:00Z` }))).toEqual(['end']);
    expect(errorPaths(booking({ start: `${MONDAY}T09:00:00Z`, end: `${MONDAY}T17:00:00Z` }))).toEqual([]);
    expect(errorPaths(booking({ start: `${MONDAY}T09:00:00Z`, end: `${MONDAY}T17:15:00Z` }))).toEqual(['end']);
  });

  it('lists every bad field: resource id, customer, purpose', () => {
    expect(
      errorPaths({
        resourceId: 'room#1',
        customer: { name: '', email: 'nope' },
        start: `${MONDAY}T10:00:00Z`,
        end: `${MONDAY}T11:00:00Z`,
        purpose: 'p'.repeat(501),
      }),
    ).toEqual(['customer.email', 'customer.name', 'purpose', 'resourceId']);
    expect(errorPaths(booking({ resourceId: 'r'.repeat(101) }))).toEqual(['resourceId']);
    expect(errorPaths(booking({ purpose: '   ' }))).toEqual(['purpose']);
  });

  it('refuses a start in the past with 400 naming start, and takes a start at this very instant', () => {
    const now = new Date(`${MONDAY}T10:00:00.000Z`);

    expect(() => checkStartNotPast(`${MONDAY}T09:45:00.000Z`, now)).toThrow(InvalidInputError);
    try {
      checkStartNotPast(`${MONDAY}T09:45:00.000Z`, now);
    } catch (error) {
      expect((error as InvalidInputError).errors.map((e) => e.path)).toEqual(['start']);
    }
    expect(() => checkStartNotPast(`${MONDAY}T10:00:00.000Z`, now)).not.toThrow();
  });

  it('covers one slot per 15 minutes, start included, end excluded: 32 for 8 hours', () => {
    expect(slotStarts(`${MONDAY}T10:00:00.000Z`, `${MONDAY}T11:00:00.000Z`)).toEqual([
      `${MONDAY}T10:00:00.000Z`,
      `${MONDAY}T10:15:00.000Z`,
      `${MONDAY}T10:30:00.000Z`,
      `${MONDAY}T10:45:00.000Z`,
    ]);
    expect(slotStarts(`${MONDAY}T09:00:00.000Z`, `${MONDAY}T17:00:00.000Z`)).toHaveLength(32);
  });

  it('gives overlapping bookings a common slot key and back-to-back bookings none', () => {
    const slotKeys = (start: string, end: string) =>
      slotStarts(`${MONDAY}T${start}:00.000Z`, `${MONDAY}T${end}:00.000Z`).map(
        (slotStart) => keys.appointmentSlot.key({ resourceId: 'room-1', slotStart }).pk,
      );
    const long = slotKeys('10:00', '11:00');

    expect(slotKeys('10:45', '11:00').filter((key) => long.includes(key))).toEqual([
      `APPOINTMENT#SLOT#room-1#${MONDAY}T10:45:00.000Z`,
    ]);
    expect(slotKeys('11:00', '12:00').filter((key) => long.includes(key))).toEqual([]);
  });
});

describe('opening hours', () => {
  const hours: OpeningHours = {
    mon: [
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '17:00' },
    ],
    fri: [{ from: '20:00', to: '24:00' }],
    sat: [{ from: '00:00', to: '02:00' }],
  };
  const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

  it('reads the weekday in UTC', () => {
    expect(weekdayOf(at(MONDAY, '00:00'))).toBe('mon');
    expect(weekdayOf('2026-12-13T23:45:00.000Z')).toBe('sun');
  });

  it('takes a booking inside one interval, up to its closing time exactly', () => {
    expect(withinOpeningHours(hours, at(MONDAY, '09:00'), at(MONDAY, '12:00'))).toBe(true);
    expect(withinOpeningHours(hours, at(MONDAY, '16:00'), at(MONDAY, '17:00'))).toBe(true);
  });

  it('refuses a booking that crosses a closing time, runs over a break, or starts before opening', () => {
    expect(withinOpeningHours(hours, at(MONDAY, '16:30'), at(MONDAY, '17:15'))).toBe(false);
    expect(withinOpeningHours(hours, at(MONDAY, '11:30'), at(MONDAY, '13:30'))).toBe(false);
    expect(withinOpeningHours(hours, at(MONDAY, '08:45'), at(MONDAY, '09:30'))).toBe(false);
  });

  it('refuses any time on a day without hours, and joins hours that meet across midnight', () => {
    expect(withinOpeningHours(hours, at('2026-12-08', '10:00'), at('2026-12-08', '11:00'))).toBe(false);
    expect(withinOpeningHours(hours, at('2026-12-11', '23:00'), at('2026-12-12', '01:00'))).toBe(true);
    expect(withinOpeningHours(hours, at('2026-12-11', '23:00'), at('2026-12-12', '02:15'))).toBe(false);
  });

  it('refuses a declared resource’s closed time with 409, and lets an undeclared resource book at any time', () => {
    const resource: Resource = {
      resourceId: 'room-1',
      name: 'Room 1',
      openingHours: hours,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    };

    expect(() => checkOpeningHours(resource, at(MONDAY, '16:30'), at(MONDAY, '17:15'))).toThrow(ConflictError);
    expect(() => checkOpeningHours(resource, at(MONDAY, '16:30'), at(MONDAY, '17:15'))).toThrow(/room-1/);
    expect(() => checkOpeningHours(undefined, at(MONDAY, '03:00'), at(MONDAY, '04:00'))).not.toThrow();
  });

  it('validates hours: HH:MM on the grid up to 24:00, from before to, no overlap within a day', () => {
    const paths = (openingHours: unknown) => {
      const result = openingHoursSchema.safeParse(openingHours);
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };

    expect(paths(hours)).toEqual([]);
    expect(paths({ mon: [{ from: '09:10', to: '17:00' }] })).toEqual(['mon.0.from']);
    expect(paths({ mon: [{ from: '17:00', to: '09:00' }] })).toEqual(['mon.0.to']);
    expect(paths({ mon: [{ from: '09:00', to: '24:15' }] })).toEqual(['mon.0.to']);
    expect(
      paths({
        tue: [
          { from: '09:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
      }),
    ).toEqual(['tue']);
  });
});

describe('cancelling and resources', () => {
  const appointment: Appointment = {
    appointmentId: 'apt_1',
    resourceId: 'room-1',
    customerId: 'cus_1',
    customer: { name: 'Ada', email: 'ada@example.com' },
    start: `${MONDAY}T10:00:00.000Z`,
    end: `${MONDAY}T11:00:00.000Z`,
    purpose: 'Advice',
    status: 'BOOKED',
    createdAt: 'x',
    updatedAt: 'x',
  };

  it('cancels a booked appointment once; a cancelled one is a 409', () => {
    const cancelled = cancelAppointment(appointment, `${MONDAY}T08:00:00.000Z`);

    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelledAt: `${MONDAY}T08:00:00.000Z` });
    expect(() => cancelAppointment(cancelled, `${MONDAY}T08:05:00.000Z`)).toThrow(ConflictError);
  });

  it('creates a resource at version 1, replaces only what differs, and changes nothing for the same PUT', () => {
    const input = resourceInputSchema.parse({
      name: 'Room 1',
      openingHours: { mon: [{ from: '09:00', to: '17:00' }] },
    });
    const created = putResource('room-1', input, undefined, 'a');
    const same = putResource('room-1', input, created.next, 'b');
    const renamed = putResource('room-1', { ...input, name: 'Room One' }, created.next, 'c');

    expect(created.next).toMatchObject({ version: 1, createdAt: 'a' });
    expect(created.changes).toEqual(['name', 'openingHours']);
    expect(same.changes).toEqual([]);
    expect(renamed.changes).toEqual(['name']);
    expect(renamed.next).toMatchObject({ version: 2, name: 'Room One', createdAt: 'a', updatedAt: 'c' });
  });
});
