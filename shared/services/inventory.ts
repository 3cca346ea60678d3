import { ConflictError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  adjust,
  needsPurchaseOrder,
  openingStock,
  receive,
  stockFieldsChanged,
  type AdjustmentInput,
  type ItemInput,
  type ReceiptInput,
} from '#shared/domain/inventory.ts';
import { ACCOUNT, linesOf } from '#shared/domain/ledger.ts';
import {
  TransactionConditionError,
  transactWrite,
  withConcurrencyRetry,
  type TransactItem,
} from '#shared/data/transact.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';
import { makeItemStore, type Item, type ItemSettings } from '#shared/data/items.ts';
import { makePurchaseOrderStore, type PurchaseOrder } from '#shared/data/purchase-orders.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { logger } from '#shared/platform/observability.ts';

/**
 * Inventory use cases (docs/contract.md#orders-and-inventory): catalogue maintenance, goods receipts, stock adjustments
 * and purchase orders. Each change of stock is one transaction with its journal entry and audit events, guarded by the
 * item's version and retried on a lost race, so concurrent writers never lose an update and stock never goes negative.
 */
export function makeInventoryService({ doc, tableName, now = () => new Date() }: ServiceDeps) {
  const items = makeItemStore({ doc, tableName });
  const purchaseOrders = makePurchaseOrderStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /**
   * Opens the one purchase order a low item without an open one needs (`reorderQuantity` units). Safe to call from
   * any number of writers at once: the item's conditions let exactly one purchase order through. Returns it, or
   * undefined when none was needed or another writer opened it.
   */
  async function openPurchaseOrderIfNeeded(sku: string, actor: string): Promise<PurchaseOrder | undefined> {
    return withConcurrencyRetry(async () => {
      const item = await items.getItem(sku);
      if (!item || !needsPurchaseOrder(item)) return undefined;
      const at = now().toISOString();
      const po: PurchaseOrder = {
        entity: 'purchaseOrder',
        purchaseOrderId: newId('purchaseOrder'),
        sku,
        quantity: item.reorderQuantity,
        status: 'OPEN',
        createdAt: at,
        updatedAt: at,
      };
      try {
        await transactWrite(doc, [
          purchaseOrders.newPurchaseOrderItem(po),
          items.openPurchaseOrderMark(sku, po.purchaseOrderId),
          audit.eventItem({
            actor,
            action: 'purchaseOrder.opened',
            entityType: 'purchaseOrder',
            entityId: po.purchaseOrderId,
            changes: ['sku', 'quantity', 'status'],
            status: 'OPEN',
            at,
            related: [{ entityType: 'item', entityId: sku }],
          }),
          audit.eventItem({
            actor,
            action: 'item.purchaseOrderOpened',
            entityType: 'item',
            entityId: sku,
            changes: ['openPurchaseOrderId'],
            at,
            related: [{ entityType: 'purchaseOrder', entityId: po.purchaseOrderId }],
          }),
        ]);
        return po;
      } catch (error) {
        // Another writer opened one first, or the item is no longer low: nothing to do.
        if (error instanceof TransactionConditionError) return undefined;
        throw error;
      }
    });
  }

  /**
   * Creates an item (with opening stock journaled Dr 1200 / Cr 3000) or updates its catalogue settings. Stock and
   * valuation change only through receipts and adjustments: an update whose `onHand` or `unitCostCents` differs
   * from the item's is a conflict.
   */
  async function putItem(sku: string, input: ItemInput, actor: string): Promise<{ created: boolean; item: Item }> {
    const result = await withConcurrencyRetry(async () => {
      const existing = await items.getItem(sku);
      const at = now().toISOString();
      if (!existing) {
        const stock = openingStock(input.onHand ?? 0, input.unitCostCents);
        const item: Item = {
          entity: 'item',
          sku,
          name: input.name,
          unitPriceCents: input.unitPriceCents,
          reorderPoint: input.reorderPoint,
          reorderQuantity: input.reorderQuantity,
          ...stock,
          version: 1,
          createdAt: at,
          updatedAt: at,
        };
        const tx = [
          items.newItemPut(item),
          ...journal.entryItems({
            entryId: newId('journalEntry'),
            postedAt: at,
            memo: `Opening stock of ${sku}`,
            source: { type: 'item', id: sku },
            lines: linesOf([
              { debit: ACCOUNT.inventory, credit: ACCOUNT.openingBalanceEquity, amountCents: stock.stockValueCents },
            ]),
          }),
          audit.eventItem({
            actor,
            action: 'item.created',
            entityType: 'item',
            entityId: sku,
            at,
            changes: [
              'name',
              'unitPriceCents',
              'unitCostCents',
              'reorderPoint',
              'reorderQuantity',
              'onHand',
              'stockValueCents',
            ],
          }),
        ];
        // A concurrent create of the same SKU fails the put's condition: re-read and update instead.
        await writeOrRetry(doc, tx, undefined);
        return { created: true, item };
      }

      if (input.onHand !== undefined && input.onHand !== existing.onHand) {
        throw new ConflictError(
          `Item ${sku} has ${existing.onHand} on hand; stock changes go through receipts and adjustments, not PUT.`,
        );
      }
      if (input.unitCostCents !== existing.unitCostCents) {
        throw new ConflictError(
          `Item ${sku} is valued at ${existing.unitCostCents} per unit; cost changes only through receipts.`,
        );
      }
      const settings: ItemSettings = {
        name: input.name,
        unitPriceCents: input.unitPriceCents,
        reorderPoint: input.reorderPoint,
        reorderQuantity: input.reorderQuantity,
      };
      const changes = (Object.keys(settings) as (keyof ItemSettings)[]).filter(
        (field) => settings[field] !== existing[field],
      );
      if (changes.length === 0) return { created: false, item: existing };
      const item: Item = { ...existing, ...settings, version: existing.version + 1, updatedAt: at };
      await writeOrRetry(
        doc,
        [
          items.settingsUpdate(existing, settings, at),
          audit.eventItem({ actor, action: 'item.updated', entityType: 'item', entityId: sku, changes, at }),
        ],
        undefined,
      );
      return { created: false, item };
    });
    if (needsPurchaseOrder(result.item)) await reorderAfterCommit(sku, actor);
    return result;
  }

  /**
   * Goods received: stock and stock value up (Dr 1200 Inventory / Cr 2000 Accounts Payable), the referenced
   * purchase order `RECEIVED` and no longer open on the item. The purchase order must exist, be open and be for
   * this SKU.
   */
  async function receiveGoods(
    input: ReceiptInput,
    actor: string,
    remember?: Remember<Item>,
  ): Promise<{ receiptId: string; item: Item }> {
    const result = await withConcurrencyRetry(async () => {
      const item = await items.getItem(input.sku);
      if (!item) throw new NotFoundError(`Item ${input.sku} was not found.`);
      let po: PurchaseOrder | undefined;
      if (input.purchaseOrderId !== undefined) {
        po = await purchaseOrders.getPurchaseOrder(input.purchaseOrderId);
        if (!po) throw new NotFoundError(`Purchase order ${input.purchaseOrderId} was not found.`);
        if (po.sku !== input.sku) {
          throw new InvalidInputError('The purchase order is for another SKU.', [
            { path: 'purchaseOrderId', message: `Purchase order ${po.purchaseOrderId} is for ${po.sku}` },
          ]);
        }
        if (po.status !== 'OPEN')
          throw new ConflictError(`Purchase order ${po.purchaseOrderId} is already ${po.status}.`);
      }
      const at = now().toISOString();
      const receiptId = newId('receipt');
      const { valueCents, after } = receive(item, input.quantity, input.unitCostCents);
      const clearPurchaseOrderId =
        po && item.openPurchaseOrderId === po.purchaseOrderId ? po.purchaseOrderId : undefined;
      const updated: Item = {
        ...item,
        ...after,
        version: item.version + 1,
        updatedAt: at,
        openPurchaseOrderId: clearPurchaseOrderId ? undefined : item.openPurchaseOrderId,
      };
      const tx: TransactItem[] = [
        items.stockUpdate(item, after, at, clearPurchaseOrderId ? { clearPurchaseOrderId } : {}),
        ...(po ? [purchaseOrders.receivedItem(po, at)] : []),
        ...journal.entryItems({
          entryId: newId('journalEntry'),
          postedAt: at,
          memo: po ? `Goods received for ${input.sku} on ${po.purchaseOrderId}` : `Goods received for ${input.sku}`,
          source: { type: 'receipt', id: receiptId },
          lines: linesOf([{ debit: ACCOUNT.inventory, credit: ACCOUNT.accountsPayable, amountCents: valueCents }]),
        }),
        audit.eventItem({
          actor,
          action: 'item.received',
          entityType: 'item',
          entityId: input.sku,
          at,
          changes: [...stockFieldsChanged(item, after), ...(clearPurchaseOrderId ? ['openPurchaseOrderId'] : [])],
          related: [{ entityType: 'receipt', entityId: receiptId }],
        }),
        ...(po
          ? [
              audit.eventItem({
                actor,
                action: 'purchaseOrder.received',
                entityType: 'purchaseOrder',
                entityId: po.purchaseOrderId,
                changes: ['status', 'receivedAt'],
                status: 'RECEIVED',
                at,
              }),
            ]
          : []),
      ];
      await writeOrRetry(doc, tx, withRemember(tx, remember, updated));
      return { receiptId, item: updated };
    });
    if (needsPurchaseOrder(result.item)) await reorderAfterCommit(input.sku, actor);
    return result;
  }

  /**
   * A stock-count correction journaled against 5100 Inventory Adjustments: Dr 1200 / Cr 5100 for a gain, Dr 5100 /
   * Cr 1200 for a loss. One that would take stock below zero is refused (409) and changes nothing.
   */
  async function adjustStock(
    input: AdjustmentInput,
    actor: string,
    remember?: Remember<Item>,
  ): Promise<{ adjustmentId: string; item: Item }> {
    const result = await withConcurrencyRetry(async () => {
      const item = await items.getItem(input.sku);
      if (!item) throw new NotFoundError(`Item ${input.sku} was not found.`);
      const { valueCents, after } = adjust(item, input.delta);
      const at = now().toISOString();
      const adjustmentId = newId('adjustment');
      const updated: Item = { ...item, ...after, version: item.version + 1, updatedAt: at };
      const gain = input.delta > 0;
      const tx: TransactItem[] = [
        items.stockUpdate(item, after, at),
        ...journal.entryItems({
          entryId: newId('journalEntry'),
          postedAt: at,
          memo: `Stock adjustment of ${input.sku}: ${input.reason}`,
          source: { type: 'adjustment', id: adjustmentId },
          lines: linesOf([
            gain
              ? { debit: ACCOUNT.inventory, credit: ACCOUNT.inventoryAdjustments, amountCents: valueCents }
              : { debit: ACCOUNT.inventoryAdjustments, credit: ACCOUNT.inventory, amountCents: valueCents },
          ]),
        }),
        audit.eventItem({
          actor,
          action: 'item.adjusted',
          entityType: 'item',
          entityId: input.sku,
          at,
          changes: stockFieldsChanged(item, after),
          related: [{ entityType: 'adjustment', entityId: adjustmentId }],
        }),
      ];
      await writeOrRetry(doc, tx, withRemember(tx, remember, updated));
      return { adjustmentId, item: updated };
    });
    if (needsPurchaseOrder(result.item)) await reorderAfterCommit(input.sku, actor);
    return result;
  }

  /**
   * `openPurchaseOrderIfNeeded` after a change of stock has committed: a failure here (throttling, retries used up)
   * must not turn the committed receipt, adjustment or confirmation into an error its caller would retry and apply
   * twice. It is logged, and the nightly `reorder-sweep` opens the purchase order.
   */
  async function reorderAfterCommit(sku: string, actor: string): Promise<PurchaseOrder | undefined> {
    try {
      return await openPurchaseOrderIfNeeded(sku, actor);
    } catch (error) {
      logger.warn('purchase order not opened; the nightly reorder-sweep opens it', { sku, error: error as Error });
      return undefined;
    }
  }

  /**
   * The nightly safety net: every item in the low-stock index without an open purchase order gets one. Its cost
   * follows the number of low items, not the catalogue. One item that fails does not stop the others; the run then
   * fails naming them, so the schedule retries it (a rerun opens only what is still missing).
   */
  async function sweepReorders(actor: string): Promise<PurchaseOrder[]> {
    const opened: PurchaseOrder[] = [];
    const failed: { sku: string; error: unknown }[] = [];
    for await (const item of items.lowStock.all({})) {
      if (!needsPurchaseOrder(item)) continue;
      try {
        const po = await openPurchaseOrderIfNeeded(item.sku, actor);
        if (po) opened.push(po);
      } catch (error) {
        failed.push({ sku: item.sku, error });
      }
    }
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((f) => f.error),
        `Purchase orders not opened for ${failed.map((f) => f.sku).join(', ')}; opened ${opened.length} others`,
      );
    }
    return opened;
  }

  return { putItem, receiveGoods, adjustStock, openPurchaseOrderIfNeeded, reorderAfterCommit, sweepReorders };
}

export type InventoryService = ReturnType<typeof makeInventoryService>;
