import { httpRoute } from '#shared/http/route.ts';
import { payrollRunPathSchema, payrollRunView } from '#shared/http/payroll.ts';
import { makePayrollService } from '#shared/services/payroll.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const payroll = makePayrollService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/hr/payroll-runs/{period}` (hr, accounting): the run with its lines; 404 unknown, 400 not a month. */
export const handler = httpRoute(
  { route: 'GET /v1/hr/payroll-runs/{period}', params: payrollRunPathSchema() },
  async ({ params }) => {
    const { run, lines } = await payroll.getRun(params.period);
    return { status: 200, body: payrollRunView(run, lines) };
  },
);
