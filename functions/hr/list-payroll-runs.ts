import { httpRoute } from '#shared/http/route.ts';
import { payrollRunListQuerySchema, payrollRunSummaryView } from '#shared/http/payroll.ts';
import { makePayrollService } from '#shared/services/payroll.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const payroll = makePayrollService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/hr/payroll-runs` (hr, accounting): run summaries (no lines), newest period first, paged. */
export const handler = httpRoute(
  { route: 'GET /v1/hr/payroll-runs', query: payrollRunListQuerySchema },
  async ({ query }) => {
    const page = await payroll.listRuns(query);
    return { status: 200, body: { items: page.items.map(payrollRunSummaryView), nextCursor: page.nextCursor } };
  },
);
