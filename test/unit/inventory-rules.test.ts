import { describe, expect, it } from 'vitest';
import {
  InsufficientStockError,
  adjust,
  adjustmentInputSchema,
  isLowStock,
  itemInputSchema,
  needsPurchaseOrder,
  openingStock,
  receiptInputSchema,
  receive,
  stockFieldsChanged,
  takeOut,
  type Stock,
} from '#shared/domain/inventory.ts';
import { ConflictError } from '#shared/errors.ts';

const stock = (overrides: Partial<Stock> = {}): Stock => ({
  onHand: 3,
  stockValueCents: 1000,
  unitCostCents: 333,
  ...overrides,
});
const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.')).sort();

describe('stock movements', () => {
  it('values opening stock at its unit cost', () => {
    expect(openingStock(10, 250)).toEqual({ onHand: 10, stockValueCents: 2500, unitCostCents: 250 });
    expect(openingStock(0, 250)).toEqual({ onHand: 0, stockValueCents: 0, unitCostCents: 250 });
  });

  it('takes units out at moving average cost and re-reads the unit cost', () => {
    const { costCents, after } = takeOut(stock(), 2);

    expect(costCents).toBe(667);
    expect(after).toEqual({ onHand: 1, stockValueCents: 333, unitCostCents: 333 });
  });

  it('keeps the last unit cost when the shelf is emptied', () => {
    const { costCents, after } = takeOut(stock({ onHand: 2, stockValueCents: 1001, unitCostCents: 501 }), 2);

    expect(costCents).toBe(1001);
    expect(after).toEqual({ onHand: 0, stockValueCents: 0, unitCostCents: 501 });
  });

  it('refuses to take out more than is on hand, as a conflict', () => {
    expect(() => takeOut(stock(), 4)).toThrow(InsufficientStockError);
    expect(() => takeOut(stock(), 4)).toThrow(ConflictError);
  });

  it('adds a receipt at its own cost and averages', () => {
    const { valueCents, after } = receive(stock({ onHand: 2, stockValueCents: 200, unitCostCents: 100 }), 1, 401);

    expect(valueCents).toBe(401);
    expect(after).toEqual({ onHand: 3, stockValueCents: 601, unitCostCents: 200 }); // 200.33
  });

  it('values a positive adjustment at the current unit cost, or the last one on an empty shelf', () => {
    expect(adjust(stock(), 2)).toEqual({
      valueCents: 666,
      after: { onHand: 5, stockValueCents: 1666, unitCostCents: 333 },
    });
    expect(adjust(stock({ onHand: 0, stockValueCents: 0, unitCostCents: 120 }), 3)).toEqual({
      valueCents: 360,
      after: { onHand: 3, stockValueCents: 360, unitCostCents: 120 },
    });
  });

  it('removes value for a negative adjustment by the average rule and refuses going below zero', () => {
    expect(adjust(stock(), -1)).toEqual({
      valueCents: 333,
      after: { onHand: 2, stockValueCents: 667, unitCostCents: 334 },
    });
    expect(() => adjust(stock(), -4)).toThrow(InsufficientStockError);
  });

  it('names for the audit only the valuation fields a movement changed', () => {
    const gain = adjust(stock(), 2).after;
    expect(stockFieldsChanged(stock(), gain)).toEqual(['onHand', 'stockValueCents']);
    expect(stockFieldsChanged(stock(), adjust(stock(), -1).after)).toEqual([
      'onHand',
      'stockValueCents',
      'unitCostCents',
    ]);
    expect(stockFieldsChanged(stock(), receive(stock(), 3, 500).after)).toEqual([
      'onHand',
      'stockValueCents',
      'unitCostCents',
    ]);
    expect(stockFieldsChanged(stock(), stock())).toEqual([]);
  });
});

describe('reordering', () => {
  it('counts an item as low at or below its reorder point', () => {
    expect(isLowStock(5, 5)).toBe(true);
    expect(isLowStock(4, 5)).toBe(true);
    expect(isLowStock(6, 5)).toBe(false);
  });

  it('needs a purchase order only when low and none is open', () => {
    expect(needsPurchaseOrder({ onHand: 1, reorderPoint: 2 })).toBe(true);
    expect(needsPurchaseOrder({ onHand: 1, reorderPoint: 2, openPurchaseOrderId: 'po_1' })).toBe(false);
    expect(needsPurchaseOrder({ onHand: 3, reorderPoint: 2 })).toBe(false);
  });
});

describe('inventory request schemas', () => {
  it('lists every bad field of an item', () => {
    const result = itemInputSchema.safeParse({
      name: '',
      unitPriceCents: -1,
      unitCostCents: 1.5,
      reorderPoint: -1,
      reorderQuantity: 0,
      onHand: -3,
    });

    expect(pathsOf(result)).toEqual([
      'name',
      'onHand',
      'reorderPoint',
      'reorderQuantity',
      'unitCostCents',
      'unitPriceCents',
    ]);
  });

  it('accepts an item without opening stock and ignores unknown fields', () => {
    const result = itemInputSchema.parse({
      name: ' Widget ',
      unitPriceCents: 100,
      unitCostCents: 50,
      reorderPoint: 0,
      reorderQuantity: 1,
      colour: 'red',
    });

    expect(result).toEqual({
      name: 'Widget',
      unitPriceCents: 100,
      unitCostCents: 50,
      reorderPoint: 0,
      reorderQuantity: 1,
    });
  });

  it('lists every bad field of a receipt', () => {
    const result = receiptInputSchema.safeParse({
      sku: 'bad sku',
      quantity: 0,
      unitCostCents: -5,
      purchaseOrderId: '',
    });

    expect(pathsOf(result)).toEqual(['purchaseOrderId', 'quantity', 'sku', 'unitCostCents']);
  });

  it('refuses a zero or fractional adjustment and an empty reason', () => {
    expect(pathsOf(adjustmentInputSchema.safeParse({ sku: 'A-1', delta: 0, reason: ' ' }))).toEqual([
      'delta',
      'reason',
    ]);
    expect(pathsOf(adjustmentInputSchema.safeParse({ sku: 'A-1', delta: 1.5, reason: 'count' }))).toEqual(['delta']);
    expect(adjustmentInputSchema.parse({ sku: 'A-1', delta: -2, reason: 'breakage' }).delta).toBe(-2);
  });
});
