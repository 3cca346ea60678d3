import { httpRoute } from '#shared/http/route.ts';
import { appointmentPathSchema, appointmentView } from '#shared/http/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

/**
 * `DELETE /v1/appointments/{appointmentId}` (front-office): cancels → 200 with the appointment `CANCELLED`, its time
 * free to book again at once; already cancelled → 409; unknown → 404.
 */
export const handler = httpRoute(
  { route: 'DELETE /v1/appointments/{appointmentId}', params: appointmentPathSchema },
  async ({ params, caller }) => ({
    status: 200,
    body: appointmentView(await appointments.cancel(params.appointmentId, caller.sub)),
  }),
);
