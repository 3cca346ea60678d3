import * as z from 'zod';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { emailSchema } from '#shared/domain/email.ts';

/**
 * Appointments (docs/contract.md#appointments): a customer booked on a resource (a room, a desk, an adviser) for a
 * time on 15-minute boundaries, never overlapping another booking of the resource, and resources with weekly opening
 * hours. Everything here is pure; `#shared/services/appointments.ts` reads and writes.
 */

/** `BOOKED` until cancelled; a cancelled appointment is kept (and audited), its time freed. */
export const APPOINTMENT_STATUSES = ['BOOKED', 'CANCELLED'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** The grid every booking is on: one slot item per 15 minutes a booking covers. */
export const SLOT_MINUTES = 15;
const SLOT_MS = SLOT_MINUTES * 60_000;
/** The longest booking: 8 hours, 32 slots, so a booking and its slots fit one transaction with room to spare. */
export const MAX_BOOKING_MINUTES = 8 * 60;
/** The widest `?from&to` range of `GET /v1/appointments`. */
export const MAX_LIST_RANGE_DAYS = 31;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What a booking stores of the customer as given (the profile keeps the first details seen). */
export interface AppointmentCustomer {
  name: string;
  email: string;
}

export interface Appointment {
  appointmentId: string;
  resourceId: string;
  customerId: string;
  customer: AppointmentCustomer;
  /** Canonical ISO instants (`2026-12-04T10:00:00.000Z`), on the 15-minute grid. */
  start: string;
  end: string;
  /** Free text, personal: shown by the appointment's own routes only, never in audit events or logs. */
  purpose: string;
  status: AppointmentStatus;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string | undefined;
}

/** One opening interval of a weekday, `HH:MM` in UTC; `to` may be `24:00` (the day's end). */
export interface OpeningInterval {
  from: string;
  to: string;
}

/** Weekly opening hours in UTC: per weekday its intervals; a weekday not given (or empty) is closed. */
export type OpeningHours = Partial<Record<Weekday, OpeningInterval[]>>;

export interface Resource {
  resourceId: string;
  name: string;
  openingHours: OpeningHours;
  createdAt: string;
  updatedAt: string;
  version: number;
}

// ------------------------------------------------------------------------------------------------ input schemas

const text = (max: number) => z.string().trim().min(1).max(max);

/** A resource id: 1–100 characters without `#` (it is part of the slot keys, which `#` separates). */
export const resourceIdSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((value) => !value.includes('#'), 'Must not contain #');

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;

/**
 * A booking's `start` or `end`: an ISO instant in UTC (`Z`) on a 15-minute boundary, seconds and milliseconds zero,
 * turned into its canonical form (`2026-12-04T10:15:00.000Z`), which the slot keys and the lists sort by.
 */
export const slotInstantSchema = z.string().transform((value, ctx) => {
  const match = INSTANT.exec(value);
  const at = match ? new Date(value) : undefined;
  if (!match || !at || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 16) !== value.slice(0, 16)) {
    ctx.addIssue({ code: 'custom', message: 'Must be an ISO 8601 instant in UTC such as 2026-12-04T10:00:00Z' });
    return z.NEVER;
  }
  if (at.getTime() % SLOT_MS !== 0) {
    ctx.addIssue({
      code: 'custom',
      message: `Must be on a ${SLOT_MINUTES}-minute boundary (:00, :15, :30, :45), seconds and milliseconds zero`,
    });
    return z.NEVER;
  }
  return at.toISOString();
});

/** `POST /v1/appointments` (docs/contract.md#appointments); the start in the past is checked with the clock. */
export const bookingSchema = z
  .object({
    resourceId: resourceIdSchema,
    customer: z.object({ name: text(200), email: emailSchema }),
    start: slotInstantSchema,
    end: slotInstantSchema,
    purpose: text(500),
  })
  .superRefine((booking, ctx) => {
    const minutes = (Date.parse(booking.end) - Date.parse(booking.start)) / 60_000;
    if (minutes <= 0) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start' });
    else if (minutes > MAX_BOOKING_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `A booking lasts at most ${MAX_BOOKING_MINUTES / 60} hours`,
      });
    }
  });
export type BookingInput = z.infer<typeof bookingSchema>;

const CLOCK = /^([01]\d|2[0-4]):(00|15|30|45)$/;

/** Minutes since midnight of `HH:MM`. */
function minutesOf(clock: string): number {
  const [hours = '0', minutes = '0'] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}

const clockSchema = z
  .string()
  .regex(CLOCK, 'Must be a time HH:MM in UTC on a 15-minute boundary (00:00 to 24:00)')
  .refine((clock) => minutesOf(clock) <= 24 * 60, 'Must not be after 24:00');

const intervalSchema = z
  .object({ from: clockSchema, to: clockSchema })
  .refine((interval) => minutesOf(interval.to) > minutesOf(interval.from), {
    path: ['to'],
    message: 'Must be after from',
  });

const dayHoursSchema = z
  .array(intervalSchema)
  .max(8)
  .superRefine((intervals, ctx) => {
    const sorted = [...intervals].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i]!.from) < minutesOf(sorted[i - 1]!.to)) {
        ctx.addIssue({ code: 'custom', message: 'Intervals of a day must not overlap' });
        return;
      }
    }
  });

/** Weekly opening hours, UTC: `{"mon":[{"from":"09:00","to":"17:00"}],…}`; a weekday left out is closed. */
export const openingHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHoursSchema.optional()])) as Record<
    Weekday,
    z.ZodOptional<typeof dayHoursSchema>
  >,
);

/** `PUT /v1/appointments/resources/{resourceId}`. */
export const resourceInputSchema = z.object({ name: text(200), openingHours: openingHoursSchema });
export type ResourceInput = z.infer<typeof resourceInputSchema>;

// ------------------------------------------------------------------------------------------------ rules

/** Refuses a start before `now` (a booking of a time already begun): 400 naming `start`. */
export function checkStartNotPast(start: string, now: Date): void {
  if (Date.parse(start) < now.getTime()) {
    throw new InvalidInputError('A booking cannot start in the past.', [
      { path: 'start', message: 'Must not be in the past' },
    ]);
  }
}

/** The start of every 15-minute slot of `[start, end)`, canonical ISO, in order. */
export function slotStarts(start: string, end: string): string[] {
  const slots: string[] = [];
  for (let at = Date.parse(start); at < Date.parse(end); at += SLOT_MS) slots.push(new Date(at).toISOString());
  return slots;
}

/** The weekday of an instant, in UTC. */
export function weekdayOf(instant: string): Weekday {
  // getUTCDay: 0 = Sunday.
  return WEEKDAYS[(new Date(instant).getUTCDay() + 6) % 7]!;
}

/**
 * True when every 15-minute slot of `[start, end)` lies inside an opening interval of its own UTC weekday. Intervals
 * meeting end to end (a day's `…–24:00` and the next day's `00:00–…`, or `09:00–12:00` and `12:00–17:00`) join, so a
 * booking may run across them; a booking running past a closing time is refused.
 */
export function withinOpeningHours(hours: OpeningHours, start: string, end: string): boolean {
  return slotStarts(start, end).every((slot) => {
    const minute = new Date(slot).getUTCHours() * 60 + new Date(slot).getUTCMinutes();
    return (hours[weekdayOf(slot)] ?? []).some(
      (interval) => minute >= minutesOf(interval.from) && minute + SLOT_MINUTES <= minutesOf(interval.to),
    );
  });
}

/** A declared resource's hours must hold the whole booking, else 409; an undeclared resource is always open. */
export function checkOpeningHours(resource: Resource | undefined, start: string, end: string): void {
  if (resource && !withinOpeningHours(resource.openingHours, start, end)) {
    throw new ConflictError(
      `Resource ${resource.resourceId} is not open for the whole of ${start} – ${end} (opening hours are in UTC).`,
    );
  }
}

/** A new booking: `BOOKED`, with the customer's snapshot as given. */
export function bookAppointment(
  appointmentId: string,
  input: BookingInput,
  customerId: string,
  at: string,
): Appointment {
  return {
    appointmentId,
    resourceId: input.resourceId,
    customerId,
    customer: { name: input.customer.name, email: input.customer.email },
    start: input.start,
    end: input.end,
    purpose: input.purpose,
    status: 'BOOKED',
    createdAt: at,
    updatedAt: at,
  };
}

/** The fields a booking sets, for its audit event (names only). */
export const BOOKED_FIELDS = ['status', 'resourceId', 'customerId', 'customer', 'start', 'end', 'purpose'] as const;

/** Cancelling: `CANCELLED` with `cancelledAt`; an appointment already cancelled → 409, never a second effect. */
export function cancelAppointment(appointment: Appointment, at: string): Appointment {
  if (appointment.status !== 'BOOKED') {
    throw new ConflictError(`Appointment ${appointment.appointmentId} is already ${appointment.status}.`);
  }
  return { ...appointment, status: 'CANCELLED', cancelledAt: at, updatedAt: at };
}

/** A resource as a PUT leaves it: new (version 1) or replaced (name and hours, version + 1). */
export function putResource(
  resourceId: string,
  input: ResourceInput,
  existing: Resource | undefined,
  at: string,
): { next: Resource; changes: string[] } {
  const openingHours = Object.fromEntries(
    WEEKDAYS.flatMap((day) => (input.openingHours[day] ? [[day, input.openingHours[day]]] : [])),
  ) as OpeningHours;
  if (!existing) {
    return {
      next: { resourceId, name: input.name, openingHours, createdAt: at, updatedAt: at, version: 1 },
      changes: ['name', 'openingHours'],
    };
  }
  const changes = [
    ...(existing.name !== input.name ? ['name'] : []),
    ...(JSON.stringify(existing.openingHours) !== JSON.stringify(openingHours) ? ['openingHours'] : []),
  ];
  if (changes.length === 0) return { next: existing, changes };
  return {
    next: { ...existing, name: input.name, openingHours, updatedAt: at, version: existing.version + 1 },
    changes,
  };
}
