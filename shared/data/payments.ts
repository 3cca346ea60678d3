import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { PAYMENT_METHODS, PAYMENT_REJECTIONS, PAYMENT_STATUSES, type PaymentRejection } from '#shared/domain/payments.ts';
import type { TransactItem } from '#shared/data/transact.ts';
import { queryAll, queryPage, updateExpression } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';

/** A customer payment against an invoice (SPEC §4.2): `RECEIVED` at intake, then `APPLIED` or `REJECTED`. */
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
  /** The update moving a `RECEIVED` payment on, conditional on it still being `RECEIVED`. */
  function decisionItem(payment: Payment, set: Record<string, unknown>): TransactItem {
    const update = updateExpression({
      ...set,
      ...keys.paymentByStatus(set.status as string, payment.createdAt, payment.paymentId),
    });
    return {
      Update: {
        TableName: tableName,
        Key: keys.payment(payment.paymentId),
        ...update,
        ConditionExpression: '#status = :received',
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':received': 'RECEIVED' },
      },
    };
  }

  return {
    /** The payment, read consistently (the processor decides on it). */
    async getPayment(paymentId: string): Promise<Payment | undefined> {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.payment(paymentId), ConsistentRead: true }));
      return Item ? paymentSchema.parse(Item) : undefined;
    },

    /** The put creating a `RECEIVED` payment with its status, customer-timeline and by-day index entries. */
    newPaymentItem(payment: Payment): TransactItem {
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.payment(payment.paymentId),
            ...keys.paymentByStatus(payment.status, payment.createdAt, payment.paymentId),
            ...keys.customerRecord(payment.customerId, payment.createdAt, 'PAYMENT', payment.paymentId),
            ...keys.paymentByDay(payment.createdAt, payment.paymentId),
            ...payment,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
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
    listPaymentsByStatus(status: Payment['status'], page: { limit: number; cursor?: string | undefined }): Promise<Page<Payment>> {
      return queryPage(doc, tableName, { index: 'gsi1', partition: keys.paymentStatusPartition(status) }, page, (item) =>
        paymentSchema.parse(item),
      );
    },

    /** Every payment received on one UTC day, in order, read page by page (reports). */
    async *paymentsByDay(day: string): AsyncGenerator<Payment> {
      for await (const item of queryAll(doc, tableName, { index: 'gsi3', partition: keys.paymentDayPartition(day) })) {
        yield paymentSchema.parse(item);
      }
    },
  };
}

export type PaymentStore = ReturnType<typeof makePaymentStore>;
