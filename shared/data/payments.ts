import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import {
  PAYMENT_METHODS,
  PAYMENT_REJECTIONS,
  PAYMENT_STATUSES,
  type PaymentRejection,
} from '#shared/domain/payments.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { patternReader } from '#shared/data/query.ts';

/**
 * A customer payment against an invoice (docs/contract.md#accounting): `RECEIVED` at intake, then `APPLIED` or
 * `REJECTED`.
 */
export const paymentSchema = z.object({
  entity: z.literal('payment'),
  paymentId: z.string(),
  invoiceId: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  amountCents: z.number().int(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().optional(),
  currency: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  rejectionReason: z.enum(PAYMENT_REJECTIONS).optional(),
  /** The entry that posted an applied payment (Dr 1000 / Cr 1100). */
  journalEntryId: z.string().optional(),
  appliedAt: z.string().optional(),
  /** Correlation id of the submitting request, so a re-queued payment keeps it (sweeper). */
  correlationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

/**
 * Payments: the record, its status entry (gsi1, for the sweeper), its customer-timeline entry (gsi2) and its day
 * entry (gsi3, for reports).
 */
export function makePaymentStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  const parse = (item: Record<string, unknown>) => paymentSchema.parse(item);
  /** The update moving a `RECEIVED` payment on, conditional on it still being `RECEIVED`. */
  function decisionItem(payment: Payment, set: Record<string, unknown>): TransactItem {
    const moved = { ...set, ...keys.paymentByStatus.key({ ...payment, status: set.status as Payment['status'] }) };
    return guardedUpdate(tableName, keys.payment.key(payment), moved, { status: 'RECEIVED' });
  }

  return {
    /** The payment, read consistently (the processor decides on it). */
    async getPayment(paymentId: string): Promise<Payment | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.payment.key({ paymentId }), ConsistentRead: true }),
      );
      return Item ? paymentSchema.parse(Item) : undefined;
    },

    /** The put creating a `RECEIVED` payment with its status, customer-timeline and by-day index entries. */
    newPaymentItem(payment: Payment): TransactItem {
      return createPut(tableName, {
        ...keys.payment.key(payment),
        ...keys.paymentByStatus.key(payment),
        ...keys.customerRecord.key({ ...payment, type: 'PAYMENT', id: payment.paymentId }),
        ...keys.paymentByDay.key(payment),
        ...payment,
      });
    },

    /** `RECEIVED` → `APPLIED`, naming the journal entry that posted it. */
    appliedItem(payment: Payment, journalEntryId: string, at: string): TransactItem {
      return decisionItem(payment, { status: 'APPLIED', journalEntryId, appliedAt: at, updatedAt: at });
    },

    /** `RECEIVED` → `REJECTED` with its reason; nothing else is written with it. */
    rejectedItem(payment: Payment, rejectionReason: PaymentRejection, at: string): TransactItem {
      return decisionItem(payment, { status: 'REJECTED', rejectionReason, updatedAt: at });
    },

    /** Payments in one status, oldest first. */
    byStatus: patternReader({ doc, tableName }, keys.paymentByStatus, parse),

    /** Payments received on one UTC day, in order (reports). */
    byDay: patternReader({ doc, tableName }, keys.paymentByDay, parse),
  };
}

export type PaymentStore = ReturnType<typeof makePaymentStore>;
