import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SLA_POLICY } from '#shared/domain/desk.ts';
import { makeDeskStore, type CaseRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { instrument, type Meter } from '../../scripts/bench/capacity.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { testClients, testResources } from '../support/index.ts';
import { clockAt, openCase } from './support-fixtures.ts';

/**
 * What one SLA monitor run costs with 1,000 closed cases and 10 open ones, measured with the bench's meter
 * (`ReturnConsumedCapacity` on every request; transactions computed from item sizes by AWS's rules). The run must
 * not read the closed history: its reads are the same with 0 or 1,000 closed cases.
 */
const HOUR = 60;

/** A closed case as the engine leaves it, written straight to the table (how it got there is tested elsewhere). */
function closedCase(n: number): CaseRecord {
  const createdAt = new Date(Date.parse('2026-01-01T00:00:00.000Z') + n * 60_000).toISOString();
  return {
    kind: 'case',
    id: `cas_CLOSED${String(n).padStart(6, '0')}`,
    status: 'CLOSED',
    priority: 'normal',
    category: 'complaint',
    subject: 'Parcel arrived damaged',
    description: 'The box was crushed and the widget inside is bent.',
    createdAt,
    updatedAt: createdAt,
    version: 6,
    tier: 1,
    assignee: 'agent-1',
    firstResponseDueAt: createdAt,
    resolutionDueAt: createdAt,
    firstRespondedAt: createdAt,
    resolvedAt: createdAt,
    resolution: 'Replacement sent.',
    closedAt: createdAt,
    slaBreached: false,
    customerId: `cus_BULK${n}`,
    customer: { name: 'Bulk Customer', email: `bulk-${n}@example.com` },
  };
}

async function writeClosedCases(count: number): Promise<void> {
  const { doc } = testClients();
  const tableName = testResources().tableName;
  const store = makeDeskStore({ doc, tableName, policy: DEFAULT_SLA_POLICY });
  const items = Array.from({ length: count }, (_, n) => {
    const [put] = store.newRecordItems(closedCase(n), {
      at: closedCase(n).createdAt,
      actor: 'bulk',
      action: 'submitted',
      status: 'NEW',
    });
    return put!.Put!.Item!;
  });
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

function units(meter: Meter) {
  const calls = meter.dynamo.splice(0);
  return {
    requests: calls.length,
    readUnits: calls.reduce((sum, c) => sum + c.readUnits, 0),
    writeUnits: calls.reduce((sum, c) => sum + c.writeUnits, 0),
  };
}

describe('SLA monitor capacity', () => {
  it(
    'reads only what is due: the same read units with 0 or 1,000 closed cases; ' + '10 breaches cost their own writes',
    async () => {
      const { dynamoEndpoint, tableName } = testResources();
      const dynamo = localDynamoClient(dynamoEndpoint);
      const reader = localDynamoClient(dynamoEndpoint);
      const meter = instrument(dynamo, testClients().sqs, reader);
      const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
      const clock = clockAt('2026-11-02T09:00:00.000Z');
      const desk = makeDeskService({ doc, tableName, now: () => clock.now });
      try {
        for (let i = 0; i < 10; i++) await openCase(desk, { priority: 'normal' });
        const idleAt = new Date(clock.now.getTime() + HOUR * 60_000);
        units(meter);

        await desk.runMonitor(idleAt, 'system:sla-monitor');
        const idleWithoutHistory = units(meter);
        await writeClosedCases(1000);
        units(meter);
        const idle = await desk.runMonitor(idleAt, 'system:sla-monitor');
        const idleWithHistory = units(meter);
        const breach = await desk.runMonitor(clock.advance(9 * HOUR), 'system:sla-monitor');
        const breachRun = units(meter);
        const again = await desk.runMonitor(clock.advance(5), 'system:sla-monitor');
        const secondRun = units(meter);

        console.log(
          `bench: sla-monitor with 1,000 closed + 10 open cases — ` +
            `idle run ${idleWithHistory.readUnits} RRU / ${idleWithHistory.writeUnits} WRU ` +
            `in ${idleWithHistory.requests} requests (0 closed: ${idleWithoutHistory.readUnits} RRU); ` +
            `run breaching all 10: ${breachRun.readUnits} RRU / ${breachRun.writeUnits} WRU ` +
            `in ${breachRun.requests} requests; ` +
            `next run: ${secondRun.readUnits} RRU / ${secondRun.writeUnits} WRU`,
        );

        expect(idle).toMatchObject({ due: 0 });
        expect(idleWithHistory).toEqual(idleWithoutHistory);
        expect(breach).toMatchObject({ due: 10, breached: 10, escalated: 10, failed: 0 });
        expect(again).toMatchObject({ due: 0, breached: 0 });
        expect(secondRun).toEqual(idleWithoutHistory);
        // Four shard queries over ten ~1.5 KB items: a few units, nowhere near the 1,000 closed cases' size.
        expect(breachRun.readUnits).toBeLessThanOrEqual(8);
        expect(breachRun.writeUnits).toBeGreaterThan(0);
      } finally {
        meter.dispose();
        dynamo.destroy();
        reader.destroy();
      }
    },
    60_000,
  );
});
