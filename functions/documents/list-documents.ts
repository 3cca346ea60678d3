import { httpRoute } from '#shared/http/route.ts';
import { documentListQuerySchema, documentView } from '#shared/http/documents.ts';
import { makeDocumentService } from '#shared/services/documents.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const documents = makeDocumentService({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/documents?entityId=` (whoever may read the record): its documents in upload order, every status. */
export const handler = httpRoute(
  { route: 'GET /v1/documents', query: documentListQuerySchema },
  async ({ query, caller }) => {
    const { entityId, limit, cursor } = query;
    const page = await documents.list(entityId, caller, { limit, cursor });
    return { status: 200, body: { items: page.items.map((d) => documentView(d)), nextCursor: page.nextCursor } };
  },
);
