import { httpRoute } from '#shared/http/route.ts';
import { employeePathSchema, employeeView } from '#shared/http/hr.ts';
import { terminationSchema } from '#shared/domain/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { queueTarget, sendAfterCommit } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const hrQueue = queueTarget('hr');
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

/**
 * `POST /v1/hr/employees/{employeeId}/terminate` (hr) `{"lastDay"}` → 200 with the employee `TERMINATING`; then the
 * IT ticket revoking access is queued (`employee.terminating`; a lost send is healed by the submission sweeper).
 * Already terminating or terminated → 409; a last day before the start date → 400 naming `lastDay`; unknown → 404.
 */
export const handler = httpRoute(
  { route: 'POST /v1/hr/employees/{employeeId}/terminate', params: employeePathSchema, body: terminationSchema },
  async ({ params, body, caller, correlationId }) => {
    const employee = await hr.terminate(params.employeeId, body, caller.sub);
    await sendAfterCommit(
      sqs,
      hrQueue,
      { type: 'employee.terminating', id: employee.employeeId, correlationId },
      {
        log: 'termination recorded but its IT ticket not queued; the submission sweeper will queue it',
        fields: { employeeId: employee.employeeId },
      },
    );
    return { status: 200, body: employeeView(employee) };
  },
);
