import { httpRoute } from '#shared/http/route.ts';
import { employeePathSchema, employeeView } from '#shared/http/hr.ts';
import { employeePatchSchema } from '#shared/domain/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

/**
 * `PATCH /v1/hr/employees/{employeeId}` (hr): any of title, department, salary, manager → 200 with the employee; the
 * audit event names the changed fields, never their values; concurrent patches both land (version retry).
 */
export const handler = httpRoute(
  { route: 'PATCH /v1/hr/employees/{employeeId}', params: employeePathSchema, body: employeePatchSchema },
  async ({ params, body, caller }) => ({
    status: 200,
    body: employeeView(await hr.update(params.employeeId, body, caller.sub)),
  }),
);
