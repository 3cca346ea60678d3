import { httpRoute } from '#shared/http/route.ts';
import { employeeTaskPathSchema, employeeView } from '#shared/http/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

/**
 * `POST /v1/hr/employees/{employeeId}/tasks/{task}/complete` (hr, no body) → 200 with the employee; again → the same
 * state; unknown task → 404; the last task done makes the employee `ACTIVE`.
 */
export const handler = httpRoute(
  { route: 'POST /v1/hr/employees/{employeeId}/tasks/{task}/complete', params: employeeTaskPathSchema },
  async ({ params, caller }) => ({
    status: 200,
    body: employeeView(await hr.completeTask(params.employeeId, params.task, caller.sub)),
  }),
);
