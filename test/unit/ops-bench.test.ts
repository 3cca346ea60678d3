import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { keys } from '#shared/keys.ts';
import { attributeValueSize, itemSize, numberSize, transactItemUnits } from '../../scripts/bench/capacity.ts';
import { costPerMillionOrders } from '../../scripts/bench/costs.ts';
import type { OrderMeasurement } from '../../scripts/bench/order.ts';

type Item = Record<string, AttributeValue>;
const s = (value: string): AttributeValue => ({ S: value });

/** An item of exactly `bytes` bytes: keys, the given index keys, and one padding attribute. */
function itemOf(bytes: number, indexKeys: Record<string, string> = {}): Item {
  const extra = Object.fromEntries(Object.entries(indexKeys).map(([name, value]) => [name, s(value)]));
  const base: Item = { pk: s('ITEM#X'), sk: s('ITEM'), ...extra };
  const pad = bytes - itemSize(base) - 'pad'.length;
  return { ...base, pad: s('x'.repeat(pad)) };
}

describe('DynamoDB item sizes (AWS rules)', () => {
  it('sizes numbers by their significant digits', () => {
    expect(numberSize('0')).toBe(1);
    expect(numberSize('7')).toBe(2);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('-1.50')).toBe(2);
    expect(numberSize('1000000')).toBe(2);
  });

  it('sizes strings in UTF-8 bytes and lists and maps with their overhead', () => {
    expect(attributeValueSize(s('é'))).toBe(2);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ L: [s('ab'), { N: '1' }] })).toBe(3 + (1 + 2) + (1 + 2));
    expect(attributeValueSize({ M: { a: s('xyz') } })).toBe(3 + 1 + 1 + 3);
    expect(itemSize({ pk: s('ab'), n: { N: '42' } })).toBe(2 + 2 + 1 + 2);
  });
});

describe('transactional write units', () => {
  it('charges 2 units per KB of a put, and a standard write per index it enters', () => {
    const item = itemOf(1500, keys.itemLowStock.key({ sku: 'X' }));

    const units = transactItemUnits('Put', 'ITEM#X/ITEM', undefined, item);

    expect(units.afterBytes).toBe(1500);
    expect(units.tableUnits).toBe(4);
    expect(units.indexUnits).toEqual({ gsi1: 2 });
  });

  it('charges an update by the larger image, and a delete plus a put on an index whose key moved', () => {
    const before = itemOf(
      900,
      keys.orderByStatus.key({ status: 'RECEIVED', createdAt: '2026-11-23T10:00:00.000Z', orderId: 'o1' }),
    );
    const after = itemOf(
      1100,
      keys.orderByStatus.key({ status: 'CONFIRMED', createdAt: '2026-11-23T10:00:00.000Z', orderId: 'o1' }),
    );

    const units = transactItemUnits('Update', 'ORDER#o1/ORDER', before, after);

    expect(units.tableUnits).toBe(4);
    expect(units.indexUnits).toEqual({ gsi1: 1 + 2 });
  });

  it('charges an index entry that stays put one write of the larger image', () => {
    const before = itemOf(1000, keys.itemInCatalogue.key({ sku: 'X' }));
    const after = itemOf(2100, keys.itemInCatalogue.key({ sku: 'X' }));

    expect(transactItemUnits('Update', 'ITEM#X/ITEM', before, after).indexUnits).toEqual({ gsi2: 3 });
  });

  it('charges a condition check like a transactional write of the item it reads, with no index writes', () => {
    const item = itemOf(3000, keys.itemLowStock.key({ sku: 'X' }));

    const units = transactItemUnits('ConditionCheck', 'ITEM#X/ITEM', item, item);

    expect(units.tableUnits).toBe(6);
    expect(units.indexUnits).toEqual({});
  });
});

describe('cost model', () => {
  it('prices every service from the measured counts', () => {
    const measured = {
      writeUnits: 40,
      readUnits: 10,
      handlerSqsRequests: { SendMessageCommand: 1 },
      messagesSent: 1,
    } as unknown as OrderMeasurement;

    const { lines, totalUsd, sqsRequestsPerOrder } = costPerMillionOrders(measured);

    expect(sqsRequestsPerOrder).toBeCloseTo(1.2);
    expect(lines.find((l) => l.service === 'DynamoDB writes')?.perMillionOrdersUsd).toBeCloseTo(25);
    expect(lines.find((l) => l.service === 'DynamoDB reads')?.perMillionOrdersUsd).toBeCloseTo(1.25);
    expect(totalUsd).toBeCloseTo(lines.reduce((sum, l) => sum + l.perMillionOrdersUsd, 0));
  });
});
