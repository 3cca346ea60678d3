import * as z from 'zod';
import type { AuditEvent } from '#shared/data/audit.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { instant } from '#shared/http/ledger.ts';

const MS_PER_DAY = 86_400_000;

/** Most UTC days one `GET /v1/audit?actor=&from&to` window may span (bare dates count whole days). */
export const MAX_AUDIT_WINDOW_DAYS = 31;

/**
 * `GET /v1/audit`: exactly one of `entityId` (the entity's whole trail) or `actor` with `from` and `to` (dates or
 * instants as the ledger parses them, `to` inclusive, at most 31 UTC days); paged.
 */
export const auditQuerySchema = pageQuerySchema
  .extend({
    entityId: z.string().min(1).max(128).optional(),
    actor: z.string().min(1).max(256).optional(),
    from: instant('start').optional(),
    to: instant('end').optional(),
  })
  .superRefine((query, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((query.entityId === undefined) === (query.actor === undefined)) {
      issue('entityId', 'Give exactly one of entityId or actor');
      return;
    }
    if (query.entityId !== undefined) {
      if (query.from !== undefined) issue('from', 'Only with actor: an entity’s trail is read whole');
      if (query.to !== undefined) issue('to', 'Only with actor: an entity’s trail is read whole');
      return;
    }
    if (query.from === undefined) issue('from', 'Required with actor');
    if (query.to === undefined) issue('to', 'Required with actor');
    if (query.from === undefined || query.to === undefined) return;
    if (query.to.getTime() < query.from.getTime()) {
      issue('to', 'Must not be before from');
      return;
    }
    const days = Math.floor(query.to.getTime() / MS_PER_DAY) - Math.floor(query.from.getTime() / MS_PER_DAY) + 1;
    if (days > MAX_AUDIT_WINDOW_DAYS) issue('to', `The window may span at most ${MAX_AUDIT_WINDOW_DAYS} days`);
  });

/** One audit event as `GET /v1/audit` shows it (docs/contract.md#audit-events): field names only, never values. */
export function auditEventView(event: AuditEvent) {
  return {
    eventId: event.eventId,
    at: event.at,
    actor: event.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    changes: [...event.changes],
    ...(event.status !== undefined ? { status: event.status } : {}),
    ...(event.related !== undefined
      ? { related: event.related.map(({ entityType, entityId }) => ({ entityType, entityId })) }
      : {}),
  };
}
