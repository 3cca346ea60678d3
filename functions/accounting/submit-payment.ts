import { accepted, httpRoute } from '#shared/http/route.ts';
import { storedResponse } from '#shared/http/stored-response.ts';
import { PaymentMessage, paymentSubmissionSchema } from '#shared/domain/payments.ts';
import { makePaymentService, type SubmittedPayment } from '#shared/services/payments.ts';
import { sendEnvelope } from '#shared/queue/envelope.ts';
import { loadConfig, queueUrl } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';
import { countWork, logger, WorkMetric } from '#shared/platform/observability.ts';

const config = loadConfig();
const paymentsQueueUrl = queueUrl('payments');
const payments = makePaymentService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

const answer = (payment: SubmittedPayment) =>
  accepted(`/v1/payments/${payment.paymentId}`, { paymentId: payment.paymentId, status: payment.status });

/**
 * `POST /v1/payments` (front-office, accounting): refuses at once what the invoice already shows (404 unknown, 409
 * `VOID` or overpaying), else writes the payment `RECEIVED` and queues it for the payments processor → 202. If the
 * send fails after the write, the payment was still accepted: the submission sweeper re-queues it.
 */
export const handler = httpRoute(
  { route: 'POST /v1/payments', body: paymentSubmissionSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const payment = await payments.submitPayment(body, {
      actor: caller.sub,
      correlationId,
      ...(idempotency ? { remember: (result: SubmittedPayment) => idempotency.record(storedResponse(answer(result))) } : {}),
    });
    countWork(WorkMetric.received, 'payment');
    try {
      await sendEnvelope(sqs, paymentsQueueUrl, { type: PaymentMessage.received, id: payment.paymentId, correlationId });
    } catch (error) {
      logger.error('payment accepted but not queued; the submission sweeper will re-queue it', {
        paymentId: payment.paymentId,
        error: error as Error,
      });
    }
    return answer(payment);
  },
);
