import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A work queue as the operations functions see it: its manifest name, its URL and its dead-letter queue's URL. */
export interface OpsQueue {
  name: string;
  url: string;
  dlqUrl: string;
}

export interface QueueDepth {
  name: string;
  /** Messages available for delivery (SQS `ApproximateNumberOfMessages`). */
  waiting: number;
  /** Messages received and not yet deleted or timed out (`ApproximateNumberOfMessagesNotVisible`). */
  inFlight: number;
  /** Messages in the queue's dead-letter queue, waiting for a redrive. */
  deadLetters: number;
}

type CountAttribute = 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible';

async function attributes(sqs: SQSClient, url: string, names: CountAttribute[]) {
  const answer = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
  const read = (name: CountAttribute) => Number(answer.Attributes?.[name] ?? 0);
  return { visible: read('ApproximateNumberOfMessages'), notVisible: read('ApproximateNumberOfMessagesNotVisible') };
}

/**
 * How much work each queue holds right now, for the operations dashboard and the daily summary. The figures are
 * SQS's approximations (eventually consistent, about a minute behind at worst); they are meant for a human deciding
 * whether something is stuck, never for logic.
 */
export async function queueDepths(sqs: SQSClient, queues: readonly OpsQueue[]): Promise<QueueDepth[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const [main, dlq] = await Promise.all([
        attributes(sqs, queue.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']),
        attributes(sqs, queue.dlqUrl, ['ApproximateNumberOfMessages']),
      ]);
      return { name: queue.name, waiting: main.visible, inFlight: main.notVisible, deadLetters: dlq.visible };
    }),
  );
}

/** Dead-letter counts only, keyed by queue name (the daily summary). */
export async function deadLetterCounts(sqs: SQSClient, queues: readonly OpsQueue[]): Promise<Record<string, number>> {
  const counts = await Promise.all(
    queues.map(
      async (queue) =>
        [queue.name, (await attributes(sqs, queue.dlqUrl, ['ApproximateNumberOfMessages'])).visible] as const,
    ),
  );
  return Object.fromEntries(counts);
}

export interface RedriveOptions {
  /**
   * Stop starting new batches after this many milliseconds (default 20 s); keep it well inside the caller's timeout.
   */
  budgetMs?: number;
  /** How long received messages stay hidden from a second receive while they are being moved (seconds). */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait of each receive; one empty long poll means the dead-letter queue is empty (seconds). */
  waitTimeSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface RedriveResult {
  moved: number;
  /**
   * Messages SQS refused to send back; they stay in the dead-letter queue and reappear after the visibility timeout.
   */
  failed: number;
  /** True when the time budget ran out before the dead-letter queue was seen empty: call again. */
  incomplete: boolean;
}

/** Copies a received message's user attributes into what SendMessage accepts (no list values, which SQS reserves). */
function sendableAttributes(message: Message): Record<string, MessageAttributeValue> | undefined {
  const source = message.MessageAttributes;
  if (!source || Object.keys(source).length === 0) return undefined;
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(source)) {
    if (!value.DataType) continue;
    result[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  return result;
}

/**
 * Moves the messages of a queue's dead-letter queue back onto the queue, so work that failed for a reason that has
 * since been fixed gets processed. Each batch of up to 10 is sent to the queue first and deleted from the
 * dead-letter queue only once the send succeeded, so a crash in between duplicates a message and never loses one;
 * processors are idempotent, so a duplicate is harmless. A message SQS refuses to send stays in the dead-letter
 * queue (hidden for the visibility timeout, so one bad message cannot stall the loop). Stops when a long poll finds
 * the dead-letter queue empty or the time budget is spent.
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  queue: OpsQueue,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.budgetMs ?? 20_000);
  let moved = 0;
  let failed = 0;
  while (now() < deadline) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: options.waitTimeSeconds ?? 1,
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = (received.Messages ?? []).filter((m) => m.ReceiptHandle && m.Body !== undefined);
    if (messages.length === 0) return { moved, failed, incomplete: false };

    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body!,
          MessageAttributes: sendableAttributes(message),
        })),
      }),
    );
    // Only what reached the queue leaves the dead-letter queue; a failed entry reappears after its visibility timeout.
    const delivered = (sent.Successful ?? []).map((entry) => messages[Number(entry.Id)]!);
    if (delivered.length > 0) {
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.dlqUrl,
          Entries: delivered.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
      moved += deleted.Successful?.length ?? 0;
    }
    failed += sent.Failed?.length ?? 0;
  }
  return { moved, failed, incomplete: true };
}
