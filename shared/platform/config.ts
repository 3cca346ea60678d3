import * as z from 'zod';
import { queueUrlEnv, dlqUrlEnv, QUEUE_NAMES, type QueueName } from '#shared/manifest.ts';

const baseSchema = z.object({
  TABLE_NAME: z.string().min(1),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
});

export type BaseConfig = z.infer<typeof baseSchema>;

/**
 * Reads and checks the environment once, at cold start, so a missing variable fails the deployment's first
 * invocation loudly instead of a request half-way through.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return baseSchema.parse(env);
}

/** The URL of a queue this function sends to; throws at cold start when the stack did not grant it. */
export function queueUrl(name: QueueName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[queueUrlEnv(name)];
  if (!value) throw new Error(`Missing environment variable ${queueUrlEnv(name)}`);
  return value;
}

/** Every queue with its dead-letter queue URL, for the operations functions granted `queueStats` or `queueAdmin`. */
export function allQueueUrls(env: NodeJS.ProcessEnv = process.env): { name: QueueName; url: string; dlqUrl: string }[] {
  return QUEUE_NAMES.map((name) => {
    const url = env[queueUrlEnv(name)];
    const dlqUrl = env[dlqUrlEnv(name)];
    if (!url || !dlqUrl) throw new Error(`Missing environment variables for queue ${name}`);
    return { name, url, dlqUrl };
  });
}

/** Environment variable naming the documents bucket, set only for functions granted `bucket` actions. */
export const DOCUMENTS_BUCKET_ENV = 'DOCUMENTS_BUCKET';

/** The documents bucket; throws at cold start when the stack did not grant this function the bucket. */
export function documentsBucket(env: NodeJS.ProcessEnv = process.env): string {
  const value = env[DOCUMENTS_BUCKET_ENV];
  if (!value) throw new Error(`Missing environment variable ${DOCUMENTS_BUCKET_ENV}`);
  return value;
}
