import { makeDocumentService } from '#shared/services/documents.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { scheduledTime } from '#shared/platform/schedule.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const documents = makeDocumentService({ doc, tableName: config.TABLE_NAME });

/**
 * Scheduled (every 15 minutes): every document still `PENDING` an hour after its upload URL expired becomes
 * `EXPIRED`, read from the pending index by creation time. The clock is the schedule's (`npm run job --
 * documents-expiry --at <instant>`).
 */
export const handler = async (event: unknown): Promise<{ expired: number }> => {
  const expired = await documents.expirePending(scheduledTime(event));
  logger.info('pending documents expired', { expired });
  return { expired };
};
