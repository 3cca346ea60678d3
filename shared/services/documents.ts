import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  DOWNLOAD_URL_SECONDS,
  UPLOAD_URL_SECONDS,
  declareDocument,
  deleteDocument,
  documentIdOfKey,
  entityKindOf,
  eraseDocument,
  expiryCutoff,
  objectKeyOf,
  readAccess,
  settleUpload,
  type Document,
  type EntityKind,
  type UploadRequest,
} from '#shared/domain/documents.ts';
import { makeDocumentStore } from '#shared/data/documents.ts';
import type { ObjectStore } from '#shared/data/objects.ts';
import { makeAuditLog, systemActor } from '#shared/data/audit.ts';
import type { PageRequest } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';
import { withConcurrencyRetry } from '#shared/data/transact.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';
import { logger } from '#shared/platform/observability.ts';

export interface Caller {
  sub: string;
  roles: readonly string[];
}

export interface DeclaredDocument {
  documentId: string;
  uploadUrl: string;
  expiresAt: string;
}

export interface DocumentDownload {
  downloadUrl: string;
  downloadExpiresAt: string;
}

/** What the processor did with an object-created event (logged; the tests read it). */
export type SettleOutcome = 'available' | 'rejected' | 'unchanged' | 'object_removed' | 'unknown_key';

/**
 * Documents attached to records (docs/contract.md#documents). Metadata lives in the table, bytes in S3: the API
 * presigns a PUT for exactly the declared type and size and, once the object is `AVAILABLE`, a short GET; it never
 * carries the bytes. Every change is one guarded update with its audit event, decided on the status read, so a
 * redelivered event, a repeated DELETE or the expiry job racing an upload changes a document once. Audit events and
 * logs name fields, never the file name (personal data).
 */
export function makeDocumentService({
  doc,
  tableName,
  now = () => new Date(),
  objects,
}: ServiceDeps & { objects?: ObjectStore }) {
  const store = makeDocumentStore({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  function bucket(): ObjectStore {
    if (!objects) throw new Error('This function was not granted the documents bucket');
    return objects;
  }

  /**
   * The kind of entity an id names, once the caller is known to read it: an unknown prefix → 400 naming `path`; a
   * caller without the entity's reader roles → 403 (as its own GET route); an entity that does not exist, or an IT
   * ticket someone else filed → 404.
   */
  async function readableEntity(entityId: string, caller: Caller, path: string): Promise<EntityKind> {
    const kind = entityKindOf(entityId);
    if (!kind) {
      throw new InvalidInputError('The request is invalid.', [
        {
          path,
          message:
            'Must be the id of an order, invoice, payment, case, IT ticket, customer, employee, appointment ' +
            'or purchase order',
        },
      ]);
    }
    if (!kind.hiddenFromOthers && readAccess(kind, caller, undefined) === 'forbidden') {
      throw new ForbiddenError(
        `Reading a ${kind.kind}'s documents needs one of the roles: ${kind.readers.join(', ')}.`,
      );
    }
    const entity = await store.getEntity(kind.kind, entityId);
    if (!entity || readAccess(kind, caller, entity.requester) !== 'read') {
      throw new NotFoundError(`${entityId} was not found.`);
    }
    return kind;
  }

  /** A document the caller may read (the entity's readers), else 404 / 403 as for its entity. */
  async function readable(documentId: string, caller: Caller, consistent = false): Promise<Document> {
    const document = await store.getDocument(documentId, consistent);
    if (!document) throw new NotFoundError(`Document ${documentId} was not found.`);
    const kind = entityKindOf(document.entityId);
    if (!kind) throw new NotFoundError(`Document ${documentId} was not found.`);
    if (readAccess(kind, caller, undefined) === 'read') return document;
    if (!kind.hiddenFromOthers) {
      throw new ForbiddenError(
        `Reading a ${kind.kind}'s documents needs one of the roles: ${kind.readers.join(', ')}.`,
      );
    }
    const entity = await store.getEntity(kind.kind, document.entityId);
    if (!entity || readAccess(kind, caller, entity.requester) !== 'read') {
      throw new NotFoundError(`Document ${documentId} was not found.`);
    }
    return document;
  }

  /**
   * Declares a document on an entity the caller may read: `PENDING`, with a PUT URL valid 15 minutes for exactly
   * the declared content type and size. The document, its audit event and the idempotency record are one
   * transaction; the URL is signed before it, so a replayed answer carries the first URL.
   */
  async function declare(
    request: UploadRequest,
    caller: Caller,
    context: { correlationId: string; remember?: Remember<DeclaredDocument> | undefined },
  ): Promise<DeclaredDocument> {
    const kind = await readableEntity(request.entityId, caller, 'entityId');
    const at = now();
    const documentId = newId('document', at.getTime());
    const document = declareDocument(documentId, request, kind, caller.sub, at);
    const uploadUrl = await bucket().presignPut(
      objectKeyOf(documentId),
      document.contentType,
      document.sizeBytes,
      UPLOAD_URL_SECONDS,
      at,
    );
    const result: DeclaredDocument = { documentId, uploadUrl, expiresAt: document.uploadExpiresAt };
    const tx = [
      store.newDocumentItem(document, context.correlationId),
      audit.eventItem({
        actor: caller.sub,
        action: 'document.declared',
        entityType: 'document',
        entityId: documentId,
        at: document.createdAt,
        status: document.status,
        changes: ['entityId', 'fileName', 'contentType', 'sizeBytes'],
        related: [{ entityType: kind.kind, entityId: request.entityId }],
      }),
    ];
    const rememberIndex = withRemember(tx, context.remember, result);
    await writeOrRetry(doc, tx, rememberIndex);
    return result;
  }

  /** A document the caller may read and, once `AVAILABLE`, a GET URL valid 5 minutes. */
  async function get(documentId: string, caller: Caller): Promise<{ document: Document; download?: DocumentDownload }> {
    const document = await readable(documentId, caller);
    if (document.status !== 'AVAILABLE') return { document };
    const at = now();
    const downloadUrl = await bucket().presignGet(objectKeyOf(documentId), DOWNLOAD_URL_SECONDS, at);
    const downloadExpiresAt = new Date(at.getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
    return { document, download: { downloadUrl, downloadExpiresAt } };
  }

  /** A page of an entity's documents in upload order, every status included. */
  async function list(entityId: string, caller: Caller, page: PageRequest): Promise<Page<Document>> {
    await readableEntity(entityId, caller, 'query.entityId');
    return store.byEntity.page({ entityId }, page);
  }

  /**
   * Deletes: `admin` any document, the uploader one still `PENDING` (else 403); the document becomes `DELETED`
   * (kept, audited) and then its object is deleted. Already deleted → 409; a concurrent DELETE that won makes this
   * one re-read and answer 409.
   */
  async function remove(documentId: string, caller: Caller): Promise<Document> {
    let after: Document;
    try {
      after = await withConcurrencyRetry(async () => {
        const before = await readable(documentId, caller, true);
        const at = now().toISOString();
        const next = deleteDocument(before, caller, at);
        if (!next) {
          throw new ForbiddenError('Only admin deletes a document; its uploader may while it is still PENDING.');
        }
        const tx = [store.changeItem(before, next), changeEvent(caller.sub, 'deleted', before, next)];
        await writeOrRetry(doc, tx, undefined);
        return next;
      });
    } catch (error) {
      // Already deleted: the 409 stands, but an object a first DELETE failed to remove is removed now (no new effect).
      if (error instanceof ConflictError) await bucket().remove(objectKeyOf(documentId));
      throw error;
    }
    await bucket().remove(objectKeyOf(documentId));
    return after;
  }

  /**
   * S3 reported an object (`ObjectCreated`): a `PENDING` document becomes `AVAILABLE` with the object's size, or
   * `REJECTED` when its size or type differs from the declaration (and the object is deleted). A document already
   * settled is left as it is (a redelivered event); an object for a document rejected, expired or deleted is deleted
   * again (a late upload, or a retried delete); a key that is no document's is logged and dropped.
   */
  async function settle(key: string): Promise<SettleOutcome> {
    const documentId = documentIdOfKey(key);
    if (!documentId) {
      logger.warn('object created under a key that is no document; dropped', { key });
      return 'unknown_key';
    }
    const outcome = await withConcurrencyRetry(async (): Promise<SettleOutcome> => {
      const before = await store.getDocument(documentId, true);
      if (!before) {
        logger.warn('object created for a document that does not exist; dropped', { documentId });
        return 'unknown_key';
      }
      if (before.status === 'AVAILABLE') return 'unchanged';
      if (before.status !== 'PENDING') return 'object_removed';
      const object = await bucket().head(key);
      if (!object) {
        logger.warn('object reported but no longer there; the document stays PENDING', { documentId });
        return 'unchanged';
      }
      const after = settleUpload(before, object, now().toISOString());
      const verb = after.status === 'AVAILABLE' ? 'available' : 'rejected';
      await writeOrRetry(
        doc,
        [store.changeItem(before, after), changeEvent(systemActor('documents'), verb, before, after)],
        undefined,
      );
      return verb;
    });
    if (outcome === 'rejected' || outcome === 'object_removed') await bucket().remove(key);
    logger.info('document object settled', { documentId, outcome });
    return outcome;
  }

  /**
   * The expiry job: every document still `PENDING` an hour after its upload URL expired becomes `EXPIRED` (read from
   * the pending index up to the cutoff, never more). Returns how many it expired.
   */
  async function expirePending(at: Date): Promise<number> {
    let expired = 0;
    for await (const pending of store.pending.all({}, { before: expiryCutoff(at) })) {
      const changed = await withConcurrencyRetry(async () => {
        const before = await store.getDocument(pending.documentId, true);
        if (!before || before.status !== 'PENDING') return false;
        const when = at.toISOString();
        const after: Document = { ...before, status: 'EXPIRED', expiredAt: when, updatedAt: when };
        await writeOrRetry(
          doc,
          [store.changeItem(before, after), changeEvent(systemActor('documents-expiry'), 'expired', before, after)],
          undefined,
        );
        return true;
      });
      if (changed) expired += 1;
    }
    return expired;
  }

  /**
   * The erasure hook (customer erasure, for the compliance work): every document attached to any of `entityIds`
   * loses its object and its file name and is `DELETED`, audited as `document.erased`. The object goes first, so a
   * run cut short and run again finishes the job; a document already erased is skipped. Returns how many it erased.
   */
  async function eraseForEntities(entityIds: readonly string[], actor: string): Promise<number> {
    let erased = 0;
    for (const entityId of new Set(entityIds)) {
      for await (const listed of store.byEntity.all({ entityId })) {
        if (listed.erasedAt) continue;
        await bucket().remove(objectKeyOf(listed.documentId));
        const changed = await withConcurrencyRetry(async () => {
          const before = await store.getDocument(listed.documentId, true);
          if (!before || before.erasedAt) return false;
          const after = eraseDocument(before, now().toISOString());
          await writeOrRetry(
            doc,
            [store.changeItem(before, after), changeEvent(actor, 'erased', before, after)],
            undefined,
          );
          return true;
        });
        if (changed) erased += 1;
      }
    }
    return erased;
  }

  /** The audit event of a change: the names of the fields that changed and the new status, never a value. */
  function changeEvent(actor: string, verb: string, before: Document, after: Document) {
    const changes = Object.keys({ ...before, ...after })
      .filter(
        (name) => JSON.stringify(before[name as keyof Document]) !== JSON.stringify(after[name as keyof Document]),
      )
      .filter((name) => name !== 'updatedAt')
      .sort();
    return audit.eventItem({
      actor,
      action: `document.${verb}`,
      entityType: 'document',
      entityId: after.documentId,
      at: after.updatedAt,
      status: after.status,
      changes,
      related: [{ entityType: after.entityType, entityId: after.entityId }],
    });
  }

  return { declare, get, list, remove, settle, expirePending, eraseForEntities };
}

export type DocumentService = ReturnType<typeof makeDocumentService>;
