import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueDecl } from '#shared/manifest.ts';

export interface LocalQueue {
  /** Logical name from the manifest (`orders`). */
  name: string;
  /** Physical SQS queue name (`orders`, or `t1a2b-orders` in tests). */
  queueName: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
  dlqArn: string;
  decl: QueueDecl;
  /** The visibility timeout the queue was created with (the manifest's, unless overridden locally). */
  visibilityTimeoutSeconds: number;
}

export interface EnsureQueuesOptions {
  /** Prepended to every physical queue name, so test files get their own queues on one server. */
  prefix?: string;
  /** Overrides every queue's visibility timeout (tests, `LOCAL_VISIBILITY_TIMEOUT_SECONDS`). */
  visibilityTimeoutSeconds?: number;
}

async function existingQueueUrl(sqs: SQSClient, queueName: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist || (error as Error).name.includes('NonExistentQueue')) return undefined;
    throw error;
  }
}

async function createQueue(sqs: SQSClient, queueName: string, attributes: Record<string, string>) {
  // CreateQueue on an existing queue fails when its attributes differ from the defaults, so look it up first.
  let url = await existingQueueUrl(sqs, queueName);
  if (!url) {
    try {
      url = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl;
    } catch (error) {
      if ((error as Error).name !== 'QueueNameExists') throw error;
      url = await existingQueueUrl(sqs, queueName);
    }
  }
  if (!url) throw new Error(`CreateQueue returned no URL for ${queueName}`);
  // SetQueueAttributes rather than CreateQueue attributes: re-creating an existing queue with different
  // attributes is an error in SQS, and a changed manifest should just apply.
  if (Object.keys(attributes).length > 0) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  const described = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = described.Attributes?.QueueArn;
  if (!arn) throw new Error(`No ARN for ${queueName}`);
  return { url, arn };
}

/**
 * Creates every manifest queue and its dead-letter queue (14-day retention), with the redrive policy's
 * `maxReceiveCount` and the visibility timeout from the manifest. Idempotent. The local SQS server itself moves a
 * message to the dead-letter queue when its visibility timeout runs out after `maxReceiveCount` receives.
 */
export async function ensureQueues(
  sqs: SQSClient,
  decls: readonly QueueDecl[],
  options: EnsureQueuesOptions = {},
): Promise<LocalQueue[]> {
  const prefix = options.prefix ?? '';
  const result: LocalQueue[] = [];
  for (const decl of decls) {
    const queueName = `${prefix}${decl.name}`;
    const dlqName = `${queueName}-dlq`;
    const dlq = await createQueue(sqs, dlqName, { MessageRetentionPeriod: String(14 * 24 * 3600) });
    const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? decl.visibilityTimeoutSeconds;
    const queue = await createQueue(sqs, queueName, {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(4 * 24 * 3600),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: decl.maxReceiveCount }),
    });
    result.push({
      name: decl.name,
      queueName,
      url: queue.url,
      arn: queue.arn,
      dlqName,
      dlqUrl: dlq.url,
      dlqArn: dlq.arn,
      decl,
      visibilityTimeoutSeconds,
    });
  }
  return result;
}
