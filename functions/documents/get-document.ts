import { httpRoute } from '#shared/http/route.ts';
import { documentPathSchema, documentView } from '#shared/http/documents.ts';
import { makeObjectStore } from '#shared/data/objects.ts';
import { makeDocumentService } from '#shared/services/documents.ts';
import { documentsBucket, loadConfig } from '#shared/platform/config.ts';
import { doc, s3 } from '#shared/platform/clients.ts';

const config = loadConfig();
const objects = makeObjectStore({ s3, bucket: documentsBucket() });
const documents = makeDocumentService({ doc, tableName: config.TABLE_NAME, objects });

/**
 * `GET /v1/documents/{documentId}` (whoever may read its record): the metadata and, once `AVAILABLE`, a presigned
 * GET valid 5 minutes (`downloadUrl`, `downloadExpiresAt`); 404 unknown.
 */
export const handler = httpRoute(
  { route: 'GET /v1/documents/{documentId}', params: documentPathSchema },
  async ({ params, caller }) => {
    const { document, download } = await documents.get(params.documentId, caller);
    return { status: 200, body: documentView(document, download) };
  },
);
