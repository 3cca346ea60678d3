import { dlqUrlEnv, queueUrlEnv } from '#shared/manifest.ts';
import { WORK_METRICS_TARGET } from '#shared/queue/work-metrics.ts';

export const LOCAL_REGION = 'us-east-1';
/** DynamoDB Local rejects access keys containing `_` or `-`; letters only. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_ACCOUNT_ID = '123456789012';

export interface HandlerEnvInput {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queues: { name: string; url: string; dlqUrl: string }[];
  /** The local S3 stand-in (s3rver) and the documents bucket on it. */
  s3?: { endpoint: string; bucket: string };
  /** The key list cursors are signed with (`CURSOR_SECRET`): random per data folder (`loadOrCreateCursorKey`). */
  cursorSecret: string;
}

/**
 * The environment every handler sees locally: what the CDK stack gives a Lambda function (table name, queue URLs,
 * currency, Powertools settings) plus the region, dummy credentials and the local endpoints the SDK reads. Locally
 * all handlers share one process, so each sees every queue URL, not just the ones the manifest grants it.
 */
export function handlerEnv(input: HandlerEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: input.sqsEndpoint,
    ...(input.s3 ? { AWS_ENDPOINT_URL_S3: input.s3.endpoint, DOCUMENTS_BUCKET: input.s3.bucket } : {}),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: input.tableName,
    CURRENCY: process.env.CURRENCY ?? 'USD',
    CURSOR_SECRET: input.cursorSecret,
    POWERTOOLS_SERVICE_NAME: WORK_METRICS_TARGET.service,
    POWERTOOLS_METRICS_NAMESPACE: WORK_METRICS_TARGET.namespace,
  };
  for (const queue of input.queues) {
    env[queueUrlEnv(queue.name)] = queue.url;
    env[dlqUrlEnv(queue.name)] = queue.dlqUrl;
  }
  return env;
}

/** Copies the handler environment into `process.env`; must run before any handler module is imported. */
export function applyEnv(env: Record<string, string>): void {
  // Credentials from a developer's profile must not leak into local calls.
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, env);
}
