import { httpRoute } from '#shared/http/route.ts';
import { employeePathSchema, employeeView } from '#shared/http/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/hr/employees/{employeeId}` (hr): the employee with salary and checklist; 404 unknown. */
export const handler = httpRoute(
  { route: 'GET /v1/hr/employees/{employeeId}', params: employeePathSchema },
  async ({ params }) => ({ status: 200, body: employeeView(await hr.get(params.employeeId)) }),
);
