import * as z from 'zod';
import { ACCOUNT, linesOf, type JournalLine } from '#shared/domain/ledger.ts';

/** Payment methods (docs/contract.md#accounting). */
export const PAYMENT_METHODS = ['card', 'cash', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_STATUSES = ['RECEIVED', 'APPLIED', 'REJECTED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Why a payment was refused after intake (`rejectionReason`). */
export const PAYMENT_REJECTIONS = ['invoice_not_found', 'invoice_void', 'would_overpay'] as const;
export type PaymentRejection = (typeof PAYMENT_REJECTIONS)[number];

/** Largest amount one payment may carry: any more could not be held exactly once summed with others. */
export const MAX_PAYMENT_CENTS = 10 ** 15;

/** `POST /v1/payments` (docs/contract.md#accounting). */
export const paymentSubmissionSchema = z.object({
  invoiceId: z.string().trim().min(1).max(64),
  amountCents: z.number().int().min(1).max(MAX_PAYMENT_CENTS),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().min(1).max(200).optional(),
});
export type PaymentSubmission = z.infer<typeof paymentSubmissionSchema>;

/** What a payment needs to know about its invoice. */
export interface PayableInvoice {
  status: 'OPEN' | 'PARTIALLY_PAID' | 'PAID' | 'VOID';
  totalCents: number;
  paidCents: number;
}

export type PaymentDecision =
  | { outcome: 'APPLY'; paidCents: number; invoiceStatus: 'PARTIALLY_PAID' | 'PAID'; journalLines: JournalLine[] }
  | { outcome: 'REJECT'; rejectionReason: PaymentRejection };

/**
 * Decides a payment of `amountCents` against its invoice as it stands (docs/contract.md#accounting): no invoice →
 * `invoice_not_found`; a `VOID` one → `invoice_void`; more than is still open (`totalCents − paidCents`, so
 * anything on a `PAID` invoice) → `would_overpay`; otherwise applied: `paidCents` grows by the amount, the invoice
 * becomes `PAID` when nothing is left open and `PARTIALLY_PAID` otherwise, and the journal gets Dr 1000 Cash / Cr
 * 1100 Accounts Receivable.
 */
export function decidePayment(invoice: PayableInvoice | undefined, amountCents: number): PaymentDecision {
  if (!invoice) return { outcome: 'REJECT', rejectionReason: 'invoice_not_found' };
  if (invoice.status === 'VOID') return { outcome: 'REJECT', rejectionReason: 'invoice_void' };
  const open = invoice.totalCents - invoice.paidCents;
  if (amountCents > open) return { outcome: 'REJECT', rejectionReason: 'would_overpay' };
  const paidCents = invoice.paidCents + amountCents;
  return {
    outcome: 'APPLY',
    paidCents,
    invoiceStatus: paidCents === invoice.totalCents ? 'PAID' : 'PARTIALLY_PAID',
    journalLines: linesOf([{ debit: ACCOUNT.cash, credit: ACCOUNT.accountsReceivable, amountCents }]),
  };
}
