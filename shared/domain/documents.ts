import * as z from 'zod';
import { ConflictError } from '#shared/errors.ts';

/**
 * Documents attached to records (docs/contract.md#documents): the pure rules. A document is declared (`PENDING`, an
 * upload URL for exactly the declared type and size), then S3 reports the object and it becomes `AVAILABLE` or
 * `REJECTED`; one never uploaded `EXPIRED`; a deleted one `DELETED` (kept, audited, its object gone).
 */

export const DOCUMENT_STATUSES = ['PENDING', 'AVAILABLE', 'REJECTED', 'EXPIRED', 'DELETED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The accepted content types: PDF, PNG, JPEG, CSV, plain text, DOCX, XLSX. */
export const CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** 25 MiB. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
/** How long an upload URL is valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** How long a download URL is valid. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;
/** A `PENDING` document expires this long after its upload URL did. */
export const PENDING_GRACE_SECONDS = 60 * 60;

/** What each rejection says in `rejectionReason`. */
export type RejectionReason = 'size_mismatch' | 'content_type_mismatch';

/**
 * Who may read an entity, and so its documents: the roles of the entity's own GET route. `requester` (IT tickets):
 * the employee who filed it may too, and anyone else gets a 404, as the ticket's route answers.
 */
export interface EntityKind {
  kind: string;
  readers: readonly string[];
  hiddenFromOthers?: boolean;
}

/** The kinds of record documents attach to, by their id prefix (shared/ids.ts). */
export const ATTACHABLE: Readonly<Record<string, EntityKind>> = {
  ord: { kind: 'order', readers: ['front-office', 'support', 'accounting', 'ops'] },
  inv: { kind: 'invoice', readers: ['front-office', 'accounting', 'support'] },
  pay: { kind: 'payment', readers: ['front-office', 'accounting'] },
  cas: { kind: 'case', readers: ['support', 'front-office'] },
  tkt: { kind: 'ticket', readers: ['it'], hiddenFromOthers: true },
  cus: { kind: 'customer', readers: ['support', 'front-office'] },
  emp: { kind: 'employee', readers: ['hr'] },
  apt: { kind: 'appointment', readers: ['front-office', 'support'] },
  po: { kind: 'purchaseOrder', readers: ['inventory', 'accounting'] },
};

/** An entity id split into its kind and its id; undefined for a prefix documents do not attach to. */
export function entityKindOf(entityId: string): EntityKind | undefined {
  const match = /^([a-z]+)_[0-9A-HJKMNP-TV-Z]{26}$/.exec(entityId);
  return match ? ATTACHABLE[match[1]!] : undefined;
}

/**
 * Whether a caller may read an entity of this kind: `read`, `forbidden` (403, the caller lacks every reader role) or
 * `hidden` (404: an IT ticket someone else filed, as its own route answers). `admin` reads everything.
 */
export function readAccess(
  kind: EntityKind,
  caller: { sub: string; roles: readonly string[] },
  requester: string | undefined,
): 'read' | 'forbidden' | 'hidden' {
  if (caller.roles.includes('admin') || caller.roles.some((role) => kind.readers.includes(role))) return 'read';
  if (kind.hiddenFromOthers) return requester !== undefined && requester === caller.sub ? 'read' : 'hidden';
  return 'forbidden';
}

/** A file name: 1–255 characters, no path separator (`/`, `\`) and no control character. */
export const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\]/.test(name), 'Must not contain a path separator (/ or \\)')
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'Must not contain control characters')
  .refine((name) => name !== '.' && name !== '..', 'Must name a file');

/** `POST /v1/documents`. */
export const uploadRequestSchema = z.object({
  entityId: z.string().min(1).max(64),
  fileName: fileNameSchema,
  contentType: z.enum(CONTENT_TYPES, { message: `Must be one of ${CONTENT_TYPES.join(', ')}` }),
  sizeBytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_DOCUMENT_BYTES, { message: `Must be at most ${MAX_DOCUMENT_BYTES} bytes (25 MiB)` }),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

export interface Document {
  documentId: string;
  entityId: string;
  entityType: string;
  /** Absent once erased. */
  fileName?: string | undefined;
  contentType: ContentType;
  /** Declared at upload; the object's size once `AVAILABLE`. */
  sizeBytes: number;
  status: DocumentStatus;
  uploadedBy: string;
  createdAt: string;
  updatedAt: string;
  uploadExpiresAt: string;
  availableAt?: string | undefined;
  rejectionReason?: RejectionReason | undefined;
  deletedAt?: string | undefined;
  expiredAt?: string | undefined;
  erasedAt?: string | undefined;
}

/** The object key of a document: its id only, never the file name (personal data stays out of S3 keys and logs). */
export function objectKeyOf(documentId: string): string {
  return `documents/${documentId}`;
}

/** The document id an object key names, or undefined for a key that is not a document's. */
export function documentIdOfKey(key: string): string | undefined {
  const match = /^documents\/(doc_[0-9A-HJKMNP-TV-Z]{26})$/.exec(key);
  return match?.[1];
}

/** A new `PENDING` document. */
export function declareDocument(
  documentId: string,
  request: UploadRequest,
  entity: EntityKind,
  uploadedBy: string,
  now: Date,
): Document {
  const at = now.toISOString();
  return {
    documentId,
    entityId: request.entityId,
    entityType: entity.kind,
    fileName: request.fileName,
    contentType: request.contentType,
    sizeBytes: request.sizeBytes,
    status: 'PENDING',
    uploadedBy,
    createdAt: at,
    updatedAt: at,
    uploadExpiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

/** What the stored object says about itself (S3 `HeadObject`). */
export interface StoredObject {
  sizeBytes: number;
  contentType: string | undefined;
}

/** Why an uploaded object does not match its declaration, or undefined when it does. */
export function mismatchOf(document: Document, object: StoredObject): RejectionReason | undefined {
  if (object.sizeBytes !== document.sizeBytes) return 'size_mismatch';
  const type = object.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== document.contentType) return 'content_type_mismatch';
  return undefined;
}

/** The document once its object arrived: `AVAILABLE` with its size, or `REJECTED` with the reason. */
export function settleUpload(document: Document, object: StoredObject, at: string): Document {
  const reason = mismatchOf(document, object);
  if (reason) return { ...document, status: 'REJECTED', rejectionReason: reason, updatedAt: at };
  return { ...document, status: 'AVAILABLE', sizeBytes: object.sizeBytes, availableAt: at, updatedAt: at };
}

/**
 * Deleting: `admin` any document not already deleted; the uploader while it is `PENDING`. Already deleted → 409.
 * Returns undefined when the caller may not (a 403 for the route).
 */
export function deleteDocument(
  document: Document,
  caller: { sub: string; roles: readonly string[] },
  at: string,
): Document | undefined {
  if (document.status === 'DELETED') throw new ConflictError(`Document ${document.documentId} is already deleted.`);
  const admin = caller.roles.includes('admin');
  const uploaderWhilePending = document.status === 'PENDING' && document.uploadedBy === caller.sub;
  if (!admin && !uploaderWhilePending) return undefined;
  return { ...document, status: 'DELETED', deletedAt: at, updatedAt: at };
}

/** The document erased: `DELETED` with its file name removed (customer erasure). */
export function eraseDocument(document: Document, at: string): Document {
  return {
    ...document,
    status: 'DELETED',
    fileName: undefined,
    deletedAt: document.deletedAt ?? at,
    erasedAt: at,
    updatedAt: at,
  };
}

/** The instant before which a `PENDING` document's creation makes it expired at `now`. */
export function expiryCutoff(now: Date): string {
  return new Date(now.getTime() - (UPLOAD_URL_SECONDS + PENDING_GRACE_SECONDS) * 1000).toISOString();
}
