import { sqsProcessor } from '#shared/queue/processor.ts';
import { reportRequestedDetailSchema } from '#shared/reports/messages.ts';
import { reportDefinition } from '#shared/reports/registry.ts';
import { isPeriodOf } from '#shared/reports/period.ts';
import { makeReportService } from '#shared/services/reports.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const reports = makeReportService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

/**
 * Processor of the `reports` queue: generates the report a message names and stores it over the previous one.
 * Running it twice only refreshes `generatedAt`; a message naming no valid report is logged and dropped, since
 * retrying it cannot help.
 */
export const handler = sqsProcessor('reports', {
  'report.requested': async (message) => {
    const detail = reportRequestedDetailSchema.safeParse(message.detail);
    const definition = detail.success ? reportDefinition(detail.data.type) : undefined;
    if (!detail.success || !definition || !isPeriodOf(definition.periodKind, detail.data.period)) {
      logger.error('report request names no valid report; message dropped', { detail: message.detail });
      return;
    }
    const started = Date.now();
    const { report, stored } = await reports.generateReport(detail.data.type, detail.data.period);
    logger.info('report generated', {
      type: report.type,
      period: report.period,
      generatedAt: report.generatedAt,
      stored,
      ms: Date.now() - started,
    });
  },
});
