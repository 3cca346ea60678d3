/**
 * Vitest setupFile for the `integration` and `e2e` projects. Runs in the test worker before each test file imports
 * anything: creates a fresh table and fresh queues (each with its dead-letter queue) for this file on the shared
 * DynamoDB Local and SQS server, and sets `process.env` exactly as the local runtime does for handlers, so handler
 * modules that read config and build clients at import time see this file's resources. Then installs the
 * least-privilege recorder (`access-recorder.ts`): each test fails when a handler it invoked made a request its
 * manifest entry does not grant, and what the file's handlers used is written to the run's folder for the
 * over-grant check in `global-setup.ts`.
 */
import { afterAll, afterEach, inject, vi } from 'vitest';
import type { RunnerTask, RunnerTestFile } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queues as manifestQueues } from '#shared/manifest.ts';
import { functionSpecs, realManifest } from '#infra/manifest.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { applyEnv, handlerEnv } from '../../scripts/local/env.ts';
import { ensureTable } from '../../scripts/local/table.ts';
import { ensureQueues } from '../../scripts/local/queues.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { localSqsClient } from '../../scripts/local/sqs.ts';
import { forwardObjectCreated, startLocalS3 } from '../../scripts/local/s3.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTestResources } from './resources.ts';
import { attributed, fileRecord, installRecorder, recordCursorKeyRead } from './access-recorder.ts';

const dynamoEndpoint = inject('dynamoEndpoint');
const sqsEndpoint = inject('sqsEndpoint');
const id = randomBytes(4).toString('hex');
const tableName = `test-${id}`;
const queuePrefix = `t${id}-`;

const bucket = `${queuePrefix}documents`;

const dynamo = localDynamoClient(dynamoEndpoint);
const sqs = localSqsClient(sqsEndpoint);
// This file's S3 stand-in (s3rver, in this worker) with its documents bucket: its object events go to this file's
// documents queue, as S3's notification does in AWS.
const s3Dir = mkdtempSync(join(tmpdir(), 'back-office-s3-'));
const s3Forwarder = localSqsClient(sqsEndpoint);
let documentsQueueUrl: string | undefined;
const s3Server = await startLocalS3({
  directory: s3Dir,
  buckets: [bucket],
  onObjectCreated: forwardObjectCreated(s3Forwarder, () => documentsQueueUrl),
});
let queues: Awaited<ReturnType<typeof ensureQueues>>;
try {
  [, queues] = await Promise.all([
    ensureTable(dynamo, tableName),
    ensureQueues(sqs, manifestQueues, { prefix: queuePrefix }),
  ]);
  documentsQueueUrl = queues.find((q) => q.name === 'documents')?.url;
  const s3 = { endpoint: s3Server.endpoint, bucket };
  const cursorSecret = randomBytes(32).toString('base64url');
  const env = handlerEnv({ dynamoEndpoint, sqsEndpoint, tableName, queues, s3, cursorSecret });
  applyEnv(env);
  setTestResources({ dynamoEndpoint, sqsEndpoint, tableName, queuePrefix, queues, env, s3 });
} finally {
  dynamo.destroy();
  sqs.destroy();
}

// Every import of a manifest handler module — a test's, or the local runtime's loader — gets its `handler` wrapped
// so the requests it makes are attributed to it.
for (const spec of functionSpecs(realManifest)) {
  vi.doMock(join(PROJECT_ROOT, `${spec.handler}.ts`), async (importOriginal) => {
    const module = await importOriginal<{ handler?: unknown }>();
    return { ...module, handler: attributed(spec.handler, module.handler) };
  });
}

// Signing or verifying a cursor reads the cursor key (a Secrets Manager secret on AWS, the environment here).
vi.doMock(join(PROJECT_ROOT, 'shared/data/pagination.ts'), async (importOriginal) => {
  const module = await importOriginal<typeof import('#shared/data/pagination.ts')>();
  return {
    ...module,
    encodeCursor: (...args: Parameters<typeof module.encodeCursor>) => {
      if (args[0] !== undefined) recordCursorKeyRead();
      return module.encodeCursor(...args);
    },
    decodeCursor: (...args: Parameters<typeof module.decodeCursor>) => {
      if (args[0] !== undefined) recordCursorKeyRead();
      return module.decodeCursor(...args);
    },
  };
});

const clients = await import('#shared/platform/clients.ts');
const recorder = installRecorder({
  dynamo: clients.dynamo,
  sqs: clients.sqs,
  s3: clients.s3,
  tableName,
  queues,
  queuePrefix,
  bucket,
});

const refusal = (violations: string[]) =>
  new Error(`Least privilege: ${violations.length === 1 ? violations[0] : `\n  - ${violations.join('\n  - ')}`}`);

afterEach(() => {
  const violations = recorder.takeViolations();
  if (violations.length > 0) throw refusal(violations);
});

function countTests(tasks: readonly RunnerTask[], counts = { run: 0, skipped: 0 }): { run: number; skipped: number } {
  for (const task of tasks) {
    if (task.type === 'suite') countTests(task.tasks, counts);
    else if (task.mode === 'skip' || task.mode === 'todo' || task.result?.state === 'skip') counts.skipped += 1;
    else counts.run += 1;
  }
  return counts;
}

// vitest reads the first parameter as fixtures and wants it destructured.
afterAll(async ({}, suite) => {
  const file = suite as RunnerTestFile;
  const runDir = inject('accessRunDir');
  writeFileSync(
    join(runDir, `${id}.json`),
    JSON.stringify(fileRecord(file.filepath, recorder, countTests(file.tasks))),
  );
  recorder.dispose();
  await s3Server.stop();
  s3Forwarder.destroy();
  rmSync(s3Dir, { recursive: true, force: true });
  // Requests made after the file's last test (a poller's late batch, an afterAll) still fail the file.
  const violations = recorder.takeViolations();
  if (violations.length > 0) throw refusal(violations);
});
