import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { ORDER_STATUSES, assertTransition, type OrderStatus } from '#shared/domain/orders.ts';
import { customerDetailsSchema } from '#shared/data/customers.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { patternReader } from '#shared/data/query.ts';

export const orderSchema = z.object({
  entity: z.literal('order'),
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  customerId: z.string(),
  /** Snapshot of the customer as given with this order (personal data: erasure rewrites it). */
  customer: customerDetailsSchema,
  /**
   * Once confirmed, each line's `unitPriceCents` and `costCents` — the stock value its units took out at
   * confirmation, which a cancellation puts back exactly (internal: the order's view in `#shared/http/orders.ts` does
   * not show it).
   */
  lines: z.array(
    z.object({
      sku: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int().optional(),
      costCents: z.number().int().optional(),
    }),
  ),
  notes: z.string().optional(),
  currency: z.string(),
  totalCents: z.number().int().optional(),
  invoiceId: z.string().optional(),
  rejectionReason: z.string().optional(),
  /** Correlation id of the submitting request, so a re-queued submission keeps it (sweeper). */
  correlationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

/** The fields a status change may set besides the status itself. */
export type OrderChanges = Partial<Pick<Order, 'lines' | 'totalCents' | 'invoiceId' | 'rejectionReason'>>;

/** Orders: the record, its status index entry (gsi1), its customer-timeline entry (gsi2) and its day entry (gsi3). */
export function makeOrderStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  const parse = (item: Record<string, unknown>) => orderSchema.parse(item);
  return {
    /** The order, read consistently (the processor decides on it). */
    async getOrder(orderId: string): Promise<Order | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.order.key({ orderId }), ConsistentRead: true }),
      );
      return Item ? orderSchema.parse(Item) : undefined;
    },

    /** The put creating a new order with all its index entries. */
    newOrderItem(order: Order): TransactItem {
      return createPut(tableName, {
        ...keys.order.key(order),
        ...keys.orderByStatus.key(order),
        ...keys.customerRecord.key({ ...order, type: 'ORDER', id: order.orderId }),
        ...keys.orderByDay.key(order),
        ...order,
      });
    },

    /**
     * The update moving `order` (as read) to `to`, conditional on the status still being the one read, so two
     * processors deciding on the same order cannot both win. Moves the status index entry along.
     */
    transitionItem(order: Order, to: OrderStatus, changes: OrderChanges, at: string): TransactItem {
      assertTransition(order.status, to);
      const set = { status: to, ...keys.orderByStatus.key({ ...order, status: to }), updatedAt: at, ...changes };
      return guardedUpdate(tableName, keys.order.key(order), set, { status: order.status });
    },

    /** Orders in one status, oldest first (sweeper: RECEIVED; backorder retries: BACKORDERED). */
    byStatus: patternReader({ doc, tableName }, keys.orderByStatus, parse),

    /** Orders submitted on one UTC day, in submission order (sales report, today's summary). */
    byDay: patternReader({ doc, tableName }, keys.orderByDay, parse),
  };
}

export type OrderStore = ReturnType<typeof makeOrderStore>;
