/**
 * Vitest globalSetup for the `integration` and `e2e` projects: one in-memory DynamoDB Local (Java) and one in-process
 * SQS server per `vitest run`, on free ports, shared by every test file (each file gets its own table and queues in
 * `setup-aws.ts`). Both projects list this file; a process-wide reference count makes it start once. It also owns
 * the run's least-privilege folder: every test file writes what its handlers used there, and the last teardown
 * judges the union (`access-report.ts`), failing the run on a declared action no handler used in the whole suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../scripts/local/dynamodb.ts';
import { startLocalSqs, type LocalSqs } from '../../scripts/local/sqs.ts';
import { judgeRun } from './access-report.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    /** Folder where each test file writes the accesses its handlers made (`access-recorder.ts`). */
    accessRunDir: string;
  }
}

interface Shared {
  users: number;
  accessRunDir: string;
  ready: Promise<{ dynamo: DynamoDbLocal; sqs: LocalSqs }>;
}

const KEY = Symbol.for('back-office.test.local-aws');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

async function start(): Promise<{ dynamo: DynamoDbLocal; sqs: LocalSqs }> {
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal({ readyTimeoutMs: 60_000 }), startLocalSqs()]);
  return { dynamo, sqs };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[KEY];
  if (!shared) {
    shared = { users: 0, accessRunDir: mkdtempSync(join(tmpdir(), 'back-office-access-')), ready: start() };
    registry[KEY] = shared;
  }
  shared.users += 1;
  const { dynamo, sqs } = await shared.ready;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  project.provide('accessRunDir', shared.accessRunDir);

  const kill = () => {
    try {
      dynamo.process.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', kill);

  return async () => {
    const current = registry[KEY];
    if (!current) return;
    current.users -= 1;
    if (current.users > 0) return;
    registry[KEY] = undefined;
    process.off('exit', kill);
    await Promise.all([dynamo.stop(), sqs.stop()]);
    let verdict;
    try {
      verdict = judgeRun(current.accessRunDir);
    } finally {
      rmSync(current.accessRunDir, { recursive: true, force: true });
    }
    if (verdict.lines.length > 0) process.stdout.write(`\n${verdict.lines.join('\n')}\n`);
    // vitest only logs an error thrown by a global teardown ("error during close") and still exits 0 when every
    // test passed, so the failure is set as the exit code, which vitest keeps.
    if (verdict.failed) {
      process.stdout.write(
        'Least privilege check failed: npm test exits non-zero (see docs/deploy.md, least privilege).\n',
      );
      process.exitCode = 1;
    }
  };
}
