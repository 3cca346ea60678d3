import { describe, expect, it } from 'vitest';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { handler as declareDocument } from '../../functions/documents/declare-document.ts';
import { handler as getDocument } from '../../functions/documents/get-document.ts';
import { handler as listDocuments } from '../../functions/documents/list-documents.ts';
import { handler as deleteDocument } from '../../functions/documents/delete-document.ts';
import { handler as processUpload } from '../../functions/documents/process-upload.ts';
import { handler as expireDocuments } from '../../functions/documents/expire-documents.ts';
import { keys } from '#shared/keys.ts';
import { newId } from '#shared/ids.ts';
import { objectKeyOf } from '#shared/domain/documents.ts';
import { makeObjectStore } from '#shared/data/objects.ts';
import { makeDocumentService } from '#shared/services/documents.ts';
import { s3EventMessage } from '../../scripts/local/s3.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local/env.ts';
import {
  eventually,
  invokeProcessor,
  pumpQueue,
  scheduledEvent,
  testClients,
  testResources,
} from '../support/index.ts';
import { auditOf, call } from './support-fixtures.ts';

const PDF = Buffer.from('%PDF-1.4\n% a tiny test document\n%%EOF\n');

function s3Client(): S3Client {
  return new S3Client({
    endpoint: testResources().s3.endpoint,
    forcePathStyle: true,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

async function objectExists(documentId: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: testResources().s3.bucket, Key: objectKeyOf(documentId) }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** A record of `kind` written straight into the table (documents only read that it exists, and a ticket's filer). */
async function entity(kind: 'order' | 'employee' | 'ticket' | 'customer', extra: Record<string, unknown> = {}) {
  const { doc } = testClients();
  const id = newId(kind === 'ticket' ? 'ticket' : kind);
  const key =
    kind === 'order'
      ? keys.order.key({ orderId: id })
      : kind === 'employee'
        ? keys.employee.key({ employeeId: id })
        : kind === 'customer'
          ? keys.customer.key({ customerId: id })
          : keys.desk.key({ kind: 'ticket', id });
  await doc.send(new PutCommand({ TableName: testResources().tableName, Item: { ...key, entity: kind, ...extra } }));
  return id;
}

function declare(body: Record<string, unknown>, roles = ['front-office'], sub = 'clerk-1') {
  return call(declareDocument, { method: 'POST', path: '/v1/documents', roles, sub, body });
}

function upload(entityId: string, overrides: Record<string, unknown> = {}, roles = ['front-office'], sub = 'clerk-1') {
  return declare(
    { entityId, fileName: 'Delivery note 12.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, ...overrides },
    roles,
    sub,
  );
}

function read(documentId: string, roles = ['front-office'], sub = 'clerk-1') {
  return call(getDocument, { path: `/v1/documents/${documentId}`, roles, sub });
}

function remove(documentId: string, roles = ['front-office'], sub = 'clerk-1') {
  return call(deleteDocument, { method: 'DELETE', path: `/v1/documents/${documentId}`, roles, sub });
}

async function put(url: string, bytes: Buffer, contentType = 'application/pdf'): Promise<number> {
  const answer = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': contentType } });
  await answer.arrayBuffer();
  return answer.status;
}

/** Delivers the documents queue to the processor until the document leaves `PENDING`. */
async function settled(documentId: string, roles = ['front-office']) {
  return eventually(async () => {
    await pumpQueue('documents', processUpload);
    const answer = await read(documentId, roles);
    return answer.body.status !== 'PENDING' ? answer.body : undefined;
  });
}

describe('documents attached to records', () => {
  it('declares, uploads through the presigned URL, becomes AVAILABLE and downloads the same bytes', async () => {
    const orderId = await entity('order');
    const declared = await upload(orderId);
    expect(declared.status).toBe(201);
    expect(declared.headers.location).toBe(`/v1/documents/${declared.body.documentId}`);
    const { documentId, uploadUrl, expiresAt } = declared.body;
    expect(documentId).toMatch(/^doc_/);

    // The upload URL is valid 15 minutes and signs the declared type and size (checkable locally: s3rver does not
    // verify signatures, so what it would refuse is the processor's to catch).
    const signed = new URL(uploadUrl);
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(signed.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-type', 'content-length', 'host']),
    );
    expect(signed.searchParams.has('x-amz-checksum-crc32')).toBe(false);
    expect(signed.pathname).toBe(`/${testResources().s3.bucket}/${objectKeyOf(documentId)}`);
    expect(uploadUrl).not.toContain('Delivery');
    const createdAt = Date.parse((await read(documentId)).body.createdAt);
    expect(Date.parse(expiresAt) - createdAt).toBe(15 * 60_000);

    const pending = await read(documentId);
    expect(pending.body).toMatchObject({ status: 'PENDING', fileName: 'Delivery note 12.pdf', entityType: 'order' });
    expect(pending.body.downloadUrl).toBeUndefined();

    expect(await put(uploadUrl, PDF)).toBe(200);
    const available = await settled(documentId);
    expect(available).toMatchObject({ status: 'AVAILABLE', sizeBytes: PDF.length });

    const got = await read(documentId, ['support']);
    const download = new URL(got.body.downloadUrl);
    expect(download.searchParams.get('X-Amz-Expires')).toBe('300');
    const signedAt = download.searchParams.get('X-Amz-Date')!;
    const signedMs = Date.parse(
      `${signedAt.slice(0, 4)}-${signedAt.slice(4, 6)}-${signedAt.slice(6, 8)}T` +
        `${signedAt.slice(9, 11)}:${signedAt.slice(11, 13)}:${signedAt.slice(13, 15)}Z`,
    );
    expect(Date.parse(got.body.downloadExpiresAt) - signedMs).toBeGreaterThanOrEqual(300_000);
    expect(Date.parse(got.body.downloadExpiresAt) - signedMs).toBeLessThan(301_000);
    const bytes = Buffer.from(await (await fetch(got.body.downloadUrl)).arrayBuffer());
    expect(bytes.equals(PDF)).toBe(true);

    const listed = await call(listDocuments, {
      path: '/v1/documents',
      roles: ['accounting'],
      query: { entityId: orderId },
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: { documentId: string }) => d.documentId)).toEqual([documentId]);
    expect(listed.body.items[0].downloadUrl).toBeUndefined();

    const events = await auditOf(documentId);
    expect(events.map((e) => [e.action, e.status])).toEqual([
      ['document.declared', 'PENDING'],
      ['document.available', 'AVAILABLE'],
    ]);
    expect(JSON.stringify(events)).not.toContain('Delivery');
  });

  it('rejects an object larger than declared, deletes it, and a redelivered event changes nothing', async () => {
    const orderId = await entity('order');
    const { body } = await upload(orderId);
    // s3rver stores what it is sent (AWS would refuse the unsigned length): the processor catches it.
    expect(await put(body.uploadUrl, Buffer.concat([PDF, Buffer.from('more')]))).toBe(200);
    const rejected = await settled(body.documentId);
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'size_mismatch' });
    expect(await objectExists(body.documentId)).toBe(false);

    const message = s3EventMessage({
      eventName: 'ObjectCreated:Put',
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: testResources().s3.bucket }, object: { key: objectKeyOf(body.documentId), size: 1 } },
    });
    const again = await invokeProcessor(processUpload, [message, message], 'documents');
    expect(again.failedIds).toEqual([]);
    expect((await read(body.documentId)).body.status).toBe('REJECTED');
    expect((await auditOf(body.documentId)).map((e) => e.action)).toEqual(['document.declared', 'document.rejected']);
  });

  it('settles once however often the event is delivered, and rejects another content type', async () => {
    const orderId = await entity('order');
    const first = (await upload(orderId)).body;
    expect(await put(first.uploadUrl, PDF)).toBe(200);
    const message = s3EventMessage({
      eventName: 'ObjectCreated:Put',
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: testResources().s3.bucket }, object: { key: objectKeyOf(first.documentId) } },
    });
    const delivered = await invokeProcessor(processUpload, [message, message, message], 'documents');
    expect(delivered.failedIds).toEqual([]);
    await pumpQueue('documents', processUpload);
    expect((await auditOf(first.documentId)).map((e) => e.action)).toEqual(['document.declared', 'document.available']);

    const second = (await upload(orderId)).body;
    expect(await put(second.uploadUrl, PDF, 'text/plain')).toBe(200);
    expect(await settled(second.documentId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'content_type_mismatch',
    });

    // An object under a key that is no document's, and S3's test event, are dropped without failing.
    const stray = s3EventMessage({
      eventName: 'ObjectCreated:Put',
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: testResources().s3.bucket }, object: { key: 'elsewhere/file name.txt' } },
    });
    const dropped = await invokeProcessor(
      processUpload,
      [stray, { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: testResources().s3.bucket }],
      'documents',
    );
    expect(dropped.failedIds).toEqual([]);
    const unreadable = await invokeProcessor(processUpload, ['not json', { Records: 'nope' }], 'documents');
    expect(unreadable.failedIds).toEqual(['msg-0', 'msg-1']);
  });

  it('refuses bad input with 400 naming each field, writing nothing', async () => {
    const orderId = await entity('order');
    const bad = await declare({
      entityId: orderId,
      fileName: '../etc/passwd',
      contentType: 'image/gif',
      sizeBytes: 25 * 1024 * 1024 + 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'contentType',
      'fileName',
      'sizeBytes',
    ]);
    const control = await upload(orderId, { fileName: 'a\u0007b.pdf', sizeBytes: 0 });
    expect(control.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fileName', 'sizeBytes']);
    const long = await upload(orderId, { fileName: `${'x'.repeat(252)}.pdf` });
    expect(long.status).toBe(400);
    const kind = await upload('rcv_01KB0000000000000000000000');
    expect(kind.status).toBe(400);
    expect(kind.body.errors).toEqual([expect.objectContaining({ path: 'entityId' })]);
    const missing = await upload(newId('order'));
    expect(missing.status).toBe(404);
    expect(
      (await call(listDocuments, { path: '/v1/documents', roles: ['front-office'], query: { entityId: orderId } })).body
        .items,
    ).toEqual([]);
    const noEntity = await call(listDocuments, { path: '/v1/documents', roles: ['front-office'] });
    expect(noEntity.body.errors).toEqual([expect.objectContaining({ path: 'query.entityId' })]);
  });

  it('lets the record’s readers reach its documents: an employee’s hr only, a ticket’s it and its filer', async () => {
    const employeeId = await entity('employee');
    expect((await upload(employeeId, {}, ['front-office'])).status).toBe(403);
    const contract = await upload(employeeId, { fileName: 'contract.pdf' }, ['hr'], 'hr-1');
    expect(contract.status).toBe(201);
    expect((await read(contract.body.documentId, ['support'])).status).toBe(403);
    expect((await read(contract.body.documentId, ['hr'])).status).toBe(200);
    const hrList = await call(listDocuments, {
      path: '/v1/documents',
      roles: ['accounting'],
      query: { entityId: employeeId },
    });
    expect(hrList.status).toBe(403);

    const ticketId = await entity('ticket', { requester: 'emp-sub-7' });
    expect((await upload(ticketId, {}, ['employee'], 'emp-sub-8')).status).toBe(404);
    const screenshot = await upload(ticketId, { contentType: 'image/png' }, ['employee'], 'emp-sub-7');
    expect(screenshot.status).toBe(201);
    expect((await read(screenshot.body.documentId, ['employee'], 'emp-sub-8')).status).toBe(404);
    expect((await read(screenshot.body.documentId, ['it'], 'it-1')).status).toBe(200);
    expect((await read(screenshot.body.documentId, ['employee'], 'emp-sub-7')).status).toBe(200);
    const itList = await call(listDocuments, {
      path: '/v1/documents',
      roles: ['employee'],
      sub: 'emp-sub-8',
      query: { entityId: ticketId },
    });
    expect(itList.status).toBe(404);
    expect((await read(newId('document'))).status).toBe(404);
  });

  it('deletes: the uploader while PENDING, admin always; a second DELETE is a 409 with no second effect', async () => {
    const orderId = await entity('order');
    const pending = (await upload(orderId)).body;
    expect((await remove(pending.documentId, ['front-office'], 'clerk-2')).status).toBe(403);
    const deleted = await remove(pending.documentId);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'DELETED' });
    expect((await remove(pending.documentId)).status).toBe(409);
    expect((await remove(pending.documentId, ['admin'], 'admin-1')).status).toBe(409);
    // An upload that lands after the delete is removed by the processor; the document stays DELETED.
    expect(await put(pending.uploadUrl, PDF)).toBe(200);
    await eventually(async () => {
      await pumpQueue('documents', processUpload);
      return !(await objectExists(pending.documentId));
    });
    expect((await auditOf(pending.documentId)).map((e) => e.action)).toEqual(['document.declared', 'document.deleted']);

    const available = (await upload(orderId)).body;
    await put(available.uploadUrl, PDF);
    await settled(available.documentId);
    expect((await remove(available.documentId)).status).toBe(403);
    expect((await remove(available.documentId, ['admin'], 'admin-1')).status).toBe(200);
    expect(await objectExists(available.documentId)).toBe(false);
    const after = await read(available.documentId);
    expect(after.body.status).toBe('DELETED');
    expect(after.body.downloadUrl).toBeUndefined();
  });

  it('expires a document never uploaded an hour after its upload URL did', async () => {
    const orderId = await entity('order');
    const { body } = await upload(orderId);
    const created = Date.parse((await read(body.documentId)).body.createdAt);
    const early = await expireDocuments(scheduledEvent({}, new Date(created + 74 * 60_000)));
    expect(early).toMatchObject({ expired: 0 });
    expect((await read(body.documentId)).body.status).toBe('PENDING');
    const due = await expireDocuments(scheduledEvent({}, new Date(created + 76 * 60_000)));
    expect(due.expired).toBeGreaterThanOrEqual(1);
    expect((await read(body.documentId)).body).toMatchObject({ status: 'EXPIRED' });
    const again = await expireDocuments(scheduledEvent({}, new Date(created + 90 * 60_000)));
    expect(again).toMatchObject({ expired: 0 });
    expect((await auditOf(body.documentId)).map((e) => [e.action, e.actor])).toEqual([
      ['document.declared', 'clerk-1'],
      ['document.expired', 'system:documents-expiry'],
    ]);
  });

  it('signs a download URL that S3 refuses once its 5 minutes are over', async () => {
    const orderId = await entity('order');
    const { body } = await upload(orderId);
    await put(body.uploadUrl, PDF);
    await settled(body.documentId);
    const { tableName, s3 } = testResources();
    const objects = makeObjectStore({ s3: s3Client(), bucket: s3.bucket });
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    const past = makeDocumentService({ doc: testClients().doc, tableName, objects, now: () => sixMinutesAgo });
    const { download } = await past.get(body.documentId, { sub: 'clerk-1', roles: ['front-office'] });
    expect(Date.parse(download!.downloadExpiresAt)).toBeLessThan(Date.now());
    expect((await fetch(download!.downloadUrl)).status).toBe(403);
  });

  it('erases every document attached to a set of records: objects gone, file names gone, DELETED', async () => {
    const customerId = await entity('customer');
    const orderId = await entity('order');
    const other = await entity('order');
    const a = (await upload(customerId, { fileName: 'passport scan.pdf' }, ['support'])).body;
    const b = (await upload(orderId)).body;
    const kept = (await upload(other)).body;
    await put(a.uploadUrl, PDF);
    await settled(a.documentId);
    const { tableName, s3 } = testResources();
    const objects = makeObjectStore({ s3: s3Client(), bucket: s3.bucket });
    const documents = makeDocumentService({ doc: testClients().doc, tableName, objects });

    expect(await documents.eraseForEntities([customerId, orderId], 'system:erasure')).toBe(2);
    expect(await objectExists(a.documentId)).toBe(false);
    for (const id of [a.documentId, b.documentId]) {
      const erased = await read(id, ['admin'], 'admin-1');
      expect(erased.body.status).toBe('DELETED');
      expect(erased.body.fileName).toBeUndefined();
      const last = (await auditOf(id)).at(-1)!;
      expect(last).toMatchObject({ action: 'document.erased', actor: 'system:erasure', status: 'DELETED' });
      expect(last.changes).toContain('fileName');
    }
    expect((await read(kept.documentId)).body).toMatchObject({ status: 'PENDING', fileName: 'Delivery note 12.pdf' });
    expect(await documents.eraseForEntities([customerId, orderId], 'system:erasure')).toBe(0);
  });
});
