/** (f) The capacity units of a payment (intake and processing) and of cancelling a confirmed order. */
import { randomBytes } from 'node:crypto';
import { queueDecl, type QueueName } from '#shared/manifest.ts';
import { instrument, type DynamoCall } from './capacity.ts';
import {
  apiCaller,
  loadHandler,
  printRequests,
  queueDeliverer,
  table,
  type ApiHandler,
  type QueueRef,
  type SqsHandler,
} from './shared.ts';

export interface MoneyMeasurement {
  /** The paid order's status after its payment (PAID expected) and the cancelled one's (CANCELLED expected). */
  paidOrderStatus: string;
  cancelledOrderStatus: string;
  phases: { phase: string; readUnits: number; writeUnits: number; calls: number }[];
  dynamo: DynamoCall[];
}

/**
 * Meters a payment (intake and processing) and a cancellation through the real handlers: two 2-line orders are
 * confirmed first (not counted); the first is paid in full (invoice PAID, order PAID, Dr 1000 / Cr 1100), the second
 * is cancelled while confirmed (stock and cost back, invoice VOID, reversing entry). The process environment must
 * point at `input`'s table and queues, as for `measureOrderCapacity`.
 */
export async function measureMoneyCapacity(input: {
  dynamoEndpoint: string;
  ordersQueue: QueueRef;
  paymentsQueue: QueueRef;
}): Promise<MoneyMeasurement> {
  const { dynamo, sqs } = await import('#shared/platform/clients.ts');
  const { localDynamoClient } = await import('../local/dynamodb.ts');
  const { localSqsClient } = await import('../local/sqs.ts');

  const reader = localDynamoClient(input.dynamoEndpoint);
  const pollerSqs = localSqsClient(new URL(input.ordersQueue.url).origin);
  const meter = instrument(dynamo, sqs, reader);
  try {
    const processorOf = (name: QueueName) => queueDecl(name).processor;
    const putItem = await loadHandler<ApiHandler>('functions/inventory/put-item');
    const submitOrder = await loadHandler<ApiHandler>('functions/orders/submit-order');
    const getOrder = await loadHandler<ApiHandler>('functions/orders/get-order');
    const submitPayment = await loadHandler<ApiHandler>('functions/accounting/submit-payment');
    const cancelOrder = await loadHandler<ApiHandler>('functions/orders/cancel-order');
    const call = await apiCaller();
    const deliverOrders = await queueDeliverer(
      pollerSqs,
      input.ordersQueue,
      await loadHandler<SqsHandler>(processorOf('orders')),
      'order',
    );
    const deliverPayments = await queueDeliverer(
      pollerSqs,
      input.paymentsQueue,
      await loadHandler<SqsHandler>(processorOf('payments')),
      'payment',
    );

    const run = randomBytes(3).toString('hex').toUpperCase();
    const skus = [`MONEY-${run}-A`, `MONEY-${run}-B`];
    for (const sku of skus) {
      await call(
        putItem,
        'PUT',
        `/v1/inventory/items/${sku}`,
        'PUT /v1/inventory/items/{sku}',
        ['inventory'],
        {
          name: 'Bench item with a realistic product name',
          unitPriceCents: 2499,
          unitCostCents: 1500,
          reorderPoint: 5,
          reorderQuantity: 50,
          onHand: 100,
        },
        { sku },
      );
    }
    const orderIds: string[] = [];
    for (const who of ['payer', 'canceller']) {
      const accepted = await call(submitOrder, 'POST', '/v1/orders', 'POST /v1/orders', ['front-office'], {
        customer: { name: `Bench ${who}`, email: `${who}.${run.toLowerCase()}@example.com` },
        lines: [
          { sku: skus[0], quantity: 2 },
          { sku: skus[1], quantity: 1 },
        ],
      });
      orderIds.push(String(accepted.orderId));
    }
    await deliverOrders();
    const [paidId, cancelledId] = orderIds as [string, string];
    const toPay = await call(getOrder, 'GET', `/v1/orders/${paidId}`, 'GET /v1/orders/{orderId}', ['ops'], undefined, {
      orderId: paidId,
    });
    meter.reset();

    meter.phase = 'payment intake';
    await call(submitPayment, 'POST', '/v1/payments', 'POST /v1/payments', ['front-office'], {
      invoiceId: toPay.invoiceId,
      amountCents: toPay.totalCents,
      method: 'card',
      reference: 'BENCH-CARD-0001',
    });
    meter.phase = 'payment processing';
    await deliverPayments();
    meter.phase = 'cancellation';
    await call(
      cancelOrder,
      'POST',
      `/v1/orders/${cancelledId}/cancel`,
      'POST /v1/orders/{orderId}/cancel',
      ['front-office'],
      undefined,
      { orderId: cancelledId },
    );

    meter.phase = 'check';
    const paid = await call(getOrder, 'GET', `/v1/orders/${paidId}`, 'GET /v1/orders/{orderId}', ['ops'], undefined, {
      orderId: paidId,
    });
    const cancelled = await call(
      getOrder,
      'GET',
      `/v1/orders/${cancelledId}`,
      'GET /v1/orders/{orderId}',
      ['ops'],
      undefined,
      { orderId: cancelledId },
    );
    const counted = meter.dynamo.filter((c) => c.phase !== 'check');
    const phases = ['payment intake', 'payment processing', 'cancellation'].map((phase) => {
      const calls = counted.filter((c) => c.phase === phase);
      return {
        phase,
        readUnits: calls.reduce((sum, c) => sum + c.readUnits, 0),
        writeUnits: calls.reduce((sum, c) => sum + c.writeUnits, 0),
        calls: calls.length,
      };
    });
    return {
      paidOrderStatus: String(paid.status),
      cancelledOrderStatus: String(cancelled.status),
      phases,
      dynamo: counted,
    };
  } finally {
    meter.dispose();
    reader.destroy();
    pollerSqs.destroy();
  }
}

export function printMoneyCapacity(money: MoneyMeasurement): void {
  console.log(
    `\n(f) DynamoDB capacity of a payment in full (order ${money.paidOrderStatus}) ` +
      `and of cancelling a confirmed order (${money.cancelledOrderStatus})\n`,
  );
  console.log(
    table([
      ['phase', 'requests', 'write units', 'read units'],
      ...money.phases.map((p) => [p.phase, String(p.calls), String(p.writeUnits), String(p.readUnits)]),
    ]),
  );
  printRequests(money.dynamo, 18);
}
