import * as z from 'zod';
import { ConflictError } from '#shared/errors.ts';
import {
  MAX_UNIT_CENTS,
  averageUnitCost,
  costOfUnitsRemoved,
  multiplyCents,
  toSafeNumber,
} from '#shared/domain/money.ts';

/** Largest quantity one receipt, adjustment, opening stock or reorder setting may carry. */
export const MAX_STOCK_QUANTITY = 1_000_000;

/** SKU: upper-case letters, digits and dashes, 1–64 characters (docs/contract.md#orders-and-inventory). */
export const skuSchema = z.string().regex(/^[A-Z0-9-]{1,64}$/, 'Must be 1-64 characters of A-Z, 0-9 and -');

const cents = z.number().int().min(0).max(MAX_UNIT_CENTS);
const stockQuantity = z.number().int().min(0).max(MAX_STOCK_QUANTITY);

/** `PUT /v1/inventory/items/{sku}`. `onHand` and `unitCostCents` take effect on create only (docs/decisions.md). */
export const itemInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  unitPriceCents: cents,
  unitCostCents: cents,
  reorderPoint: stockQuantity,
  reorderQuantity: stockQuantity.min(1),
  onHand: stockQuantity.optional(),
});
export type ItemInput = z.infer<typeof itemInputSchema>;

/** `POST /v1/inventory/receipts`. */
export const receiptInputSchema = z.object({
  sku: skuSchema,
  quantity: stockQuantity.min(1),
  unitCostCents: cents,
  purchaseOrderId: z.string().min(1).max(64).optional(),
});
export type ReceiptInput = z.infer<typeof receiptInputSchema>;

/** `POST /v1/inventory/adjustments`: a stock-count correction, never zero. */
export const adjustmentInputSchema = z.object({
  sku: skuSchema,
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK_QUANTITY)
    .max(MAX_STOCK_QUANTITY)
    .refine((delta) => delta !== 0, 'Must not be zero'),
  reason: z.string().trim().min(1).max(200),
});
export type AdjustmentInput = z.infer<typeof adjustmentInputSchema>;

/**
 * What the valuation of an item is made of. `unitCostCents` is the average cost of the units on hand
 * (`round_half_up(stockValueCents / onHand)`), or, with nothing on hand, the cost of the units last held, so a
 * positive adjustment of an empty shelf still has a value.
 */
export interface Stock {
  onHand: number;
  stockValueCents: number;
  unitCostCents: number;
}

/**
 * The names of the valuation fields a movement really changed, for its audit event (docs/contract.md#audit-events: an
 * event names the fields that changed): a small adjustment often leaves the average unit cost where it was.
 */
export function stockFieldsChanged(before: Stock, after: Stock): (keyof Stock)[] {
  return (['onHand', 'stockValueCents', 'unitCostCents'] as const).filter((field) => before[field] !== after[field]);
}

/** Taking more units out than are on hand; the request changes nothing. */
export class InsufficientStockError extends ConflictError {
  override name = 'InsufficientStockError';
}

function settle(onHand: number, stockValueCents: number, previousUnitCost: number): Stock {
  return { onHand, stockValueCents, unitCostCents: averageUnitCost(stockValueCents, onHand, previousUnitCost) };
}

/** Opening stock of a new item: `onHand` units valued at `unitCostCents` each. */
export function openingStock(onHand: number, unitCostCents: number): Stock {
  return settle(onHand, multiplyCents(onHand, unitCostCents), unitCostCents);
}

/** `quantity` units leave at moving weighted average cost; `costCents` is the value removed. */
export function takeOut(stock: Stock, quantity: number): { costCents: number; after: Stock } {
  if (quantity > stock.onHand) {
    throw new InsufficientStockError(`Only ${stock.onHand} units on hand; cannot take out ${quantity}.`);
  }
  const costCents = costOfUnitsRemoved(stock.stockValueCents, stock.onHand, quantity);
  return { costCents, after: settle(stock.onHand - quantity, stock.stockValueCents - costCents, stock.unitCostCents) };
}

/** Goods received: `quantity` units at `unitCostCents` each add their cost to the stock value. */
export function receive(stock: Stock, quantity: number, unitCostCents: number): { valueCents: number; after: Stock } {
  const valueCents = multiplyCents(quantity, unitCostCents);
  const stockValueCents = toSafeNumber(BigInt(stock.stockValueCents) + BigInt(valueCents), 'stock value');
  return { valueCents, after: settle(stock.onHand + quantity, stockValueCents, unitCostCents) };
}

/**
 * Units coming back exactly as they left (a cancelled sale): `quantity` units and the `costCents` their removal
 * took out, so the item's value is what it would have been without the sale (at the current average for the rest).
 */
export function putBack(stock: Stock, quantity: number, costCents: number): Stock {
  const stockValueCents = toSafeNumber(BigInt(stock.stockValueCents) + BigInt(costCents), 'stock value');
  return settle(stock.onHand + quantity, stockValueCents, stock.unitCostCents);
}

/**
 * A stock-count correction. A positive delta adds `delta × unitCostCents` (the current average, or the last cost
 * with an empty shelf); a negative one removes value by the moving-average rule and may not go below zero.
 * `valueCents` is the (unsigned) value moved.
 */
export function adjust(stock: Stock, delta: number): { valueCents: number; after: Stock } {
  if (delta < 0) {
    const { costCents, after } = takeOut(stock, -delta);
    return { valueCents: costCents, after };
  }
  const valueCents = multiplyCents(delta, stock.unitCostCents);
  const stockValueCents = toSafeNumber(BigInt(stock.stockValueCents) + BigInt(valueCents), 'stock value');
  return { valueCents, after: settle(stock.onHand + delta, stockValueCents, stock.unitCostCents) };
}

/** An item is low, and belongs in the low-stock index, while it is at or below its reorder point. */
export function isLowStock(onHand: number, reorderPoint: number): boolean {
  return onHand <= reorderPoint;
}

/** Whether an item needs a purchase order opened now: low and none open. */
export function needsPurchaseOrder(item: {
  onHand: number;
  reorderPoint: number;
  openPurchaseOrderId?: string;
}): boolean {
  return isLowStock(item.onHand, item.reorderPoint) && !item.openPurchaseOrderId;
}

export const PURCHASE_ORDER_STATUSES = ['OPEN', 'RECEIVED'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
