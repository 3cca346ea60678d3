import { httpRoute } from '#shared/http/route.ts';
import { allQueueUrls, loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { opsSummary } from '#shared/services/ops-summary.ts';

const config = loadConfig();
const queues = allQueueUrls();

/**
 * `GET /v1/ops/summary` (ops): today's (UTC) orders by status and booked appointments, low stock, dead letters, open
 * cases and tickets.
 */
export const handler = httpRoute({ route: 'GET /v1/ops/summary' }, async () => ({
  status: 200,
  body: await opsSummary({ doc, sqs, tableName: config.TABLE_NAME, queues, now: () => new Date() }),
}));
