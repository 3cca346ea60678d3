import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '#shared/domain/inventory.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { patternReader } from '#shared/data/query.ts';

export const purchaseOrderSchema = z.object({
  entity: z.literal('purchaseOrder'),
  purchaseOrderId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  receivedAt: z.string().optional(),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;

/** Purchase orders: the record and its by-status entry (gsi1, oldest first). */
export function makePurchaseOrderStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  return {
    async getPurchaseOrder(purchaseOrderId: string): Promise<PurchaseOrder | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.purchaseOrder.key({ purchaseOrderId }),
          ConsistentRead: true,
        }),
      );
      return Item ? purchaseOrderSchema.parse(Item) : undefined;
    },

    newPurchaseOrderItem(po: PurchaseOrder): TransactItem {
      return createPut(tableName, {
        ...keys.purchaseOrder.key(po),
        ...keys.purchaseOrderByStatus.key(po),
        ...po,
      });
    },

    /** The update receiving an open purchase order for `sku`; fails if it is no longer open. */
    receivedItem(po: PurchaseOrder, at: string): TransactItem {
      const set = {
        status: 'RECEIVED' satisfies PurchaseOrderStatus,
        ...keys.purchaseOrderByStatus.key({ ...po, status: 'RECEIVED' }),
        receivedAt: at,
        updatedAt: at,
      };
      return guardedUpdate(tableName, keys.purchaseOrder.key(po), set, { status: 'OPEN', sku: po.sku });
    },

    /** Purchase orders in one status, oldest first (the list route; the inventory report). */
    byStatus: patternReader({ doc, tableName }, keys.purchaseOrderByStatus, (item) => purchaseOrderSchema.parse(item)),
  };
}

export type PurchaseOrderStore = ReturnType<typeof makePurchaseOrderStore>;
