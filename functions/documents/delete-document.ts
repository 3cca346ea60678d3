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
 * `DELETE /v1/documents/{documentId}` (admin; the uploader while `PENDING`): 200 with the document `DELETED` (kept,
 * audited), its object deleted; already deleted → 409; anyone else → 403.
 */
export const handler = httpRoute(
  { route: 'DELETE /v1/documents/{documentId}', params: documentPathSchema },
  async ({ params, caller }) => ({
    status: 200,
    body: documentView(await documents.remove(params.documentId, caller)),
  }),
);
