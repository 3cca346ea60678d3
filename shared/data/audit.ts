import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { newId } from '#shared/ids.ts';
import { createPut, type TransactItem } from '#shared/data/transact.ts';
import { patternReader } from '#shared/data/query.ts';

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
 * conditional on the key being new, so an event is never overwritten.
 */
export function makeAuditLog({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
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
        ...event,
      });
    },

    /** An entity's audit events, oldest first. */
    byEntity: patternReader({ doc, tableName }, keys.auditEvent, (item) => auditEventSchema.parse(item)),
  };
}

export type AuditLog = ReturnType<typeof makeAuditLog>;
