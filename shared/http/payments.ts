import * as z from 'zod';
import type { Payment } from '#shared/data/payments.ts';

/** `{paymentId}` of `GET /v1/payments/{paymentId}`. */
export const paymentPathSchema = z.object({ paymentId: z.string().min(1).max(64) });

/**
 * `GET /v1/payments/{paymentId}` body (README, Routes): the payment with its status and, once refused, its
 * `rejectionReason`; with `currency`, `reference`, `orderId` and times.
 */
export function paymentView(payment: Payment) {
  return {
    paymentId: payment.paymentId,
    invoiceId: payment.invoiceId,
    orderId: payment.orderId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    method: payment.method,
    ...(payment.reference !== undefined ? { reference: payment.reference } : {}),
    status: payment.status,
    ...(payment.rejectionReason !== undefined ? { rejectionReason: payment.rejectionReason } : {}),
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}
