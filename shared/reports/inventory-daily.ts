import { toSafeNumber } from '#shared/domain/money.ts';
import { isLowStock } from '#shared/domain/inventory.ts';
import { makeItemStore, type Item } from '#shared/data/items.ts';
import { makePurchaseOrderStore, type PurchaseOrder } from '#shared/data/purchase-orders.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';

/**
 * `inventory-daily` (docs/contract.md#reports): the stock position when the report is generated (00:15 UTC for the day
 * before), read from the catalogue and the open purchase orders, never from stock history.
 */
export interface InventoryDaily {
  currency: string;
  /** Items at or below their reorder point, by SKU. */
  lowStock: { sku: string; onHand: number; reorderPoint: number }[];
  /** The sum of every item's `stockValueCents` (moving average cost), what account 1200 Inventory holds. */
  stockValuationCents: number;
  /** Items in the catalogue. */
  itemCount: number;
  /** Purchase orders still `OPEN`. */
  purchaseOrdersOpen: number;
}

/** The figures of `inventory-daily` from the catalogue and the open purchase orders. Pure. */
export async function inventoryDailyFigures(
  items: AsyncIterable<Item> | Iterable<Item>,
  openPurchaseOrders: AsyncIterable<PurchaseOrder> | Iterable<PurchaseOrder>,
  currency: string,
): Promise<InventoryDaily> {
  const lowStock: InventoryDaily['lowStock'] = [];
  let value = 0n;
  let itemCount = 0;
  for await (const item of items) {
    itemCount += 1;
    value += BigInt(item.stockValueCents);
    if (isLowStock(item.onHand, item.reorderPoint))
      lowStock.push({ sku: item.sku, onHand: item.onHand, reorderPoint: item.reorderPoint });
  }
  let purchaseOrdersOpen = 0;
  for await (const po of openPurchaseOrders) if (po.status === 'OPEN') purchaseOrdersOpen += 1;
  return {
    currency,
    lowStock,
    stockValuationCents: toSafeNumber(value, 'stock valuation'),
    itemCount,
    purchaseOrdersOpen,
  };
}

export const inventoryDaily = defineReport<InventoryDaily>({
  type: 'inventory-daily',
  readers: ['inventory', 'accounting', 'ops'],
  description: 'Low stock, stock valuation and open purchase orders.',
  async generate(_period, deps) {
    const items = makeItemStore(deps);
    const purchaseOrders = makePurchaseOrderStore(deps);
    return inventoryDailyFigures(
      items.catalogue.all({}),
      purchaseOrders.byStatus.all({ status: 'OPEN' }),
      deps.currency,
    );
  },
  toCsv: reportCsv,
});
