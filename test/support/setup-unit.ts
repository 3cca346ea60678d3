/**
 * Vitest setupFile for the `unit` and `infra` projects: no network. Any AWS SDK call a unit test forgets to stub fails
 * fast against a closed local port instead of reaching a real account with a developer's credentials.
 */
import { randomBytes } from 'node:crypto';
import { QUEUE_NAMES, dlqUrlEnv, queueUrlEnv } from '#shared/manifest.ts';

const CLOSED = 'http://127.0.0.1:9';

delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'unit',
  AWS_SECRET_ACCESS_KEY: 'unit',
  AWS_ENDPOINT_URL: CLOSED,
  AWS_ENDPOINT_URL_DYNAMODB: CLOSED,
  AWS_ENDPOINT_URL_SQS: CLOSED,
  AWS_MAX_ATTEMPTS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  CURRENCY: process.env.CURRENCY ?? 'USD',
  POWERTOOLS_SERVICE_NAME: 'back-office',
  POWERTOOLS_METRICS_NAMESPACE: 'BackOffice',
  TABLE_NAME: 'unit-test-table',
  AWS_ENDPOINT_URL_S3: CLOSED,
  DOCUMENTS_BUCKET: 'unit-test-documents',
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
});
for (const name of QUEUE_NAMES) {
  process.env[queueUrlEnv(name)] = `${CLOSED}/123456789012/${name}`;
  process.env[dlqUrlEnv(name)] = `${CLOSED}/123456789012/${name}-dlq`;
}
