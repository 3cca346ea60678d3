import { accepted, httpRoute } from '#shared/http/route.ts';
import { acceptAndQueue } from '#shared/http/intake.ts';
import { paymentSubmissionSchema } from '#shared/domain/payments.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { queueTarget } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const paymentsQueue = queueTarget('payments');
const payments = makePaymentService({ doc, tableName: config.TABLE_NAME, currency: config.CURRENCY });

/**
 * `POST /v1/payments` (front-office, accounting): refuses at once what the invoice already shows (404 unknown, 409
 * `VOID` or overpaying), else writes the payment `RECEIVED` and queues it for the payments processor → 202. If the
 * send fails after the write, the payment was still accepted: the submission sweeper re-queues it.
 */
export const handler = httpRoute(
  { route: 'POST /v1/payments', body: paymentSubmissionSchema, idempotent: true },
  ({ body, caller, correlationId, idempotency }) =>
    acceptAndQueue(
      { correlationId, idempotency },
      {
        sqs,
        queue: paymentsQueue,
        kind: 'payment',
        accept: (remember) => payments.submitPayment(body, { actor: caller.sub, correlationId, remember }),
        answer: (payment) =>
          accepted(`/v1/payments/${payment.paymentId}`, { paymentId: payment.paymentId, status: payment.status }),
        message: (payment) => ({ type: 'payment.received', id: payment.paymentId }),
        notQueued: (payment) => ({
          log: 'payment accepted but not queued; the submission sweeper will re-queue it',
          fields: { paymentId: payment.paymentId },
        }),
      },
    ),
);
