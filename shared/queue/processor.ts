import * as z from 'zod';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { queueDecl, type MessageType, type QueueName } from '#shared/manifest.ts';
import { envelopeSchema, type Envelope } from '#shared/queue/envelope.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';
import { withInvocationDeadline } from '#shared/platform/deadline.ts';

export interface ProcessorOptions {
  /** Work kind for metrics and logs (`order`). */
  kind: string;
  /** Receives after which a failing message goes to the dead-letter queue (from the manifest). */
  maxReceiveCount: number;
}

/** A message body that is not JSON or not an envelope: no retry can fix it, but it is counted like any failure. */
class UnreadableMessageError extends Error {
  override name = 'UnreadableMessageError';
}

function readEnvelope(record: SQSRecord): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    throw new UnreadableMessageError('The message body is not JSON', { cause: error });
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
    throw new UnreadableMessageError(`The message body is not an envelope (${fields})`, { cause: parsed.error });
  }
  return parsed.data;
}

/** A message of one declared type, as its handler receives it. */
export type MessageOf<T extends string> = Envelope & { type: T };

/**
 * A declared queue's handlers, one per message type it declares in shared/manifest.ts, no more, no fewer: a type the
 * queue does not declare, or one of its types without a handler, fails `npm run typecheck`.
 */
export type MessageHandlers<Q extends QueueName> = {
  readonly [T in MessageType<Q>]: (message: MessageOf<T>, record: SQSRecord) => Promise<void>;
};

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type Handle = (message: Envelope, record: SQSRecord) => Promise<void>;

/**
 * The processor of a declared queue: `sqsProcessor('orders', { 'order.submitted': …, 'backorders.retry': … })`.
 * Its work kind and `maxReceiveCount` come from the queue's declaration; a message of a type with no handler (one
 * the queue does not declare) fails, like any failed message.
 */
export function sqsProcessor<Q extends QueueName>(queue: Q, handlers: MessageHandlers<Q>): SqsHandler {
  const decl = queueDecl(queue);
  // Each handler takes its own type's messages; the map is keyed by that type, so the lookup below is the narrowing.
  const byType = new Map(Object.entries(handlers as object) as [string, Handle][]);
  return batchProcessor({ kind: decl.workKind, maxReceiveCount: decl.maxReceiveCount }, async (message, record) => {
    const handle = byType.get(message.type);
    if (!handle) throw new Error(`Unknown message type ${message.type} on the ${decl.name} queue`);
    await handle(message, record);
  });
}

/**
 * Turns a per-message function into an SQS batch handler with partial batch failure reporting (Powertools batch),
 * for any queue: `sqsProcessor` builds a declared queue's on it, test fixtures use it directly.
 * Records are handled one after another, in queue order, so a batch never races itself. Each message's correlation
 * id is put on every log line. Every record is counted once: processed, or failed — whatever failed, an unreadable
 * body included — and, on the receive after which SQS moves it to the dead-letter queue, dead-lettered too.
 */
export function batchProcessor(options: ProcessorOptions, handle: Handle): SqsHandler {
  return recordProcessor(options, async (record) => {
    const message = readEnvelope(record);
    logger.appendKeys({ correlationId: message.correlationId, entityId: message.id });
    await handle(message, record);
  });
}

/**
 * An S3 event notification as SQS carries it (the body S3 sends to a queue): `Records` of `ObjectCreated:*` events,
 * each naming the bucket and the object key (URL-encoded, `+` for a space). S3 also sends one `s3:TestEvent` when
 * the notification is configured; it has no `Records`.
 */
const s3NotificationSchema = z.union([
  z.object({ Event: z.literal('s3:TestEvent'), Records: z.undefined().optional() }).loose(),
  z.object({
    Records: z.array(
      z
        .object({
          eventName: z.string(),
          s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
        })
        .loose(),
    ),
  }),
]);

/**
 * The processor of a queue S3 notifies (`documents`): each `ObjectCreated` record's decoded key goes to `handle`, one
 * after another; test events and other event types are skipped. Counted, retried and dead-lettered like every
 * processor's messages; an unreadable body is counted as failed.
 */
export function s3EventProcessor<Q extends QueueName>(
  queue: Q,
  handle: (key: string, record: SQSRecord) => Promise<void>,
): SqsHandler {
  const decl = queueDecl(queue);
  return recordProcessor({ kind: decl.workKind, maxReceiveCount: decl.maxReceiveCount }, async (record) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new UnreadableMessageError('The message body is not JSON', { cause: error });
    }
    const parsed = s3NotificationSchema.safeParse(body);
    if (!parsed.success) throw new UnreadableMessageError('The message body is not an S3 event notification');
    const records = parsed.data.Records;
    if (!records) return;
    for (const event of records) {
      if (!event.eventName.startsWith('ObjectCreated:')) continue;
      await handle(decodeURIComponent(event.s3.object.key.replace(/\+/g, ' ')), record);
    }
  });
}

/**
 * The batch machinery every processor shares: `handle` runs per record with the record's message id (and
 * correlation id attribute) on every log line; failures are counted and reported as partial batch failures.
 */
function recordProcessor(options: ProcessorOptions, handleRecord: (record: SQSRecord) => Promise<void>): SqsHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    // An unreadable body still has the correlation id its sender put in the message attributes.
    const attributeCorrelationId = record.messageAttributes?.correlationId?.stringValue;
    logger.appendKeys({
      messageId: record.messageId,
      ...(attributeCorrelationId ? { correlationId: attributeCorrelationId } : {}),
    });
    try {
      await handleRecord(record);
      countWork(WorkMetric.processed, options.kind);
    } catch (error) {
      countWork(WorkMetric.failed, options.kind);
      const unreadable = error instanceof UnreadableMessageError ? { unreadable: true } : {};
      if (receives >= options.maxReceiveCount) {
        countWork(WorkMetric.deadLettered, options.kind);
        logger.error('message failed for the last time; it goes to the dead-letter queue', {
          error: error as Error,
          receives,
          ...unreadable,
        });
      } else {
        logger.warn('message failed; it will be retried', { error: error as Error, receives, ...unreadable });
      }
      throw error;
    } finally {
      logger.removeKeys(['correlationId', 'messageId', 'entityId']);
    }
  };

  return async (event, context) => {
    logger.addContext(context);
    // One processor per invocation: outside Lambda (the local runtime, tests) its batch state lives on the instance,
    // and two batches handled at once by one module would report each other's failures (and lose their own).
    const processor = new BatchProcessor(EventType.SQS);
    // Work metrics are single-metric EMF lines, flushed as they are counted; nothing is left to publish here.
    // A message whose retries would outlast the invocation fails alone, for SQS to redeliver, instead of the
    // timeout failing the whole batch (shared/platform/deadline.ts).
    return withInvocationDeadline(context, () =>
      processPartialResponse(event, recordHandler, processor, {
        context,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      }),
    );
  };
}
