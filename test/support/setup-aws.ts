/**
 * Vitest setupFile for the `integration` and `e2e` projects. Runs in the test worker before each test file imports
 * anything: creates a fresh table and fresh queues (each with its dead-letter queue) for this file on the shared
 * DynamoDB Local and SQS server, and sets `process.env` exactly as the local runtime does for handlers, so handler
 * modules that read config and build clients at import time see this file's resources.
 */
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { queues as manifestQueues } from '#shared/manifest.ts';
import { applyEnv, handlerEnv } from '../../scripts/local/env.ts';
import { ensureTable } from '../../scripts/local/table.ts';
import { ensureQueues } from '../../scripts/local/queues.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { localSqsClient } from '../../scripts/local/sqs.ts';
import { setTestResources } from './resources.ts';

const dynamoEndpoint = inject('dynamoEndpoint');
const sqsEndpoint = inject('sqsEndpoint');
const id = randomBytes(4).toString('hex');
const tableName = `test-${id}`;
const queuePrefix = `t${id}-`;

const dynamo = localDynamoClient(dynamoEndpoint);
const sqs = localSqsClient(sqsEndpoint);
try {
  const [, queues] = await Promise.all([
    ensureTable(dynamo, tableName),
    ensureQueues(sqs, manifestQueues, { prefix: queuePrefix }),
  ]);
  const env = handlerEnv({ dynamoEndpoint, sqsEndpoint, tableName, queues });
  applyEnv(env);
  setTestResources({ dynamoEndpoint, sqsEndpoint, tableName, queuePrefix, queues, env });
} finally {
  dynamo.destroy();
  sqs.destroy();
}
