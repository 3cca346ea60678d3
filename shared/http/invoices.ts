import * as z from 'zod';
import type { Invoice } from '#shared/data/invoices.ts';

/** `{invoiceId}` of `GET /v1/invoices/{invoiceId}`. */
export const invoicePathSchema = z.object({ invoiceId: z.string().min(1).max(64) });

/** `GET /v1/invoices/{invoiceId}` body, and each item of `GET /v1/invoices` (README, Routes). */
export function invoiceView(invoice: Invoice) {
  return {
    invoiceId: invoice.invoiceId,
    orderId: invoice.orderId,
    status: invoice.status,
    totalCents: invoice.totalCents,
    paidCents: invoice.paidCents,
    currency: invoice.currency,
    issuedAt: invoice.issuedAt,
    dueDate: invoice.dueDate,
  };
}
