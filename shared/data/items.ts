import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { isLowStock, type Stock } from '#shared/domain/inventory.ts';
import type { StockedItem } from '#shared/domain/orders.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { patternReader } from '#shared/data/query.ts';

/**
 * An inventory item. `version` guards every change of stock or settings (optimistic concurrency); `unitCostCents`
 * is the average cost of the units on hand, or of the last units held when the shelf is empty.
 * `openPurchaseOrderId` is set while a purchase order for the item is open; it is guarded by its own conditions and
 * does not move `version`, so opening a purchase order never makes a concurrent sale retry.
 */
export const itemSchema = z.object({
  entity: z.literal('item'),
  sku: z.string(),
  name: z.string(),
  unitPriceCents: z.number().int(),
  unitCostCents: z.number().int(),
  stockValueCents: z.number().int(),
  onHand: z.number().int(),
  reorderPoint: z.number().int(),
  reorderQuantity: z.number().int(),
  openPurchaseOrderId: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Item = z.infer<typeof itemSchema>;

/** The catalogue settings a PUT may change on an existing item. */
export type ItemSettings = Pick<Item, 'name' | 'unitPriceCents' | 'reorderPoint' | 'reorderQuantity'>;

/** An item as the fulfilment rules see it. */
export function stockedItem(item: Item): StockedItem {
  return {
    sku: item.sku,
    unitPriceCents: item.unitPriceCents,
    reorderPoint: item.reorderPoint,
    version: item.version,
    onHand: item.onHand,
    stockValueCents: item.stockValueCents,
    unitCostCents: item.unitCostCents,
  };
}

/** The sparse low-stock index entry: present while the item is at or below its reorder point. */
function lowStockAttributes(sku: string, onHand: number, reorderPoint: number): Record<string, string | undefined> {
  return isLowStock(onHand, reorderPoint) ? keys.itemLowStock.key({ sku }) : keys.itemLowStock.absent();
}

const BATCH_GET_LIMIT = 100;

/** Items: the record, its catalogue entry (gsi2) and, while low, its low-stock entry (gsi1). */
export function makeItemStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  const parse = (item: Record<string, unknown>) => itemSchema.parse(item);
  return {
    async getItem(sku: string): Promise<Item | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.item.key({ sku }), ConsistentRead: true }),
      );
      return Item ? itemSchema.parse(Item) : undefined;
    },

    /** The items of some SKUs, read consistently; unknown SKUs are simply absent from the map. */
    async getItems(skus: readonly string[]): Promise<Map<string, Item>> {
      const found = new Map<string, Item>();
      for (let start = 0; start < skus.length; start += BATCH_GET_LIMIT) {
        let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
          [tableName]: {
            Keys: skus.slice(start, start + BATCH_GET_LIMIT).map((sku) => keys.item.key({ sku })),
            ConsistentRead: true,
          },
        };
        for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
          const result = await doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const raw of result.Responses?.[tableName] ?? []) {
            const item = itemSchema.parse(raw);
            found.set(item.sku, item);
          }
          request = result.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },

    /** The put creating an item, with its catalogue and (if low) low-stock entries; fails if the SKU exists. */
    newItemPut(item: Item): TransactItem {
      return createPut(tableName, {
        ...keys.item.key(item),
        ...keys.itemInCatalogue.key(item),
        ...(isLowStock(item.onHand, item.reorderPoint) ? keys.itemLowStock.key(item) : {}),
        ...item,
      });
    },

    /**
     * The update applying a stock movement to `item` (as read), conditional on its version being unchanged; moves
     * the low-stock entry. `clearPurchaseOrderId` removes the open purchase order marker when it still names that
     * purchase order (a receipt against it).
     */
    stockUpdate(item: Item, after: Stock, at: string, options: { clearPurchaseOrderId?: string } = {}): TransactItem {
      const clear = options.clearPurchaseOrderId;
      const set = {
        onHand: after.onHand,
        stockValueCents: after.stockValueCents,
        unitCostCents: after.unitCostCents,
        version: item.version + 1,
        updatedAt: at,
        ...lowStockAttributes(item.sku, after.onHand, item.reorderPoint),
        ...(clear ? { openPurchaseOrderId: undefined } : {}),
      };
      const guard = { version: item.version, ...(clear ? { openPurchaseOrderId: clear } : {}) };
      return guardedUpdate(tableName, keys.item.key(item), set, guard);
    },

    /** The update changing an item's catalogue settings, conditional on its version; moves the low-stock entry. */
    settingsUpdate(item: Item, settings: ItemSettings, at: string): TransactItem {
      const set = {
        ...settings,
        version: item.version + 1,
        updatedAt: at,
        ...lowStockAttributes(item.sku, item.onHand, settings.reorderPoint),
      };
      return guardedUpdate(tableName, keys.item.key(item), set, { version: item.version });
    },

    /**
     * The update marking a purchase order open on an item, conditional on none being open and the item still being
     * at or below its reorder point: of any number of concurrent attempts exactly one succeeds.
     */
    openPurchaseOrderMark(sku: string, purchaseOrderId: string): TransactItem {
      return {
        Update: {
          TableName: tableName,
          Key: keys.item.key({ sku }),
          UpdateExpression: 'SET #po = :po',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#po) AND #onHand <= #reorderPoint',
          ExpressionAttributeNames: {
            '#po': 'openPurchaseOrderId',
            '#onHand': 'onHand',
            '#reorderPoint': 'reorderPoint',
          },
          ExpressionAttributeValues: { ':po': purchaseOrderId },
        },
      };
    },

    /** Every item by SKU (the catalogue; the inventory report). */
    catalogue: patternReader({ doc, tableName }, keys.itemInCatalogue, parse),

    /** Items at or below their reorder point, by SKU (the sparse low-stock index; the nightly reorder sweep). */
    lowStock: patternReader({ doc, tableName }, keys.itemLowStock, parse),
  };
}

export type ItemStore = ReturnType<typeof makeItemStore>;
