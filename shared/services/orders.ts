import { ConcurrencyError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  INVOICE_TERMS_DAYS,
  addDaysUtc,
  awaitsFulfilment,
  planFulfilment,
  type OrderStatus,
  type OrderSubmission,
  type StockedItem,
} from '#shared/domain/orders.ts';
import { isLowStock } from '#shared/domain/inventory.ts';
import {
  TransactionConditionError,
  transactWrite,
  withConcurrencyRetry,
  type TransactItem,
} from '#shared/data/transact.ts';
import { makeOrderStore, type Order } from '#shared/data/orders.ts';
import { makeItemStore, stockedItem } from '#shared/data/items.ts';
import { makeInvoiceStore, type Invoice } from '#shared/data/invoices.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeCustomerService } from '#shared/services/customers.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';
import { logger } from '#shared/platform/observability.ts';

export interface SubmittedOrder {
  orderId: string;
  status: 'RECEIVED';
}

export interface ProcessOutcome {
  orderId: string;
  /** The order's status after processing; undefined when the order does not exist. */
  status: OrderStatus | undefined;
  /** Whether this call changed the order (false for a redelivery or a backorder still short). */
  changed: boolean;
}

/**
 * Order use cases (docs/contract.md#orders-and-inventory): intake writes a `RECEIVED` order, the processor decides it
 * against current stock. Every decision is one transaction conditional on the order's status (and each item's version),
 * so a redelivered message, a second processor or a concurrent sale can never apply it twice or oversell.
 */
export function makeOrderService({
  doc,
  tableName,
  currency,
  now = () => new Date(),
}: ServiceDeps & { currency: string }) {
  const orders = makeOrderStore({ doc, tableName });
  const customers = makeCustomerService({ doc, tableName });
  const items = makeItemStore({ doc, tableName });
  const invoices = makeInvoiceStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });
  const inventory = makeInventoryService({ doc, tableName, now });

  /**
   * Accepts an order: resolves the customer by email (creating them on first sight, racing safely with other
   * requests for the same address) and writes the `RECEIVED` order with its audit events — and, through
   * `remember`, the idempotency record — in one transaction. Sending the queue message is the caller's next step.
   */
  async function submitOrder(
    input: OrderSubmission,
    context: { actor: string; correlationId: string; remember?: Remember<SubmittedOrder> },
  ): Promise<SubmittedOrder> {
    const orderId = newId('order');
    const result: SubmittedOrder = { orderId, status: 'RECEIVED' };
    await withConcurrencyRetry(async () => {
      const at = now().toISOString();
      const { customerId, items: newCustomer } = await customers.findOrCreateCustomer(input.customer, {
        actor: context.actor,
        at,
      });
      const order: Order = {
        entity: 'order',
        orderId,
        status: 'RECEIVED',
        customerId,
        customer: input.customer,
        lines: input.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        currency,
        correlationId: context.correlationId,
        createdAt: at,
        updatedAt: at,
      };
      const tx: TransactItem[] = [
        orders.newOrderItem(order),
        audit.eventItem({
          actor: context.actor,
          action: 'order.submitted',
          entityType: 'order',
          entityId: orderId,
          at,
          changes: ['status', 'customer', 'customerId', 'lines', ...(input.notes !== undefined ? ['notes'] : [])],
          status: 'RECEIVED',
        }),
        ...newCustomer,
      ];
      // Another request registering the same email first fails the lookup's condition: re-read and reuse its id.
      await writeOrRetry(doc, tx, withRemember(tx, context.remember, result));
    });
    return result;
  }

  /**
   * Decides one order against current stock: unknown SKU → `REJECTED`; any line short → `BACKORDERED`, nothing
   * reserved; else `CONFIRMED` with stock taken out at moving average cost, the invoice issued and the sale
   * journaled, in one transaction. Orders no longer awaiting fulfilment are left alone, so redelivery changes
   * nothing. After a confirmation, items left at or below their reorder point get their purchase order.
   */
  async function processOrder(orderId: string, actor: string): Promise<ProcessOutcome> {
    const outcome = await withConcurrencyRetry(async () => {
      const order = await orders.getOrder(orderId);
      if (!order) return { outcome: { orderId, status: undefined, changed: false }, lowSkus: [] as string[] };
      if (!awaitsFulfilment(order.status))
        return { outcome: { orderId, status: order.status, changed: false }, lowSkus: [] };

      const found = await items.getItems(order.lines.map((line) => line.sku));
      const stocked = new Map<string, StockedItem>([...found].map(([sku, item]) => [sku, stockedItem(item)]));
      const plan = planFulfilment(order.lines, stocked);
      const at = now().toISOString();

      if (plan.outcome === 'BACKORDERED' && order.status === 'BACKORDERED') {
        return { outcome: { orderId, status: order.status, changed: false }, lowSkus: [] };
      }
      if (plan.outcome === 'REJECTED' || plan.outcome === 'BACKORDERED') {
        const changes = plan.outcome === 'REJECTED' ? { rejectionReason: plan.rejectionReason } : {};
        await decide([
          orders.transitionItem(order, plan.outcome, changes, at),
          audit.eventItem({
            actor,
            action: plan.outcome === 'REJECTED' ? 'order.rejected' : 'order.backordered',
            entityType: 'order',
            entityId: orderId,
            at,
            changes: ['status', ...Object.keys(changes)],
            status: plan.outcome,
          }),
        ]);
        return { outcome: { orderId, status: plan.outcome, changed: true }, lowSkus: [] };
      }

      const invoice: Invoice = {
        entity: 'invoice',
        invoiceId: newId('invoice'),
        orderId,
        customerId: order.customerId,
        status: 'OPEN',
        totalCents: plan.totalCents,
        paidCents: 0,
        currency: order.currency,
        issuedAt: at,
        dueDate: addDaysUtc(at, INVOICE_TERMS_DAYS),
        createdAt: at,
        updatedAt: at,
      };
      const entryId = newId('journalEntry');
      const entryItems = journal.entryItems({
        entryId,
        postedAt: at,
        memo: `Sale on order ${orderId}`,
        source: { type: 'order', id: orderId },
        lines: plan.journalLines,
      });
      await decide([
        ...plan.movements.map((movement) => items.stockUpdate(found.get(movement.sku)!, movement.after, at)),
        orders.transitionItem(
          order,
          'CONFIRMED',
          {
            // Each line keeps the stock value it took out, so a cancellation can put back exactly that
            // (docs/contract.md#orders-and-inventory).
            lines: plan.lines.map((line, i) => ({ ...line, costCents: plan.movements[i]!.costCents })),
            totalCents: plan.totalCents,
            invoiceId: invoice.invoiceId,
          },
          at,
        ),
        invoices.newInvoiceItem(invoice),
        ...entryItems,
        audit.eventItem({
          actor,
          action: 'order.confirmed',
          entityType: 'order',
          entityId: orderId,
          at,
          changes: ['status', 'lines', 'totalCents', 'invoiceId'],
          status: 'CONFIRMED',
          related: [
            { entityType: 'invoice', entityId: invoice.invoiceId },
            ...(entryItems.length > 0 ? [{ entityType: 'journalEntry', entityId: entryId }] : []),
            ...plan.movements.map((movement) => ({ entityType: 'item', entityId: movement.sku })),
          ],
        }),
        audit.eventItem({
          actor,
          action: 'invoice.issued',
          entityType: 'invoice',
          entityId: invoice.invoiceId,
          at,
          changes: ['status', 'totalCents', 'paidCents', 'dueDate'],
          status: 'OPEN',
          related: [{ entityType: 'order', entityId: orderId }],
        }),
      ]);
      const lowSkus = plan.movements
        .filter((movement) => isLowStock(movement.after.onHand, movement.before.reorderPoint))
        .filter((movement) => !found.get(movement.sku)!.openPurchaseOrderId)
        .map((movement) => movement.sku);
      return { outcome: { orderId, status: 'CONFIRMED' as const, changed: true }, lowSkus };
    });
    for (const sku of outcome.lowSkus) await inventory.reorderAfterCommit(sku, actor);
    return outcome.outcome;
  }

  /** Writes a decision; any failed condition means the order or an item moved on since it was read: retry. */
  async function decide(tx: TransactItem[]): Promise<void> {
    try {
      await transactWrite(doc, tx);
    } catch (error) {
      if (error instanceof TransactionConditionError)
        throw new ConcurrencyError('Order or stock changed; re-read and retry');
      throw error;
    }
  }

  /**
   * Retries every backordered order, oldest first, each through the same path as a new one, after goods arrive.
   * One order failing does not stop the others; the failure is raised at the end so the message is retried.
   */
  async function retryBackorders(actor: string): Promise<ProcessOutcome[]> {
    const ids: string[] = [];
    for await (const order of orders.byStatus.all({ status: 'BACKORDERED' })) ids.push(order.orderId);
    const outcomes: ProcessOutcome[] = [];
    let firstError: unknown;
    for (const orderId of ids) {
      try {
        outcomes.push(await processOrder(orderId, actor));
      } catch (error) {
        logger.error('backordered order could not be retried', { orderId, error: error as Error });
        firstError ??= error;
      }
    }
    if (firstError) throw firstError;
    return outcomes;
  }

  return { submitOrder, processOrder, retryBackorders };
}

export type OrderService = ReturnType<typeof makeOrderService>;
