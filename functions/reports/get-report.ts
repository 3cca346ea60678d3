import { httpRoute, type HttpResult } from '#shared/http/route.ts';
import { reportPathSchema, reportRequest, wantsCsv } from '#shared/http/reports.ts';
import { makeReportService } from '#shared/services/reports.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const reports = makeReportService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

/**
 * `GET /v1/reports/{type}/{period}`: the stored report as JSON `{type, period, generatedAt, ...}`, or as CSV with
 * `Accept: text/csv`; 404 until it has been generated.
 */
export const handler = httpRoute(
  { route: 'GET /v1/reports/{type}/{period}', params: reportPathSchema },
  async ({ params, caller, event }): Promise<HttpResult> => {
    const { definition, period } = reportRequest(params, caller);
    const report = await reports.getReport(definition.type, period);
    if (wantsCsv(event.headers?.accept)) {
      return {
        status: 200,
        text: reports.reportCsv(report),
        contentType: 'text/csv; charset=utf-8',
        headers: { 'content-disposition': `attachment; filename="${definition.type}-${period}.csv"`, vary: 'accept' },
      };
    }
    return { status: 200, body: report, headers: { vary: 'accept' } };
  },
);
