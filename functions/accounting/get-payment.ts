import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { paymentPathSchema, paymentView } from '#shared/http/payments.ts';
import { makePaymentStore } from '#shared/data/payments.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const payments = makePaymentStore({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/payments/{paymentId}` (front-office, accounting): a payment with its status and any rejection reason. */
export const handler = httpRoute(
  { route: 'GET /v1/payments/{paymentId}', params: paymentPathSchema },
  async ({ params }) => {
    const payment = await payments.getPayment(params.paymentId);
    if (!payment) throw new NotFoundError(`Payment ${params.paymentId} was not found.`);
    return { status: 200, body: paymentView(payment) };
  },
);
