/**
 * (b) The DynamoDB write and read units one 3-line order consumes end to end (intake, processing, follow-on work such
 * as a purchase order), measured against DynamoDB Local with `ReturnConsumedCapacity`, transactions computed from item
 * sizes by AWS's rules because DynamoDB Local under-reports them.
 */
import { randomBytes } from 'node:crypto';
import { queueDecl } from '#shared/manifest.ts';
import { keys } from '#shared/keys.ts';
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

export interface OrderMeasurement {
  /** What happened to the order (CONFIRMED expected) and whether a purchase order was opened. */
  finalStatus: string;
  purchaseOrdersOpened: number;
  phases: { phase: string; readUnits: number; writeUnits: number; calls: number }[];
  readUnits: number;
  writeUnits: number;
  dynamo: DynamoCall[];
  /** SQS requests the handlers made, by command. */
  handlerSqsRequests: Record<string, number>;
  /** Messages sent to queues for this order (they each cost an amortized receive and delete). */
  messagesSent: number;
  /** Processor invocations the local event source made (batches delivered). */
  processorBatches: number;
}

export interface MeasureInput {
  tableName: string;
  dynamoEndpoint: string;
  /** The orders queue of this run. */
  ordersQueue: QueueRef;
}

/**
 * Runs one 3-line order through the real handlers against local DynamoDB and SQS and meters it. The process
 * environment must already point at `input`'s table and queues (`applyEnv`); the shared clients are instrumented
 * before any handler is imported. Items are created first (not counted); one of them sits just above its reorder
 * point so the order also opens a purchase order, the costliest ordinary path.
 */
export async function measureOrderCapacity(input: MeasureInput): Promise<OrderMeasurement> {
  const { dynamo, sqs } = await import('#shared/platform/clients.ts');
  const { localDynamoClient } = await import('../local/dynamodb.ts');
  const { localSqsClient } = await import('../local/sqs.ts');

  const reader = localDynamoClient(input.dynamoEndpoint);
  const pollerSqs = localSqsClient(new URL(input.ordersQueue.url).origin);
  const meter = instrument(dynamo, sqs, reader);
  try {
    const putItem = await loadHandler<ApiHandler>('functions/inventory/put-item');
    const submitOrder = await loadHandler<ApiHandler>('functions/orders/submit-order');
    const processor = queueDecl('orders').processor;
    const processOrder = await loadHandler<SqsHandler>(processor);
    const getOrder = await loadHandler<ApiHandler>('functions/orders/get-order');
    const call = await apiCaller();
    const deliverAll = await queueDeliverer(pollerSqs, input.ordersQueue, processOrder, 'order');

    const run = randomBytes(3).toString('hex').toUpperCase();
    const skus = [`BENCH-${run}-A`, `BENCH-${run}-B`, `BENCH-${run}-C`];
    for (const [i, sku] of skus.entries()) {
      await call(
        putItem,
        'PUT',
        `/v1/inventory/items/${sku}`,
        'PUT /v1/inventory/items/{sku}',
        ['inventory'],
        {
          name: `Bench item ${i + 1} with a realistic product name`,
          unitPriceCents: 1999 + i * 500,
          unitCostCents: 1200 + i * 300,
          // The third item drops to its reorder point with this order: a purchase order is opened.
          reorderPoint: i === 2 ? 8 : 5,
          reorderQuantity: 50,
          onHand: i === 2 ? 10 : 100,
        },
        { sku },
      );
    }

    await deliverAll();
    meter.reset();

    meter.phase = 'intake';
    const accepted = await call(submitOrder, 'POST', '/v1/orders', 'POST /v1/orders', ['front-office'], {
      customer: { name: 'Ada Bench', email: `ada.${run.toLowerCase()}@example.com`, phone: '+1 555 0100' },
      lines: [
        { sku: skus[0], quantity: 2 },
        { sku: skus[1], quantity: 1 },
        { sku: skus[2], quantity: 3 },
      ],
      notes: 'Deliver to the loading dock.',
    });
    meter.phase = 'processing';
    const processorBatches = await deliverAll();

    meter.phase = 'check';
    const orderId = String(accepted.orderId);
    const order = await call(getOrder, 'GET', `/v1/orders/${orderId}`, 'GET /v1/orders/{orderId}', ['ops'], undefined, {
      orderId,
    });
    const counted = meter.dynamo.filter((c) => c.phase !== 'check');
    const sqsCounted = meter.sqs.filter((c) => c.phase !== 'check');

    const purchaseOrdersOpened = counted
      .flatMap((c) => c.items ?? [])
      .filter(
        (i) =>
          i.key.startsWith(keys.purchaseOrder.partition({ purchaseOrderId: '' })) &&
          i.beforeBytes === 0 &&
          i.afterBytes > 0,
      ).length;
    const phases = ['intake', 'processing'].map((phase) => {
      const calls = counted.filter((c) => c.phase === phase);
      return {
        phase,
        readUnits: calls.reduce((s, c) => s + c.readUnits, 0),
        writeUnits: calls.reduce((s, c) => s + c.writeUnits, 0),
        calls: calls.length,
      };
    });
    const handlerSqsRequests: Record<string, number> = {};
    for (const c of sqsCounted) handlerSqsRequests[c.command] = (handlerSqsRequests[c.command] ?? 0) + 1;
    return {
      finalStatus: String(order.status),
      purchaseOrdersOpened,
      phases,
      readUnits: phases.reduce((s, p) => s + p.readUnits, 0),
      writeUnits: phases.reduce((s, p) => s + p.writeUnits, 0),
      dynamo: counted,
      handlerSqsRequests,
      messagesSent: sqsCounted
        .filter((c) => c.command === 'SendMessageCommand' || c.command === 'SendMessageBatchCommand')
        .reduce((s, c) => s + c.entries, 0),
      processorBatches,
    };
  } finally {
    meter.dispose();
    reader.destroy();
    pollerSqs.destroy();
  }
}

export function printOrderCapacity(m: OrderMeasurement): void {
  console.log(
    `\n(b) DynamoDB capacity for one 3-line order ` +
      `(final status ${m.finalStatus}, purchase orders opened: ${m.purchaseOrdersOpened})\n`,
  );
  console.log(
    table([
      ['phase', 'requests', 'write units', 'read units'],
      ...m.phases.map((p) => [p.phase, String(p.calls), String(p.writeUnits), String(p.readUnits)]),
      ['total', String(m.dynamo.length), String(m.writeUnits), String(m.readUnits)],
    ]),
  );
  printRequests(m.dynamo, 10);
}
