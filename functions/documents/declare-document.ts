import { httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { uploadRequestSchema } from '#shared/domain/documents.ts';
import { makeObjectStore } from '#shared/data/objects.ts';
import { makeDocumentService, type DeclaredDocument } from '#shared/services/documents.ts';
import { documentsBucket, loadConfig } from '#shared/platform/config.ts';
import { doc, s3 } from '#shared/platform/clients.ts';

const config = loadConfig();
const objects = makeObjectStore({ s3, bucket: documentsBucket() });
const documents = makeDocumentService({ doc, tableName: config.TABLE_NAME, objects });

const answer = (declared: DeclaredDocument): HttpResult => ({
  status: 201,
  body: declared,
  headers: { location: `/v1/documents/${declared.documentId}` },
});

/**
 * `POST /v1/documents` (staff who may read the entity): declares a document on a record → 201 `{documentId,
 * uploadUrl, expiresAt}`, the URL a presigned S3 PUT valid 15 minutes for exactly the declared type and size. The
 * bytes go to S3, never through this function.
 */
export const handler = httpRoute(
  { route: 'POST /v1/documents', body: uploadRequestSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const remember = rememberAnswer(idempotency, answer);
    return answer(await documents.declare(body, caller, { correlationId, remember }));
  },
);
