import * as z from 'zod';
import type { Order } from '#shared/data/orders.ts';

/** `{orderId}` of the order routes. */
export const orderPathSchema = z.object({ orderId: z.string().min(1).max(64) });

/**
 * `GET /v1/orders/{orderId}` body (README, Routes), also the order a cancellation answers with; internal attributes
 * (each line's `costCents`, the correlation id) and notes are not shown.
 */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    status: order.status,
    customer: order.customer,
    customerId: order.customerId,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      ...(line.unitPriceCents !== undefined ? { unitPriceCents: line.unitPriceCents } : {}),
    })),
    ...(order.totalCents !== undefined ? { totalCents: order.totalCents } : {}),
    currency: order.currency,
    ...(order.invoiceId !== undefined ? { invoiceId: order.invoiceId } : {}),
    ...(order.rejectionReason !== undefined ? { rejectionReason: order.rejectionReason } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
