import { httpRoute } from '#shared/http/route.ts';
import { resourceView } from '#shared/http/appointments.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const appointments = makeAppointmentService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/appointments/resources` (front-office, support): the declared resources with their hours, by id. */
export const handler = httpRoute(
  { route: 'GET /v1/appointments/resources', query: pageQuerySchema },
  async ({ query }) => {
    const page = await appointments.listResources(query);
    return { status: 200, body: { items: page.items.map(resourceView), nextCursor: page.nextCursor } };
  },
);
