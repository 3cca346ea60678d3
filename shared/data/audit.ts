import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { newId } from '#shared/ids.ts';
import { createPut, type TransactItem } from '#shared/data/transact.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { checkedStartKey, patternReader, queryInput, type PageRequest } from '#shared/data/query.ts';
import { decodeCursor, encodeCursor, type Page } from '#shared/data/pagination.ts';
import { retainedUntil, retentionFromEnv, type RetentionPolicy } from '#shared/domain/retention.ts';

/**
 * An audit event (docs/contract.md#audit-events): who did what to which entity, the names of the fields that changed
 * and the new status. It never holds personal values (names, emails, phones, free text), so erasure never touches it.
 * `related` names other entities the same change touched when a transaction has no room for an event per entity (an
 * order confirmation lists its invoice, journal entry and items).
 */
export const auditEventSchema = z.object({
  entity: z.literal('audit'),
  eventId: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  changes: z.array(z.string()),
  status: z.string().optional(),
  related: z.array(z.object({ entityType: z.string(), entityId: z.string() })).optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export interface AuditInput {
  /** The token `sub` of the caller, or `system:<job or processor>`. */
  actor: string;
  /** What happened, `<entityType>.<verb>`: `order.confirmed`, `item.received`. */
  action: string;
  entityType: string;
  entityId: string;
  /** Names of the fields that changed, never their values. */
  changes: readonly string[];
  status?: string;
  related?: { entityType: string; entityId: string }[];
  at: string;
}

/** The actor recorded for work done by a processor or a scheduled job. */
export function systemActor(name: string): string {
  return `system:${name}`;
}

/**
 * The audit log. Writers put `eventItem(...)` into the same transaction as the change it describes; the put is
 * conditional on the key being new, so an event is never overwritten, and no function's role may update or delete an
 * `AUDIT#` item (docs/decisions.md#audit-events). Each event is written under its entity (`AUDIT#<entityId>`) and on
 * its actor's partition of gsi2 (`AUDIT#ACTOR#<actor>`), and carries `expiresAt`: kept `auditYears` after its year.
 */
export function makeAuditLog({
  doc,
  tableName,
  retention = retentionFromEnv(),
}: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  retention?: RetentionPolicy;
}) {
  return {
    eventItem(input: AuditInput): TransactItem {
      const eventId = newId('auditEvent', Date.parse(input.at));
      const event: AuditEvent = {
        entity: 'audit',
        eventId,
        at: input.at,
        actor: input.actor,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId,
        changes: [...input.changes],
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.related && input.related.length > 0 ? { related: input.related } : {}),
      };
      return createPut(tableName, {
        ...keys.auditEvent.key({ entityId: input.entityId, at: input.at, eventId }),
        ...keys.auditEventByActor.key({ actor: input.actor, at: input.at, eventId }),
        ...event,
        expiresAt: retainedUntil(input.at, retention.auditYears),
      });
    },

    /** An entity's audit events, oldest first. */
    byEntity: patternReader({ doc, tableName }, keys.auditEvent, (item) => auditEventSchema.parse(item)),

    /** An actor's audit events, oldest first (every one, for jobs and tests). */
    byActor: patternReader({ doc, tableName }, keys.auditEventByActor, (item) => auditEventSchema.parse(item)),

    /**
     * One page of an actor's audit events at or after `from` and at or before `to` (ISO instants), oldest first. The
     * cursor is signed with the window, so a cursor of one window never opens another.
     */
    async byActorInWindow(actor: string, from: string, to: string, page: PageRequest): Promise<Page<AuditEvent>> {
      // Sort keys are `<at>#<eventId>`: every key of an instant `to` sorts before `<to>#\uffff`.
      const query = keys.auditEventByActor.query({ actor }, { from, before: `${to}#\uffff` });
      const scope = `audit:${query.partition}:${from}:${to}`;
      const result = await doc.send(
        new QueryCommand({
          ...queryInput(tableName, query),
          Limit: page.limit,
          ExclusiveStartKey: checkedStartKey(await decodeCursor(page.cursor, scope), query),
        }),
      );
      return {
        items: (result.Items ?? []).map((item) => auditEventSchema.parse(item)),
        nextCursor: await encodeCursor(result.LastEvaluatedKey as Record<string, string> | undefined, scope),
      };
    },
  };
}

export type AuditLog = ReturnType<typeof makeAuditLog>;
