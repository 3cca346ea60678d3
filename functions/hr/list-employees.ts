import { httpRoute } from '#shared/http/route.ts';
import { employeeListQuerySchema, employeeSummaryView } from '#shared/http/hr.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/hr/employees?status&department` (hr): employee summaries by status (each in turn without one), by
 * department then hiring order, paged with signed cursors.
 */
export const handler = httpRoute(
  { route: 'GET /v1/hr/employees', query: employeeListQuerySchema },
  async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    const page = await hr.list(filter, { limit, cursor });
    return { status: 200, body: { items: page.items.map(employeeSummaryView), nextCursor: page.nextCursor } };
  },
);
