import { sqsProcessor } from '#shared/queue/processor.ts';
import { systemActor } from '#shared/data/audit.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';

const config = loadConfig();
const payments = makePaymentService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });
const actor = systemActor('payment-processor');

/**
 * Processor of the `payments` queue: applies each payment to its invoice, or rejects it, in one transaction;
 * redelivery changes nothing.
 */
export const handler = sqsProcessor('payments', {
  'payment.received': async (message) => {
    const outcome = await payments.applyPayment(message.id, actor);
    if (outcome.status === undefined)
      logger.error('queued payment does not exist; message dropped', { paymentId: message.id });
    else logger.info('payment processed', { ...outcome });
  },
});
