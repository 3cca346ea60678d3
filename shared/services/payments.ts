import { ConcurrencyError, ConflictError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import { decidePayment, type PaymentStatus, type PaymentSubmission } from '#shared/domain/payments.ts';
import { withConcurrencyRetry, type TransactItem } from '#shared/data/transact.ts';
import { makePaymentStore, type Payment } from '#shared/data/payments.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makeOrderStore } from '#shared/data/orders.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';

export interface SubmittedPayment {
  paymentId: string;
  status: 'RECEIVED';
}

export interface PaymentOutcome {
  paymentId: string;
  /** The payment's status after processing; undefined when it does not exist. */
  status: PaymentStatus | undefined;
  /** Whether this call decided the payment (false for a redelivery). */
  changed: boolean;
}

/**
 * Payment use cases (docs/contract.md#accounting). Intake refuses what it can already see (unknown invoice 404; `VOID`,
 * or more than is still open, 409) and writes the payment `RECEIVED`; the payments processor applies it in one
 * transaction conditional on the invoice's status and `paidCents` being what it read, so two payments that overpay only
 * in sum (or a payment racing a cancellation) are decided one after the other on fresh readings: one applies, the other
 * is rejected.
 */
export function makePaymentService({
  doc,
  tableName,
  currency,
  now = () => new Date(),
}: ServiceDeps & { currency: string }) {
  const payments = makePaymentStore({ doc, tableName });
  const invoices = makeInvoiceStore({ doc, tableName });
  const orders = makeOrderStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /**
   * Accepts a payment: checks it against the invoice as it stands now, then writes it `RECEIVED` (with its
   * customer-timeline and by-day entries) together with its audit event and, through `remember`, the idempotency
   * record. Queueing it is the caller's next step.
   */
  async function submitPayment(
    input: PaymentSubmission,
    context: { actor: string; correlationId: string; remember?: Remember<SubmittedPayment> },
  ): Promise<SubmittedPayment> {
    const paymentId = newId('payment');
    const result: SubmittedPayment = { paymentId, status: 'RECEIVED' };
    await withConcurrencyRetry(async () => {
      const invoice = await invoices.getInvoice(input.invoiceId);
      if (!invoice) throw new NotFoundError(`Invoice ${input.invoiceId} was not found.`);
      const decision = decidePayment(invoice, input.amountCents);
      if (decision.outcome === 'REJECT') {
        const openCents = invoice.totalCents - invoice.paidCents;
        throw new ConflictError(
          decision.rejectionReason === 'invoice_void'
            ? `Invoice ${invoice.invoiceId} is VOID; it takes no payments.`
            : `A payment of ${input.amountCents} would overpay invoice ${invoice.invoiceId}: ${openCents} is open.`,
        );
      }
      const at = now().toISOString();
      const payment: Payment = {
        entity: 'payment',
        paymentId,
        invoiceId: invoice.invoiceId,
        orderId: invoice.orderId,
        customerId: invoice.customerId,
        amountCents: input.amountCents,
        method: input.method,
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
        currency,
        status: 'RECEIVED',
        correlationId: context.correlationId,
        createdAt: at,
        updatedAt: at,
      };
      const tx: TransactItem[] = [
        payments.newPaymentItem(payment),
        audit.eventItem({
          actor: context.actor,
          action: 'payment.received',
          entityType: 'payment',
          entityId: paymentId,
          at,
          changes: [
            'status',
            'invoiceId',
            'amountCents',
            'method',
            ...(input.reference !== undefined ? ['reference'] : []),
          ],
          status: 'RECEIVED',
          related: [{ entityType: 'invoice', entityId: invoice.invoiceId }],
        }),
      ];
      await writeOrRetry(doc, tx, withRemember(tx, context.remember, result));
    });
    return result;
  }

  /**
   * Decides one `RECEIVED` payment against its invoice as it stands (`decidePayment`). Applied: invoice `paidCents`
   * and status, the payment `APPLIED`, the journal entry Dr 1000 / Cr 1100, the order `PAID` when the invoice is,
   * and their audit events, in one transaction. Refused: the payment `REJECTED` with its reason, nothing posted. A
   * payment already decided is left alone, so redelivery changes nothing.
   */
  async function applyPayment(paymentId: string, actor: string): Promise<PaymentOutcome> {
    return withConcurrencyRetry(async () => {
      const payment = await payments.getPayment(paymentId);
      if (!payment) return { paymentId, status: undefined, changed: false };
      if (payment.status !== 'RECEIVED') return { paymentId, status: payment.status, changed: false };
      const invoice = await invoices.getInvoice(payment.invoiceId);
      const decision = decidePayment(invoice, payment.amountCents);
      const at = now().toISOString();

      if (decision.outcome === 'REJECT' || !invoice) {
        const rejectionReason = decision.outcome === 'REJECT' ? decision.rejectionReason : 'invoice_not_found';
        await writeOrRetry(
          doc,
          [
            payments.rejectedItem(payment, rejectionReason, at),
            audit.eventItem({
              actor,
              action: 'payment.rejected',
              entityType: 'payment',
              entityId: paymentId,
              at,
              changes: ['status', 'rejectionReason'],
              status: 'REJECTED',
            }),
          ],
          undefined,
        );
        return { paymentId, status: 'REJECTED' as const, changed: true };
      }

      const entryId = newId('journalEntry');
      const paid = decision.invoiceStatus === 'PAID';
      const order = paid ? await orders.getOrder(invoice.orderId) : undefined;
      if (paid && !order) throw new Error(`Order ${invoice.orderId} of invoice ${invoice.invoiceId} does not exist`);
      // A payable invoice belongs to a CONFIRMED order; an order seen otherwise was cancelled after the invoice was
      // read (the cancellation voided the invoice in the same transaction): re-read and decide on the fresh invoice.
      if (order && order.status !== 'CONFIRMED')
        throw new ConcurrencyError('The order moved on since its invoice was read');
      const tx: TransactItem[] = [
        invoices.paymentUpdate(invoice, decision.paidCents, decision.invoiceStatus, at),
        payments.appliedItem(payment, entryId, at),
        ...journal.entryItems({
          entryId,
          postedAt: at,
          memo: `Payment ${paymentId} on invoice ${invoice.invoiceId}`,
          source: { type: 'payment', id: paymentId },
          lines: decision.journalLines,
        }),
        audit.eventItem({
          actor,
          action: 'payment.applied',
          entityType: 'payment',
          entityId: paymentId,
          at,
          changes: ['status', 'journalEntryId', 'appliedAt'],
          status: 'APPLIED',
          related: [
            { entityType: 'invoice', entityId: invoice.invoiceId },
            { entityType: 'journalEntry', entityId: entryId },
          ],
        }),
        audit.eventItem({
          actor,
          action: paid ? 'invoice.paid' : 'invoice.partiallyPaid',
          entityType: 'invoice',
          entityId: invoice.invoiceId,
          at,
          changes: ['status', 'paidCents'],
          status: decision.invoiceStatus,
          related: [{ entityType: 'payment', entityId: paymentId }],
        }),
      ];
      if (order) {
        tx.push(
          orders.transitionItem(order, 'PAID', {}, at),
          audit.eventItem({
            actor,
            action: 'order.paid',
            entityType: 'order',
            entityId: order.orderId,
            at,
            changes: ['status'],
            status: 'PAID',
            related: [
              { entityType: 'invoice', entityId: invoice.invoiceId },
              { entityType: 'payment', entityId: paymentId },
            ],
          }),
        );
      }
      // The invoice's paidCents or status, or the payment, moved since they were read: re-read and decide again.
      await writeOrRetry(doc, tx, undefined);
      return { paymentId, status: 'APPLIED' as const, changed: true };
    });
  }

  return { submitPayment, applyPayment, getPayment: payments.getPayment };
}

export type PaymentService = ReturnType<typeof makePaymentService>;
