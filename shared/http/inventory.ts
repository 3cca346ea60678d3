import * as z from 'zod';
import { PURCHASE_ORDER_STATUSES, skuSchema } from '#shared/domain/inventory.ts';
import type { Item } from '#shared/data/items.ts';
import type { PurchaseOrder } from '#shared/data/purchase-orders.ts';

/** `{sku}` of the item routes. */
export const itemPathSchema = z.object({ sku: skuSchema });

/** `GET /v1/inventory/items` filters. */
export const listItemsQuerySchema = z.object({
  belowReorderPoint: z.enum(['true', 'false']).optional(),
});

/** `GET /v1/purchase-orders?status=`; OPEN when omitted. */
export const listPurchaseOrdersQuerySchema = z.object({
  status: z.enum(PURCHASE_ORDER_STATUSES).default('OPEN'),
});

/**
 * `GET /v1/inventory/items/{sku}` body (README, Routes), also each catalogue item and the item a write answers with.
 * Its amounts are in `currency`, the deployment's `CURRENCY`, as orders and invoices carry theirs.
 */
export function itemView(item: Item, currency: string) {
  return {
    sku: item.sku,
    name: item.name,
    currency,
    unitPriceCents: item.unitPriceCents,
    unitCostCents: item.unitCostCents,
    stockValueCents: item.stockValueCents,
    onHand: item.onHand,
    reorderPoint: item.reorderPoint,
    reorderQuantity: item.reorderQuantity,
    updatedAt: item.updatedAt,
  };
}
export type ItemView = ReturnType<typeof itemView>;

/** Each item of `GET /v1/purchase-orders` (README, Routes). */
export function purchaseOrderView(po: PurchaseOrder) {
  return {
    purchaseOrderId: po.purchaseOrderId,
    sku: po.sku,
    quantity: po.quantity,
    status: po.status,
    createdAt: po.createdAt,
  };
}
