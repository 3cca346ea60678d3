import { httpRoute } from '#shared/http/route.ts';
import { resourcePathSchema, resourceView } from '#shared/http/appointments.ts';
import { resourceInputSchema } from '#shared/domain/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

/**
 * `PUT /v1/appointments/resources/{resourceId}` (admin): declares a bookable resource with its weekly opening hours
 * in UTC (201) or replaces them (200); bookings already made stay.
 */
export const handler = httpRoute(
  { route: 'PUT /v1/appointments/resources/{resourceId}', params: resourcePathSchema, body: resourceInputSchema },
  async ({ params, body, caller }) => {
    const { created, resource } = await appointments.declareResource(params.resourceId, body, caller.sub);
    return { status: created ? 201 : 200, body: resourceView(resource) };
  },
);
