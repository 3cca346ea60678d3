import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageType, QueueName } from '#shared/manifest.ts';
import type { Envelope } from '#shared/queue/envelope.ts';
import { queueUrl } from '#shared/platform/config.ts';
import { logger } from '#shared/platform/observability.ts';

/** A message for queue `Q`: its `type` must be one the queue declares in shared/manifest.ts. */
export interface QueueMessage<Q extends QueueName> extends Omit<Envelope, 'type' | 'sentAt'> {
  type: MessageType<Q>;
}

/** A declared queue with its URL, resolved once (`queueTarget` at module scope: at cold start). */
export interface QueueTarget<Q extends QueueName> {
  readonly queue: Q;
  readonly url: string;
}

/**
 * A queue this function sends to, its URL read from the environment the stack gives the function
 * (`QUEUE_URL_<NAME>`, granted by `sendTo` in the manifest). Call it at module scope, so a function missing the grant
 * fails its first invocation loudly instead of a request half-way through.
 */
export function queueTarget<Q extends QueueName>(queue: Q, env: NodeJS.ProcessEnv = process.env): QueueTarget<Q> {
  return { queue, url: queueUrl(queue, env) };
}

/**
 * Sends one envelope to a declared queue:
 * `sendMessage(sqs, ordersQueue, { type: 'backorders.retry', id, correlationId })`. The correlation id also travels as
 * a message attribute, so even an unreadable body can be traced.
 */
export async function sendMessage<Q extends QueueName>(
  sqs: SQSClient,
  to: QueueTarget<Q>,
  message: QueueMessage<Q>,
): Promise<void> {
  const envelope: Envelope = { ...message, sentAt: new Date().toISOString() };
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: to.url,
      MessageBody: JSON.stringify(envelope),
      MessageAttributes: { correlationId: { DataType: 'String', StringValue: message.correlationId } },
    }),
  );
}

/** What to log when a send after a committed write fails: the line, its fields, and its level (`error` unless told). */
export interface NotQueuedLog {
  log: string;
  fields?: Record<string, unknown>;
  level?: 'error' | 'warn';
}

/**
 * Sends a message that follows a write already committed (an intake's submission, goods received, a cancellation).
 * The write stands whatever happens here, and something else heals a lost message (the submission sweeper, the SLA
 * monitor), so a failed send is logged, never thrown: the caller answers as if it had been sent. Returns whether it
 * was.
 */
export async function sendAfterCommit<Q extends QueueName>(
  sqs: SQSClient,
  to: QueueTarget<Q>,
  message: QueueMessage<Q>,
  notQueued: NotQueuedLog,
): Promise<boolean> {
  try {
    await sendMessage(sqs, to, message);
    return true;
  } catch (error) {
    logger[notQueued.level ?? 'error'](notQueued.log, { ...notQueued.fields, error: error as Error });
    return false;
  }
}
