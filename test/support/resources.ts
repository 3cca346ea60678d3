import type { LocalQueue } from '../../scripts/local/queues.ts';

/** What `setup-aws.ts` created for the current test file. */
export interface TestResources {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  /** Prefix of this file's physical queue names (`t1a2b3c4d-`), for stacks started on the same SQS server. */
  queuePrefix: string;
  queues: LocalQueue[];
  /** This file's S3 stand-in and documents bucket (its object events reach this file's documents queue). */
  s3: { endpoint: string; bucket: string };
  /** The handler environment that was applied to `process.env`. */
  env: Record<string, string>;
}

const KEY = Symbol.for('back-office.test.resources');
const holder = globalThis as unknown as Record<symbol, TestResources | undefined>;

export function setTestResources(resources: TestResources): void {
  holder[KEY] = resources;
}

/** The table, queues and endpoints of this test file; throws in a project without the AWS setup (unit tests). */
export function testResources(): TestResources {
  const resources = holder[KEY];
  if (!resources) {
    throw new Error('No local AWS resources: this helper works in test/integration and test/e2e only');
  }
  return resources;
}

/** The physical queue (URL, ARN, dead-letter queue) behind a manifest queue name in this test file. */
export function testQueue(name: string): LocalQueue {
  const queue = testResources().queues.find((q) => q.name === name);
  if (!queue) throw new Error(`Unknown queue ${name}`);
  return queue;
}
