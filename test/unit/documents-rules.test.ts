import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  MAX_DOCUMENT_BYTES,
  declareDocument,
  deleteDocument,
  documentIdOfKey,
  entityKindOf,
  eraseDocument,
  expiryCutoff,
  mismatchOf,
  objectKeyOf,
  readAccess,
  settleUpload,
  uploadRequestSchema,
} from '#shared/domain/documents.ts';
import { newId } from '#shared/ids.ts';

const ORDER = newId('order');
const valid = { entityId: ORDER, fileName: 'note.pdf', contentType: 'application/pdf', sizeBytes: 10 };
const fields = (input: unknown) => {
  const parsed = uploadRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.')).sort();
};

describe('document declarations', () => {
  it('accepts the seven content types and nothing else', () => {
    for (const contentType of CONTENT_TYPES) expect(fields({ ...valid, contentType })).toEqual([]);
    expect(CONTENT_TYPES).toHaveLength(7);
    for (const contentType of ['image/gif', 'application/zip', 'text/html', 'application/PDF', ''])
      expect(fields({ ...valid, contentType })).toEqual(['contentType']);
  });

  it('takes 1 byte to 25 MiB, whole bytes only', () => {
    expect(fields({ ...valid, sizeBytes: 1 })).toEqual([]);
    expect(fields({ ...valid, sizeBytes: MAX_DOCUMENT_BYTES })).toEqual([]);
    expect(MAX_DOCUMENT_BYTES).toBe(26_214_400);
    for (const sizeBytes of [0, -1, MAX_DOCUMENT_BYTES + 1, 1.5, '10'])
      expect(fields({ ...valid, sizeBytes })).toEqual(['sizeBytes']);
  });

  it('takes a file name of 1–255 characters without path separators or control characters', () => {
    for (const fileName of ['a', 'x'.repeat(255), 'Delivery note (2).pdf', 'façade é.png', '.hidden'])
      expect(fields({ ...valid, fileName })).toEqual([]);
    for (const fileName of ['', 'x'.repeat(256), 'a/b.pdf', 'a\\b.pdf', 'a\nb', 'tab\there', 'nul\u0000', '..', '.'])
      expect(fields({ ...valid, fileName })).toEqual(['fileName']);
  });

  it('maps an entity id to its kind by its prefix, and refuses other kinds', () => {
    expect(entityKindOf(ORDER)?.kind).toBe('order');
    expect(entityKindOf(newId('employee'))?.readers).toEqual(['hr']);
    expect(entityKindOf(newId('ticket'))).toMatchObject({ kind: 'ticket', hiddenFromOthers: true });
    expect(entityKindOf(newId('purchaseOrder'))?.kind).toBe('purchaseOrder');
    for (const id of [newId('receipt'), newId('journalEntry'), 'ord_short', 'ORDER-1', newId('document')])
      expect(entityKindOf(id)).toBeUndefined();
  });

  it('lets the readers of the record read, 404s a ticket to anyone but it and its filer, 403s the rest', () => {
    const employee = entityKindOf(newId('employee'))!;
    const ticket = entityKindOf(newId('ticket'))!;
    expect(readAccess(employee, { sub: 'a', roles: ['hr'] }, undefined)).toBe('read');
    expect(readAccess(employee, { sub: 'a', roles: ['admin'] }, undefined)).toBe('read');
    expect(readAccess(employee, { sub: 'a', roles: ['front-office', 'support'] }, undefined)).toBe('forbidden');
    expect(readAccess(ticket, { sub: 'a', roles: ['it'] }, 'b')).toBe('read');
    expect(readAccess(ticket, { sub: 'b', roles: ['employee'] }, 'b')).toBe('read');
    expect(readAccess(ticket, { sub: 'c', roles: ['employee', 'hr'] }, 'b')).toBe('hidden');
  });
});

describe('document lifecycle', () => {
  const now = new Date('2026-12-01T10:00:00.000Z');
  const pending = declareDocument(newId('document'), uploadRequestSchema.parse(valid), entityKindOf(ORDER)!, 'u', now);

  it('declares PENDING with an upload URL valid 15 minutes, keyed by id, not name', () => {
    expect(pending).toMatchObject({ status: 'PENDING', uploadExpiresAt: '2026-12-01T10:15:00.000Z' });
    expect(objectKeyOf(pending.documentId)).toBe(`documents/${pending.documentId}`);
    expect(documentIdOfKey(objectKeyOf(pending.documentId))).toBe(pending.documentId);
    for (const key of ['documents/note.pdf', `other/${pending.documentId}`, `documents/${pending.documentId}/x`])
      expect(documentIdOfKey(key)).toBeUndefined();
  });

  it('settles AVAILABLE when size and type match, REJECTED with the reason otherwise', () => {
    expect(mismatchOf(pending, { sizeBytes: 10, contentType: 'application/pdf' })).toBeUndefined();
    expect(mismatchOf(pending, { sizeBytes: 10, contentType: 'Application/PDF; charset=x' })).toBeUndefined();
    expect(mismatchOf(pending, { sizeBytes: 11, contentType: 'application/pdf' })).toBe('size_mismatch');
    expect(mismatchOf(pending, { sizeBytes: 10, contentType: 'text/plain' })).toBe('content_type_mismatch');
    expect(mismatchOf(pending, { sizeBytes: 10, contentType: undefined })).toBe('content_type_mismatch');
    const at = '2026-12-01T10:01:00.000Z';
    expect(settleUpload(pending, { sizeBytes: 10, contentType: 'application/pdf' }, at)).toMatchObject({
      status: 'AVAILABLE',
      availableAt: at,
    });
    expect(settleUpload(pending, { sizeBytes: 9, contentType: 'application/pdf' }, at)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'size_mismatch',
    });
  });

  it('deletes for admin always, for the uploader while PENDING, never twice', () => {
    const at = '2026-12-01T10:02:00.000Z';
    expect(deleteDocument(pending, { sub: 'u', roles: ['front-office'] }, at)).toMatchObject({ status: 'DELETED' });
    expect(deleteDocument(pending, { sub: 'v', roles: ['front-office'] }, at)).toBeUndefined();
    const available = { ...pending, status: 'AVAILABLE' as const };
    expect(deleteDocument(available, { sub: 'u', roles: ['front-office'] }, at)).toBeUndefined();
    expect(deleteDocument(available, { sub: 'x', roles: ['admin'] }, at)).toMatchObject({ status: 'DELETED' });
    expect(() => deleteDocument({ ...pending, status: 'DELETED' }, { sub: 'x', roles: ['admin'] }, at)).toThrow(
      /already deleted/,
    );
  });

  it('erases the file name, and expires an hour after the upload URL did', () => {
    const erased = eraseDocument(pending, '2026-12-02T00:00:00.000Z');
    expect(erased).toMatchObject({ status: 'DELETED', erasedAt: '2026-12-02T00:00:00.000Z' });
    expect(erased.fileName).toBeUndefined();
    expect(expiryCutoff(new Date('2026-12-01T11:15:00.000Z'))).toBe('2026-12-01T10:00:00.000Z');
  });
});
