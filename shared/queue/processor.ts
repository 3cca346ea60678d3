import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { envelopeSchema, type Envelope } from '#shared/queue/envelope.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';

export interface ProcessorOptions {
  /** Work kind for metrics and logs (`order`). */
  kind: string;
  /** Receives after which a failing message goes to the dead-letter queue (from the manifest). */
  maxReceiveCount: number;
}

/**
 * Turns a per-message function into an SQS batch handler with partial batch failure reporting (Powertools batch).
 * Records are handled one after another, in queue order, so a batch never races itself. Each message's correlation
 * id is put on every log line; processed, failed and dead-lettered work is counted.
 */
export function sqsProcessor(
  options: ProcessorOptions,
  handle: (message: Envelope, record: SQSRecord) => Promise<void>,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let message: Envelope;
    try {
      message = envelopeSchema.parse(JSON.parse(record.body));
    } catch (error) {
      logger.error('unreadable message', { messageId: record.messageId, error: error as Error });
      throw error;
    }
    logger.appendKeys({ correlationId: message.correlationId, messageId: record.messageId, entityId: message.id });
    try {
      await handle(message, record);
      countWork(WorkMetric.processed, options.kind);
    } catch (error) {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      countWork(WorkMetric.failed, options.kind);
      if (receives >= options.maxReceiveCount) {
        countWork(WorkMetric.deadLettered, options.kind);
        logger.error('message failed for the last time; it goes to the dead-letter queue', { error: error as Error, receives });
      } else {
        logger.warn('message failed; it will be retried', { error: error as Error, receives });
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
    return processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
