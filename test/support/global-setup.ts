/**
 * Vitest globalSetup for the `integration` and `e2e` projects: one in-memory DynamoDB Local (Java) and one in-process
 * SQS server per `vitest run`, on free ports, shared by every test file (each file gets its own table and queues in
 * `setup-aws.ts`). Both projects list this file; a process-wide reference count makes it start once.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../scripts/local/dynamodb.ts';
import { startLocalSqs, type LocalSqs } from '../../scripts/local/sqs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

interface Shared {
  users: number;
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
    shared = { users: 0, ready: start() };
    registry[KEY] = shared;
  }
  shared.users += 1;
  const { dynamo, sqs } = await shared.ready;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);

  const kill = () => { try { dynamo.process.kill('SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', kill);

  return async () => {
    const current = registry[KEY];
    if (!current) return;
    current.users -= 1;
    if (current.users > 0) return;
    registry[KEY] = undefined;
    process.off('exit', kill);
    await Promise.all([dynamo.stop(), sqs.stop()]);
  };
}
