import * as z from 'zod';
import { MAX_LIST_RANGE_DAYS, resourceIdSchema, type Appointment, type Resource } from '#shared/domain/appointments.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { parseInstant } from '#shared/http/ledger.ts';

/** `{appointmentId}` of the appointment routes. */
export const appointmentPathSchema = z.object({ appointmentId: z.string().min(1).max(64) });

/** `{resourceId}` of `PUT /v1/appointments/resources/{resourceId}`. */
export const resourcePathSchema = z.object({ resourceId: resourceIdSchema });

const MS_PER_DAY = 86_400_000;

/** A query instant: a UTC day `YYYY-MM-DD` (its first or last millisecond) or an ISO 8601 time with a zone. */
function instant(edge: 'start' | 'end') {
  return z.string().transform((value, ctx) => {
    const at = parseInstant(value, edge);
    if (!at) {
      ctx.addIssue({
        code: 'custom',
        message: 'Must be a date YYYY-MM-DD or an ISO 8601 time such as 2026-12-04T09:00:00Z',
      });
      return z.NEVER;
    }
    return at;
  });
}

/**
 * `GET /v1/appointments?resourceId&from&to`: all three required; appointments starting in `[from, to)` (a bare date
 * `to` is its day's end, so `from=2026-12-04&to=2026-12-04` is that day), at most 31 days apart; paged.
 */
export const appointmentListQuerySchema = pageQuerySchema
  .extend({ resourceId: resourceIdSchema, from: instant('start'), to: instant('end') })
  .superRefine((query, ctx) => {
    if (query.to.getTime() <= query.from.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
    } else if (query.to.getTime() - query.from.getTime() > MAX_LIST_RANGE_DAYS * MS_PER_DAY) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${MAX_LIST_RANGE_DAYS} days` });
    }
  });

/**
 * `GET /v1/appointments/{appointmentId}` (README, Routes), also each entry of the list and what a cancellation
 * answers: the whole appointment, its purpose and the customer's snapshot included (staff who serve customers only).
 */
export function appointmentView(appointment: Appointment) {
  return {
    appointmentId: appointment.appointmentId,
    resourceId: appointment.resourceId,
    customerId: appointment.customerId,
    customer: { name: appointment.customer.name, email: appointment.customer.email },
    start: appointment.start,
    end: appointment.end,
    purpose: appointment.purpose,
    status: appointment.status,
    createdAt: appointment.createdAt,
    ...(appointment.cancelledAt !== undefined ? { cancelledAt: appointment.cancelledAt } : {}),
  };
}

/** A resource as its PUT answers it and the resource list shows it. */
export function resourceView(resource: Resource) {
  return {
    resourceId: resource.resourceId,
    name: resource.name,
    openingHours: resource.openingHours,
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
  };
}
