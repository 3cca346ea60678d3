import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyAttributes, keys, type PartitionQuery } from '#shared/keys.ts';
import { queryInput } from '#shared/data/query.ts';
import { createPut, guardedUpdate } from '#shared/data/transact.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('access patterns', () => {
  it('names an index only in the access-pattern definitions', () => {
    const offenders = ['shared', 'functions', 'scripts']
      .flatMap(sourceFiles)
      .filter((path) => path !== 'shared/keys.ts' && path !== 'shared/table.ts')
      .flatMap((path) =>
        readFileSync(join(ROOT, path), 'utf8')
          .split('\n')
          .flatMap((line, i) => (/\b(index|IndexName)\s*:\s*['"`]gsi/.test(line) ? [`${path}:${i + 1}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('writes each pattern’s key attributes under the names of the index it is queried on', () => {
    for (const [name, pattern] of Object.entries(keys)) {
      const { pk, sk } = keyAttributes(pattern.index);
      expect(Object.keys(pattern.absent()), name).toEqual([pk, sk]);
    }
    expect(
      keys.orderByStatus.key({ status: 'RECEIVED', createdAt: '2026-11-23T10:00:00.000Z', orderId: 'o1' }),
    ).toEqual({
      gsi1pk: 'ORDER#STATUS#RECEIVED',
      gsi1sk: '2026-11-23T10:00:00.000Z#o1',
    });
    expect(keys.orderByDay.key({ createdAt: '2026-11-23T10:00:00.000Z', orderId: 'o1' })).toEqual({
      gsi3pk: 'ORDER#DAY#2026-11-23',
      gsi3sk: '2026-11-23T10:00:00.000Z#o1',
    });
  });

  it('queries a partition on the index its pattern writes', () => {
    const input = queryInput('T', keys.orderByStatus.query({ status: 'BACKORDERED' }, { before: '2026-11-23' }));
    expect(input).toMatchObject({
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk < :before',
      ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': 'ORDER#STATUS#BACKORDERED', ':before': '2026-11-23' },
    });
    const table = queryInput('T', keys.desk.query({ kind: 'case', id: 'c1' }, { consistent: true }), ['status']);
    expect(table).not.toHaveProperty('IndexName');
    expect(table).toMatchObject({
      ConsistentRead: true,
      ProjectionExpression: '#p0',
      ExpressionAttributeNames: { '#p0': 'status' },
    });
  });

  it('accepts only queries made by an access pattern', () => {
    // @ts-expect-error a hand-written query could name any index for any partition
    const forged: PartitionQuery = { index: 'gsi3', partition: 'ORDER#STATUS#RECEIVED' };
    expect(forged.partition).toBe('ORDER#STATUS#RECEIVED');
  });
});

describe('guarded writes', () => {
  it('conditions an update on every guarded attribute as read, one of several values with `in`', () => {
    const item = guardedUpdate(
      'T',
      { pk: 'INVOICE#i1', sk: 'INVOICE' },
      { status: 'PAID', note: undefined },
      {
        status: { in: ['OPEN', 'PARTIALLY_PAID'] },
        paidCents: 500,
      },
    );
    expect(item.Update).toMatchObject({
      UpdateExpression: 'SET #u0 = :u0 REMOVE #u1',
      ConditionExpression: '#status IN (:readStatus0, :readStatus1) AND #paidCents = :readPaidCents',
      ExpressionAttributeNames: { '#u0': 'status', '#u1': 'note', '#status': 'status', '#paidCents': 'paidCents' },
      ExpressionAttributeValues: {
        ':u0': 'PAID',
        ':readStatus0': 'OPEN',
        ':readStatus1': 'PARTIALLY_PAID',
        ':readPaidCents': 500,
      },
    });
  });

  it('creates an item only where none exists', () => {
    expect(createPut('T', { pk: 'ORDER#o1', sk: 'ORDER' }).Put).toEqual({
      TableName: 'T',
      Item: { pk: 'ORDER#o1', sk: 'ORDER' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });
});
