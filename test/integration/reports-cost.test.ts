import { describe, expect, it } from 'vitest';
import type { ConsumedCapacity, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeReportService } from '#shared/services/reports.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { testClients, testResources } from '../support/index.ts';

/**
 * docs/contract.md#reports: a report's cost grows with the records of its period, never with the size of the table. The
 * sales report of one day is generated through a DocumentClient whose every request asks for `ReturnConsumedCapacity`,
 * once with as much data on other days as on that day, and again with ten times as much.
 */

interface Usage {
  readUnits: number;
  writeUnits: number;
  requests: string[];
}

const READS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

/** A DocumentClient on this file's table that records the capacity every request consumed. */
function meteredDocumentClient(): { doc: DynamoDBDocumentClient; usage: Usage } {
  const usage: Usage = { readUnits: 0, writeUnits: 0, requests: [] };
  const dynamo = localDynamoClient(testResources().dynamoEndpoint);
  const meter: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
    const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    const command = context.commandName ?? 'unknown';
    if (READS.has(command)) usage.readUnits += units;
    else usage.writeUnits += units;
    usage.requests.push(command);
    return result;
  };
  dynamo.middlewareStack.add(meter, { step: 'initialize', name: 'meterCapacity' });
  return { doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), usage };
}

const { doc } = testClients();
const tableName = testResources().tableName;
let clock = 0;
const now = () => new Date(clock++);
const orders = makeOrderService({ doc, tableName, currency: 'USD', now });
const inventory = makeInventoryService({ doc, tableName, now });

const DAY = '2025-05-20';
const ORDERS_THAT_DAY = 8;
const OTHER_DAYS = [
  '2025-05-15',
  '2025-05-16',
  '2025-05-17',
  '2025-05-18',
  '2025-05-19',
  '2025-05-21',
  '2025-05-22',
  '2025-05-23',
];

/** Orders confirmed on `day`, two lines each, one SKU of three, as the order processor writes them. */
async function ordersOn(day: string, count: number, start: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    clock = Date.parse(`${day}T08:00:00.000Z`) + (start + i) * 60_000;
    const skus = ['COST-A', 'COST-B', 'COST-C'];
    const lines = [
      { sku: skus[i % 3]!, quantity: 1 + (i % 4) },
      { sku: skus[(i + 1) % 3]!, quantity: 2 },
    ];
    const { orderId } = await orders.submitOrder(
      { customer: { name: 'Cost Tester', email: 'cost@example.com' }, lines },
      { actor: 'clerk', correlationId: 'c' },
    );
    await orders.processOrder(orderId, 'system:test');
  }
}

/** Spreads `count` orders over the other days, continuing the numbering so no two share a minute. */
async function ordersOnOtherDays(count: number, start: number): Promise<void> {
  for (let i = 0; i < count; i++) await ordersOn(OTHER_DAYS[(start + i) % OTHER_DAYS.length]!, 1, start + i);
}

async function salesReportUsage(generatedAt: string): Promise<Usage> {
  const metered = meteredDocumentClient();
  clock = Date.parse(generatedAt);
  const reports = makeReportService({ doc: metered.doc, tableName, currency: 'USD', now });
  const { report } = await reports.generateReport('sales-daily', DAY);
  expect(report.ordersReceived).toBe(ORDERS_THAT_DAY);
  return metered.usage;
}

describe('the cost of a report', () => {
  it(
    "consumes the same capacity for one day's sales report " + 'with 1× and with 10× its data on other days',
    async () => {
      clock = Date.parse('2025-05-01T00:00:00.000Z');
      for (const sku of ['COST-A', 'COST-B', 'COST-C']) {
        await inventory.putItem(
          sku,
          {
            name: sku,
            unitPriceCents: 1999,
            unitCostCents: 1000,
            reorderPoint: 0,
            reorderQuantity: 10,
            onHand: 100_000,
          },
          'tester',
        );
      }
      await ordersOn(DAY, ORDERS_THAT_DAY, 0);
      await ordersOnOtherDays(ORDERS_THAT_DAY, 0);

      const once = await salesReportUsage('2025-05-21T00:15:00.000Z');
      await ordersOnOtherDays(9 * ORDERS_THAT_DAY, ORDERS_THAT_DAY);
      const tenfold = await salesReportUsage('2025-05-25T09:00:00.000Z');

      expect(once.readUnits).toBeGreaterThan(0);
      expect(once.writeUnits).toBeGreaterThan(0);
      expect(tenfold).toEqual(once);
      expect(once.requests.filter((c) => c === 'ScanCommand')).toEqual([]);
    },
  );
});
