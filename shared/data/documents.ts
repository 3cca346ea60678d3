import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { CONTENT_TYPES, DOCUMENT_STATUSES, type Document } from '#shared/domain/documents.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { changedAttributes, patternReader, type TableRef } from '#shared/data/query.ts';

/** A document as stored (`DOCUMENT#<id>` / `DOCUMENT`), on its entity's gsi2 partition and, while `PENDING`, gsi1. */
export const documentItemSchema = z.object({
  entity: z.literal('document'),
  documentId: z.string(),
  entityId: z.string(),
  entityType: z.string(),
  fileName: z.string().optional(),
  contentType: z.enum(CONTENT_TYPES),
  sizeBytes: z.number().int(),
  status: z.enum(DOCUMENT_STATUSES),
  uploadedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  uploadExpiresAt: z.string(),
  availableAt: z.string().optional(),
  rejectionReason: z.enum(['size_mismatch', 'content_type_mismatch']).optional(),
  deletedAt: z.string().optional(),
  expiredAt: z.string().optional(),
  erasedAt: z.string().optional(),
});

function documentFromItem(item: Record<string, unknown>): Document {
  const { entity: _entity, ...document } = documentItemSchema.parse(item);
  return document;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The table key of the record an entity id names, by its kind (docs/decisions.md#documents). */
function entityKey(kind: string, id: string): Record<string, string> | undefined {
  switch (kind) {
    case 'order':
      return keys.order.key({ orderId: id });
    case 'invoice':
      return keys.invoice.key({ invoiceId: id });
    case 'payment':
      return keys.payment.key({ paymentId: id });
    case 'case':
      return keys.desk.key({ kind: 'case', id });
    case 'ticket':
      return keys.desk.key({ kind: 'ticket', id });
    case 'customer':
      return keys.customer.key({ customerId: id });
    case 'employee':
      return keys.employee.key({ employeeId: id });
    case 'appointment':
      return keys.appointment.key({ appointmentId: id });
    case 'purchaseOrder':
      return keys.purchaseOrder.key({ purchaseOrderId: id });
    default:
      return undefined;
  }
}

/**
 * Documents' metadata. A declaration creates the document `PENDING` (on its entity's list and the pending index);
 * every later change is an update guarded by the status it was decided on, so a redelivered event, a repeated
 * DELETE or the expiry job racing an upload changes a document once.
 */
export function makeDocumentStore({ doc, tableName }: TableRef) {
  return {
    /** The new document: must not exist; listed under its entity and, while pending, by creation time. */
    newDocumentItem(document: Document, correlationId: string): TransactItem {
      return createPut(tableName, {
        ...keys.document.key(document),
        ...keys.documentByEntity.key(document),
        ...keys.documentPending.key(document),
        entity: 'document',
        ...withoutUndefined({ ...document }),
        correlationId,
      });
    },

    /** The change from `before` to `after`, only while the document is still in `before`'s status. */
    changeItem(before: Document, after: Document): TransactItem {
      const set = changedAttributes(withoutUndefined({ ...before }), withoutUndefined({ ...after }));
      const leavesPending = before.status === 'PENDING' && after.status !== 'PENDING';
      return guardedUpdate(
        tableName,
        keys.document.key(before),
        { ...set, ...(leavesPending ? keys.documentPending.absent() : {}) },
        { status: before.status },
      );
    },

    /** A document by id; `consistent` for a read a change is decided on. */
    async getDocument(documentId: string, consistent = false): Promise<Document | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.document.key({ documentId }),
          ...(consistent ? { ConsistentRead: true } : {}),
        }),
      );
      return Item && Item.entity === 'document' ? documentFromItem(Item) : undefined;
    },

    /**
     * The record an entity id names, if it exists: whether it does, and (IT tickets) who filed it, since the
     * filer may read a ticket's documents.
     */
    async getEntity(kind: string, id: string): Promise<{ requester?: string } | undefined> {
      const key = entityKey(kind, id);
      if (!key) return undefined;
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: key, ProjectionExpression: 'pk, requester' }),
      );
      if (!Item) return undefined;
      return typeof Item.requester === 'string' ? { requester: Item.requester } : {};
    },

    /** An entity's documents, in upload order. */
    byEntity: patternReader({ doc, tableName }, keys.documentByEntity, documentFromItem),
    /** Documents still `PENDING`, oldest first (`before` a cutoff for the expiry job). */
    pending: patternReader({ doc, tableName }, keys.documentPending, documentFromItem),
  };
}

export type DocumentStore = ReturnType<typeof makeDocumentStore>;
