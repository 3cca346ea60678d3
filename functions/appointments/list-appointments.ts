import { httpRoute } from '#shared/http/route.ts';
import { appointmentListQuerySchema, appointmentView } from '#shared/http/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/appointments?resourceId&from&to` (front-office, support): a resource's appointments starting in
 * `[from, to)` (at most 31 days), oldest first, cancelled ones with their status, paged with signed cursors.
 */
export const handler = httpRoute(
  { route: 'GET /v1/appointments', query: appointmentListQuerySchema },
  async ({ query }) => {
    const { resourceId, from, to, limit, cursor } = query;
    const page = await appointments.list(resourceId, from, to, { limit, cursor });
    return { status: 200, body: { items: page.items.map(appointmentView), nextCursor: page.nextCursor } };
  },
);
