import { s3EventProcessor } from '#shared/queue/processor.ts';
import { makeObjectStore } from '#shared/data/objects.ts';
import { makeDocumentService } from '#shared/services/documents.ts';
import { documentsBucket, loadConfig } from '#shared/platform/config.ts';
import { doc, s3 } from '#shared/platform/clients.ts';

const config = loadConfig();
const objects = makeObjectStore({ s3, bucket: documentsBucket() });
const documents = makeDocumentService({ doc, tableName: config.TABLE_NAME, objects });

/**
 * The documents queue's processor: S3 reported an object (`ObjectCreated`); the document it belongs to becomes
 * `AVAILABLE`, or `REJECTED` when it does not match the declaration (the object deleted). Once, however often the
 * event is delivered; a key that is no document's is logged and dropped.
 */
export const handler = s3EventProcessor('documents', async (key) => {
  await documents.settle(key);
});
