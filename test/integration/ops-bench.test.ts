import { describe, expect, it } from 'vitest';
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemSize, standardWriteUnits } from '../../scripts/bench/capacity.ts';
import { costPerMillionOrders } from '../../scripts/bench/costs.ts';
import { measureOrderCapacity } from '../../scripts/bench/order.ts';
import { measureReportCapacity } from '../../scripts/bench/report.ts';
import { measureMoneyCapacity } from '../../scripts/bench/money.ts';
import { measureAppointmentCapacity } from '../../scripts/bench/appointment.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { testClients, testQueue, testResources } from '../support/index.ts';

describe('bench: capacity of one order', () => {
  it(
    'measures a 3-line order end to end, ' + 'with transaction units computed from the sizes of the items written',
    async () => {
      const { tableName, dynamoEndpoint } = testResources();
      const queue = testQueue('orders');

      const m = await measureOrderCapacity({
        tableName,
        dynamoEndpoint,
        ordersQueue: { name: queue.name, url: queue.url, arn: queue.arn },
      });

      expect(m.finalStatus).toBe('CONFIRMED');
      expect(m.purchaseOrdersOpened).toBe(1);
      expect(m.writeUnits).toBeGreaterThan(0);
      expect(m.readUnits).toBeGreaterThan(0);
      expect(m.phases.map((p) => p.phase)).toEqual(['intake', 'processing']);
      expect(m.phases.every((p) => p.writeUnits > 0)).toBe(true);
      expect(m.messagesSent).toBeGreaterThanOrEqual(1);
      expect(m.handlerSqsRequests.SendMessageCommand).toBeGreaterThanOrEqual(1);

      const transactions = m.dynamo.filter((c) => c.command === 'TransactWriteItemsCommand');
      expect(transactions.length).toBeGreaterThanOrEqual(2);
      for (const t of transactions) {
        expect(t.source).toBe('computed');
        expect(t.items!.length).toBeGreaterThan(0);
        for (const item of t.items!) {
          const bytes = Math.max(item.beforeBytes, item.afterBytes);
          expect(bytes).toBeGreaterThan(0);
          expect(item.tableUnits).toBe(2 * Math.ceil(bytes / 1024));
        }
        const fromSizes = t.items!.reduce(
          (sum, i) => sum + i.tableUnits + Object.values(i.indexUnits).reduce((s, n) => s + n, 0),
          0,
        );
        expect(t.writeUnits).toBe(fromSizes);
      }
      expect(costPerMillionOrders(m).totalUsd).toBeGreaterThan(0);
    },
  );

  it('sizes items as DynamoDB Local bills a standard write, on both sides of the 1 KB boundary', async () => {
    const { dynamo } = testClients();
    const TableName = testResources().tableName;
    const itemOf = (bytes: number): Record<string, AttributeValue> => {
      const base = {
        pk: { S: `SIZE#${bytes}` },
        sk: { S: 'SIZE' },
        n: { N: '12345' },
        m: { M: { a: { L: [{ S: 'é' }] } } },
      };
      return { ...base, pad: { S: 'x'.repeat(bytes - itemSize(base) - 3) } };
    };

    for (const bytes of [1024, 1025, 2048, 2049]) {
      const item = itemOf(bytes);
      const put = await dynamo.send(new PutItemCommand({ TableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }));

      expect(itemSize(item)).toBe(bytes);
      expect(put.ConsumedCapacity?.CapacityUnits).toBe(standardWriteUnits(bytes));
    }
  });
});

describe("bench: capacity of one day's sales report", () => {
  it('measures the report processor reading only its day (two queries) and storing the report (one put)', async () => {
    const { tableName, dynamoEndpoint } = testResources();
    const { doc } = testClients();
    await makeInventoryService({ doc, tableName }).putItem(
      'BENCH-REPORT',
      { name: 'R', unitPriceCents: 100, unitCostCents: 50, reorderPoint: 0, reorderQuantity: 1, onHand: 10 },
      'bench',
    );
    const orders = makeOrderService({ doc, tableName, currency: 'USD' });
    const { orderId } = await orders.submitOrder(
      { customer: { name: 'R', email: 'r@example.com' }, lines: [{ sku: 'BENCH-REPORT', quantity: 1 }] },
      { actor: 'bench', correlationId: 'c' },
    );
    await orders.processOrder(orderId, 'system:bench');
    const today = new Date().toISOString().slice(0, 10);

    const m = await measureReportCapacity({ dynamoEndpoint, period: today });

    expect(m.ordersThatDay).toBeGreaterThanOrEqual(1);
    expect(m.dynamo.map((c) => c.command)).toEqual(['QueryCommand', 'QueryCommand', 'PutItemCommand']);
    expect(m.readUnits).toBeGreaterThan(0);
    expect(m.writeUnits).toBe(1);
  });
});

describe('bench: capacity of a payment and of a cancellation', () => {
  it(
    'measures a payment in full (intake, processing) and the cancellation of a confirmed order, ' +
      'transactions from item sizes',
    async () => {
      const { dynamoEndpoint } = testResources();
      const ref = (name: string) => {
        const queue = testQueue(name);
        return { name: queue.name, url: queue.url, arn: queue.arn };
      };

      const m = await measureMoneyCapacity({
        dynamoEndpoint,
        ordersQueue: ref('orders'),
        paymentsQueue: ref('payments'),
      });

      expect([m.paidOrderStatus, m.cancelledOrderStatus]).toEqual(['PAID', 'CANCELLED']);
      expect(m.phases.map((p) => p.phase)).toEqual(['payment intake', 'payment processing', 'cancellation']);
      expect(m.phases.every((p) => p.writeUnits > 0 && p.readUnits > 0)).toBe(true);
      for (const t of m.dynamo.filter((c) => c.command === 'TransactWriteItemsCommand'))
        expect(t.source).toBe('computed');
    },
  );
});

describe('bench: capacity of an appointment', () => {
  it('computes a booking from its items: the appointment, one slot per 15 minutes, the audit event', async () => {
    const m = await measureAppointmentCapacity({ dynamoEndpoint: testResources().dynamoEndpoint });

    const [newCustomer, known, long, cancel] = m.phases;
    // 1 hour: appointment + 4 slots + audit event (+ lookup, profile and customer.created for a new customer).
    expect(newCustomer!.transactItems).toBe(9);
    expect(known!.transactItems).toBe(6);
    // 8 hours: appointment + 32 slots + audit event; the cancellation updates the appointment, deletes 32 slots.
    expect(long!.transactItems).toBe(34);
    expect(cancel!.transactItems).toBe(34);
    // Each slot is a small item: 2 units (one transactional KB), no index entries.
    const slots = m.dynamo.flatMap((c) => c.items ?? []).filter((item) => item.key.startsWith('APPOINTMENT#SLOT#'));
    expect(slots.every((item) => item.tableUnits === 2 && Object.keys(item.indexUnits).length === 0)).toBe(true);
    expect(long!.writeUnits - known!.writeUnits).toBe(28 * 2);
    expect(m.phases.every((p) => p.writeUnits > 0)).toBe(true);
  });
});
