import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestStack, type LocalStack } from '../support/stack.ts';
import { eventually } from '../support/index.ts';

/**
 * A document over HTTP against the local runtime: HR attaches a contract to an employee, uploads the bytes straight to
 * the (local) S3 through the presigned URL, the S3 event reaches the documents processor through its queue, and the
 * document is AVAILABLE with a download URL that returns the same bytes; an object larger than declared is REJECTED
 * and removed. The API never carries the file's bytes.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const HR = ['hr'];

async function hire(email: string): Promise<string> {
  const hired = await call(stack, 'POST', '/v1/hr/employees', {
    roles: HR,
    body: {
      name: 'Ada Lovelace',
      email,
      title: 'Analyst',
      department: 'Engineering',
      startDate: '2026-12-01',
      annualSalaryCents: 9_000_000,
    },
  });
  expect(hired.status).toBe(202);
  return hired.body.employeeId;
}

async function settled(documentId: string) {
  return eventually(async () => {
    const answer = await call(stack, 'GET', `/v1/documents/${documentId}`, { roles: HR });
    return answer.body.status !== 'PENDING' ? answer.body : undefined;
  }, 15_000);
}

describe('a document attached to a record, over HTTP', () => {
  it('uploads through the presigned URL, is AVAILABLE, downloads the same bytes; others cannot read it', async () => {
    const employeeId = await hire('ada.documents@example.com');
    const bytes = Buffer.from('Employment contract\nSigned on 2026-12-01.\n');
    const declared = await call(stack, 'POST', '/v1/documents', {
      roles: HR,
      sub: 'hr-1',
      body: { entityId: employeeId, fileName: 'contract.txt', contentType: 'text/plain', sizeBytes: bytes.length },
    });
    expect(declared.status).toBe(201);
    const { documentId, uploadUrl } = declared.body;
    expect(declared.headers.get('location')).toBe(`/v1/documents/${documentId}`);

    const put = await fetch(uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    const document = await settled(documentId);
    expect(document).toMatchObject({ documentId, entityId: employeeId, status: 'AVAILABLE', sizeBytes: bytes.length });
    const downloaded = Buffer.from(await (await fetch(document.downloadUrl)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);

    const listed = await call(stack, 'GET', `/v1/documents?entityId=${employeeId}`, { roles: HR });
    expect(listed.body.items.map((item: { documentId: string }) => item.documentId)).toEqual([documentId]);
    // An employee's documents are hr's (and admin's) only.
    expect((await call(stack, 'GET', `/v1/documents/${documentId}`, { roles: ['front-office'] })).status).toBe(403);
    expect((await call(stack, 'GET', `/v1/documents/${documentId}`, { roles: ['admin'] })).status).toBe(200);
  });

  it('rejects and removes an object larger than declared', async () => {
    const employeeId = await hire('alan.documents@example.com');
    const declared = await call(stack, 'POST', '/v1/documents', {
      roles: HR,
      body: { entityId: employeeId, fileName: 'scan.txt', contentType: 'text/plain', sizeBytes: 10 },
    });
    expect(declared.status).toBe(201);
    const tooBig = Buffer.from('twenty bytes, not 10');
    await fetch(declared.body.uploadUrl, { method: 'PUT', body: tooBig, headers: { 'content-type': 'text/plain' } });

    const document = await settled(declared.body.documentId);
    expect(document).toMatchObject({ status: 'REJECTED' });
    expect(document.downloadUrl).toBeUndefined();
  });
});
