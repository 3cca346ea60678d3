import { httpRoute } from '#shared/http/route.ts';
import { deskListFilterSchema } from '#shared/http/desk.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `GET /v1/cases?status&priority&assignee` (support): case summaries, most urgent first then oldest first, every
 * filter a key condition on an index (never a Scan), paged with signed cursors.
 */
export const handler = httpRoute(
  { route: 'GET /v1/cases', query: deskListFilterSchema.extend(pageQuerySchema.shape) },
  async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    return { status: 200, body: await desk.list('case', filter, { limit, cursor }) };
  },
);
