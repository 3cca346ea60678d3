import { httpRoute } from '#shared/http/route.ts';
import { auditEventView, auditQuerySchema } from '#shared/http/audit.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const audit = makeAuditLog({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/audit?entityId=` or `GET /v1/audit?actor=&from&to` (admin): an entity's audit events, or an actor's in a
 * window of at most 31 days, oldest first, a page at a time. Reads only: the table's `AUDIT#<entityId>` partition or
 * the actor's partition of gsi2, never a Scan.
 */
export const handler = httpRoute({ route: 'GET /v1/audit', query: auditQuerySchema }, async ({ query }) => {
  const page = { limit: query.limit, cursor: query.cursor };
  const found =
    query.entityId !== undefined
      ? await audit.byEntity.page({ entityId: query.entityId }, page)
      : await audit.byActorInWindow(query.actor!, query.from!.toISOString(), query.to!.toISOString(), page);
  return { status: 200, body: { items: found.items.map(auditEventView), nextCursor: found.nextCursor } };
});
