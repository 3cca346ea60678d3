import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import { awaitsFulfilment, planCancellation, type StockedItem } from '#shared/domain/orders.ts';
import { withConcurrencyRetry, type TransactItem } from '#shared/data/transact.ts';
import { makeOrderStore, type Order } from '#shared/data/orders.ts';
import { makeItemStore, stockedItem } from '#shared/data/items.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { writeOrRetry, type ServiceDeps } from '#shared/services/write.ts';

export interface Cancellation {
  /** The order as it now stands (`CANCELLED`). */
  order: Order;
  /** Whether stock was released (the order had been confirmed), so backordered orders may now be filled. */
  releasedStock: boolean;
}

/**
 * Order cancellation (docs/contract.md#orders-and-inventory). An order not yet decided (`RECEIVED`, `BACKORDERED`) is
 * simply `CANCELLED`, on condition that its status is still the one read, so a processor deciding it at the same moment
 * either wins (and the cancellation re-reads it confirmed) or finds it cancelled and leaves it alone. A `CONFIRMED`
 * order with no payment applied is undone in one transaction: the order `CANCELLED`, its invoice `VOID` (on condition:
 * `OPEN`, nothing paid — the same item a payment updates, so a payment and a cancellation racing cannot both win),
 * every line's units and exact cost back in stock (each item's version checked), the reversing journal entry and the
 * audit events. Anything else — paid, partially paid, cancelled, rejected — is a 409.
 */
export function makeCancellationService({ doc, tableName, now = () => new Date() }: ServiceDeps) {
  const orders = makeOrderStore({ doc, tableName });
  const items = makeItemStore({ doc, tableName });
  const invoices = makeInvoiceStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  async function cancelOrder(orderId: string, actor: string): Promise<Cancellation> {
    return withConcurrencyRetry(async () => {
      const order = await orders.getOrder(orderId);
      if (!order) throw new NotFoundError(`Order ${orderId} was not found.`);
      const at = now().toISOString();
      const cancelled: Order = { ...order, status: 'CANCELLED', updatedAt: at };
      const cancelledEvent = (related?: { entityType: string; entityId: string }[]) =>
        audit.eventItem({
          actor,
          action: 'order.cancelled',
          entityType: 'order',
          entityId: orderId,
          at,
          changes: ['status'],
          status: 'CANCELLED',
          ...(related ? { related } : {}),
        });

      if (awaitsFulfilment(order.status)) {
        await writeOrRetry(doc, [orders.transitionItem(order, 'CANCELLED', {}, at), cancelledEvent()], undefined);
        return { order: cancelled, releasedStock: false };
      }
      if (order.status !== 'CONFIRMED') {
        const why = order.status === 'PAID' ? 'it has been paid' : `it is already ${order.status}`;
        throw new ConflictError(`Order ${orderId} cannot be cancelled: ${why}.`);
      }

      const invoice = order.invoiceId ? await invoices.getInvoice(order.invoiceId) : undefined;
      if (!invoice) throw new Error(`Invoice of confirmed order ${orderId} does not exist`);
      if (invoice.status !== 'OPEN' || invoice.paidCents !== 0) {
        throw new ConflictError(
          `Order ${orderId} cannot be cancelled: a payment has been applied to invoice ${invoice.invoiceId}.`,
        );
      }
      const found = await items.getItems(order.lines.map((line) => line.sku));
      const stocked = new Map<string, StockedItem>([...found].map(([sku, item]) => [sku, stockedItem(item)]));
      const plan = planCancellation(order, stocked);
      const entryId = newId('journalEntry');
      const entryItems = journal.entryItems({
        entryId,
        postedAt: at,
        memo: `Cancellation of order ${orderId}`,
        source: { type: 'cancellation', id: orderId },
        lines: plan.journalLines,
      });
      const tx: TransactItem[] = [
        ...plan.restocks.map((restock) => items.stockUpdate(found.get(restock.sku)!, restock.after, at)),
        orders.transitionItem(order, 'CANCELLED', {}, at),
        invoices.voidUpdate(invoice, at),
        ...entryItems,
        cancelledEvent([
          { entityType: 'invoice', entityId: invoice.invoiceId },
          ...(entryItems.length > 0 ? [{ entityType: 'journalEntry', entityId: entryId }] : []),
          ...plan.restocks.map((restock) => ({ entityType: 'item', entityId: restock.sku })),
        ]),
        audit.eventItem({
          actor,
          action: 'invoice.voided',
          entityType: 'invoice',
          entityId: invoice.invoiceId,
          at,
          changes: ['status'],
          status: 'VOID',
          related: [{ entityType: 'order', entityId: orderId }],
        }),
      ];
      // A payment, a stock movement or another cancellation got there first: re-read and decide again.
      await writeOrRetry(doc, tx, undefined);
      return { order: cancelled, releasedStock: true };
    });
  }

  return { cancelOrder };
}

export type CancellationService = ReturnType<typeof makeCancellationService>;
