import * as z from 'zod';
import type { Document } from '#shared/domain/documents.ts';
import type { DocumentDownload } from '#shared/services/documents.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';

/** `{documentId}` of the document routes. */
export const documentPathSchema = z.object({ documentId: z.string().min(1).max(64) });

/** `GET /v1/documents?entityId=`: the entity whose documents to list (required), paged. */
export const documentListQuerySchema = pageQuerySchema.extend({ entityId: z.string().min(1).max(64) });

/**
 * A document as its routes show it: metadata and, on `GET /v1/documents/{documentId}` once `AVAILABLE`, a download
 * URL valid 5 minutes. `fileName` is absent once erased.
 */
export function documentView(document: Document, download?: DocumentDownload) {
  return {
    documentId: document.documentId,
    entityId: document.entityId,
    entityType: document.entityType,
    ...(document.fileName !== undefined ? { fileName: document.fileName } : {}),
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    status: document.status,
    uploadedBy: document.uploadedBy,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    ...(document.availableAt !== undefined ? { availableAt: document.availableAt } : {}),
    ...(document.rejectionReason !== undefined ? { rejectionReason: document.rejectionReason } : {}),
    ...(document.expiredAt !== undefined ? { expiredAt: document.expiredAt } : {}),
    ...(document.deletedAt !== undefined ? { deletedAt: document.deletedAt } : {}),
    ...(download ? { downloadUrl: download.downloadUrl, downloadExpiresAt: download.downloadExpiresAt } : {}),
  };
}
