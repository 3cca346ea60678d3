import { httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { bookingSchema } from '#shared/domain/appointments.ts';
import { makeAppointmentService, type BookedAppointment } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

const answer = (booked: BookedAppointment): HttpResult => ({
  status: 201,
  body: { appointmentId: booked.appointmentId },
  headers: { location: `/v1/appointments/${booked.appointmentId}` },
});

/**
 * `POST /v1/appointments` (front-office): books a resource for a customer → 201 with a Location, written with its slot
 * items, the customer and the remembered answer in one transaction; a time another booking holds, or outside a
 * declared resource's opening hours → 409; a start in the past, off the 15-minute grid or over 8 hours → 400.
 */
export const handler = httpRoute(
  { route: 'POST /v1/appointments', body: bookingSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const remember = rememberAnswer(idempotency, answer);
    return answer(await appointments.book(body, { actor: caller.sub, correlationId, remember }));
  },
);
