import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, sqsEventFromMessages } from './events.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | undefined>;

export interface PolledQueue {
  name: string;
  url: string;
  arn: string;
}

export interface BatchOutcome {
  succeeded: string[];
  failed: string[];
  /** Set when the processor threw (or answered with an unusable batchItemFailures list): nothing was deleted. */
  error?: unknown;
}

/**
 * Delivers one received batch to a processor with Lambda's SQS event source semantics: on return, every record not
 * named in `batchItemFailures` is deleted; if the processor throws, or names an item that is not in the batch, the
 * whole batch counts as failed and nothing is deleted. Failed messages come back after their visibility timeout, and
 * the queue's redrive policy moves them to the dead-letter queue after `maxReceiveCount` receives.
 */
export async function deliverBatch(
  sqs: SQSClient,
  queue: PolledQueue,
  messages: Message[],
  handler: SqsHandler,
  functionName = `local-${queue.name}-processor`,
  timeoutMs?: number,
): Promise<BatchOutcome> {
  const event = sqsEventFromMessages(messages, queue.arn);
  const ids = event.Records.map((r) => r.messageId);
  let failed: Set<string>;
  let error: unknown;
  try {
    const response = await handler(event, lambdaContext(functionName, timeoutMs));
    const items = response?.batchItemFailures ?? [];
    failed = new Set(items.map((item) => item.itemIdentifier));
    if (items.some((item) => !item.itemIdentifier || !ids.includes(item.itemIdentifier))) {
      error = new Error('batchItemFailures names an item that is not in the batch; the whole batch failed');
      failed = new Set(ids);
    }
  } catch (thrown) {
    error = thrown;
    failed = new Set(ids);
  }
  const toDelete = event.Records.filter((r) => !failed.has(r.messageId));
  if (toDelete.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: toDelete.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }
  const outcome: BatchOutcome = { succeeded: toDelete.map((r) => r.messageId), failed: [...failed] };
  if (error !== undefined) outcome.error = error;
  return outcome;
}

/** Receives up to `max` visible messages now, with every system and message attribute (WaitTimeSeconds 0). */
export async function receiveBatch(sqs: SQSClient, queueUrl: string, max: number): Promise<Message[]> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
      WaitTimeSeconds: 0,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return received.Messages ?? [];
}

export interface PollerOptions {
  sqs: SQSClient;
  queue: PolledQueue;
  batchSize: number;
  /**
   * The processor function's timeout, which its context counts down from (the stack's: a sixth of the visibility
   * timeout).
   */
  timeoutMs?: number;
  /** Loads the processor module's handler (lazily, so a handler's cold start happens on its first batch). */
  loadHandler: () => Promise<SqsHandler>;
  /** Concurrent batches in flight, like Lambda's several pollers (default 2). */
  concurrency?: number;
  /** Pause after an empty receive (default 50 ms; the server itself waits ~40 ms). */
  idleMs?: number;
  onBatch?: (outcome: BatchOutcome) => void;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

export interface Poller {
  stop(): Promise<void>;
}

/** Polls one queue continuously and delivers batches to its processor until stopped. */
export function startPoller(options: PollerOptions): Poller {
  const { sqs, queue, batchSize } = options;
  const idleMs = options.idleMs ?? 50;
  let stopping = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  async function loop(): Promise<void> {
    while (!stopping) {
      let messages: Message[];
      try {
        messages = await receiveBatch(sqs, queue.url, batchSize);
      } catch (error) {
        if (stopping) return;
        options.log?.(`receive failed on queue ${queue.name}`, { error: String(error) });
        await sleep(500);
        continue;
      }
      if (messages.length === 0) {
        await sleep(idleMs);
        continue;
      }
      try {
        const handler = await options.loadHandler();
        const outcome = await deliverBatch(sqs, queue, messages, handler, undefined, options.timeoutMs);
        if (outcome.error !== undefined) {
          options.log?.(`processor for queue ${queue.name} failed the whole batch`, {
            error: outcome.error instanceof Error ? outcome.error.stack : String(outcome.error),
          });
        }
        options.onBatch?.(outcome);
      } catch (error) {
        // A handler that cannot even load: the messages return after their visibility timeout.
        options.log?.(`could not deliver a batch from queue ${queue.name}`, { error: String(error) });
        await sleep(1000);
      }
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, () => loop());
  return {
    async stop() {
      stopping = true;
      for (const wake of [...wakers]) wake();
      await Promise.allSettled(loops);
    },
  };
}
