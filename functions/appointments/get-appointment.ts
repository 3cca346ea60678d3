import { httpRoute } from '#shared/http/route.ts';
import { appointmentPathSchema, appointmentView } from '#shared/http/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/appointments/{appointmentId}` (front-office, support): the appointment; 404 unknown. */
export const handler = httpRoute(
  { route: 'GET /v1/appointments/{appointmentId}', params: appointmentPathSchema },
  async ({ params }) => ({ status: 200, body: appointmentView(await appointments.get(params.appointmentId)) }),
);
