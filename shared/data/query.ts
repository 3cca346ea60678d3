import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { keyAttributes, type AccessPattern, type PartitionQuery, type QueryOptions } from '#shared/keys.ts';
import { decodeCursor, encodeCursor, type Page } from '#shared/data/pagination.ts';
import { InvalidCursorError } from '#shared/errors.ts';

export type { PartitionQuery } from '#shared/keys.ts';

/** What a list route asks of a partition: `?limit=&cursor=`. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/**
 * The Query input of an access pattern's partition (`keys.<pattern>.query(...)`): its index, key condition,
 * direction and, if given, the attributes to project. Callers add what only they need (`Select: 'COUNT'`, a limit,
 * a start key), never attribute names: those are aliased here.
 */
export function queryInput(
  tableName: string,
  query: PartitionQuery,
  projection?: readonly string[],
): QueryCommandInput {
  const { pk, sk } = keyAttributes(query.index);
  const names: Record<string, string> = { '#pk': pk };
  projection?.forEach((attribute, i) => (names[`#p${i}`] = attribute));
  const values: Record<string, unknown> = { ':pk': query.partition };
  let condition = '#pk = :pk';
  const bound = (expression: string, bounds: Record<string, string>) => {
    names['#sk'] = sk;
    Object.assign(values, bounds);
    condition += ` AND ${expression}`;
  };
  if (query.from !== undefined && query.before !== undefined) {
    bound('#sk BETWEEN :from AND :before', { ':from': query.from, ':before': query.before });
  } else if (query.from !== undefined) bound('#sk >= :from', { ':from': query.from });
  else if (query.before !== undefined) bound('#sk < :before', { ':before': query.before });
  else if (query.through !== undefined) bound('#sk <= :through', { ':through': query.through });
  else if (query.prefix !== undefined) bound('begins_with(#sk, :prefix)', { ':prefix': query.prefix });
  return {
    TableName: tableName,
    ...(query.index === 'table' ? {} : { IndexName: query.index }),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: query.ascending !== false,
    ...(query.consistent ? { ConsistentRead: true } : {}),
    ...(projection ? { ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', ') } : {}),
  };
}

/** The cursor scope of a query: a cursor from one list never opens another. */
export function cursorScope(query: PartitionQuery): string {
  return `${query.index}:${query.partition}:${query.ascending === false ? 'desc' : 'asc'}`;
}

/** The attributes of a start key on `index`: the table's key, and the index's own key on a GSI. */
function startKeyNames(index: PartitionQuery['index']): string[] {
  const { pk, sk } = keyAttributes(index);
  return index === 'table' ? ['pk', 'sk'] : ['pk', 'sk', pk, sk];
}

/** Whether a sort-key value lies inside the query's key condition (`queryInput` builds the same bounds). */
function insideSortRange(value: string, query: PartitionQuery): boolean {
  if (query.from !== undefined && query.before !== undefined) return value >= query.from && value <= query.before;
  if (query.from !== undefined) return value >= query.from;
  if (query.before !== undefined) return value < query.before;
  if (query.through !== undefined) return value <= query.through;
  if (query.prefix !== undefined) return value.startsWith(query.prefix);
  return true;
}

/**
 * A decoded cursor's start key, checked against the query it is to continue before it reaches DynamoDB: exactly the
 * key attributes of the query's index (all strings), the partition the query reads and a sort key inside its
 * condition. Anything else throws `InvalidCursorError` (a 400 naming `cursor`), never DynamoDB's
 * `ValidationException` (a 500). The signature already ties a cursor to its list; this holds even for a cursor signed
 * for another range of the same partition, or with a leaked key.
 */
export function checkedStartKey(
  key: Record<string, unknown> | undefined,
  query: PartitionQuery,
): Record<string, string> | undefined {
  if (key === undefined) return undefined;
  const names = startKeyNames(query.index);
  const given = Object.keys(key);
  if (given.length !== names.length || names.some((name) => typeof key[name] !== 'string' || key[name] === '')) {
    throw new InvalidCursorError();
  }
  const { pk, sk } = keyAttributes(query.index);
  if (key[pk] !== query.partition || !insideSortRange(key[sk] as string, query)) throw new InvalidCursorError();
  return key as Record<string, string>;
}

/**
 * One page of a partition for a list route (`?limit=&cursor=`), with a signed cursor scoped to the partition
 * queried. A tampered cursor is a 400 (from `decodeCursor`). Items are mapped (and validated) by `map`.
 */
export async function queryPage<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  query: PartitionQuery,
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const scope = cursorScope(query);
  const result = await doc.send(
    new QueryCommand({
      ...queryInput(tableName, query),
      Limit: page.limit,
      ExclusiveStartKey: checkedStartKey(await decodeCursor(page.cursor, scope), query),
    }),
  );
  return {
    items: (result.Items ?? []).map(map),
    nextCursor: await encodeCursor(result.LastEvaluatedKey as Record<string, string> | undefined, scope),
  };
}

/**
 * One page over several partitions of the same index merged in sort-key order, for a list that spans partitions
 * (invoices that still owe: `OPEN` and `PARTIALLY_PAID`). Each page reads up to `limit` items of every partition
 * not yet exhausted and keeps the first `limit` of the merge (ties go to the partition listed first); the signed
 * cursor holds each partition's last key taken, so no item repeats or goes missing across pages. Costs up to one
 * page per partition per page, so keep the partitions few.
 */
export async function queryMergedPage<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  queries: readonly PartitionQuery[],
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const index = queries[0]?.index ?? 'table';
  if (queries.some((query) => query.index !== index || query.ascending !== queries[0]?.ascending)) {
    throw new Error('queryMergedPage merges partitions of one index read in one direction');
  }
  const { sk } = keyAttributes(index);
  const keyNames = startKeyNames(index);
  const scope = `merged:${queries.map(cursorScope).join('|')}`;
  const positions = positionsOf(await decodeCursor(page.cursor, scope), queries, keyNames);

  const read = await Promise.all(
    queries.map(async (query, i) => {
      const position = positions[i];
      if (position === 'done') return { items: [], more: false };
      const result = await doc.send(
        new QueryCommand({ ...queryInput(tableName, query), Limit: page.limit, ExclusiveStartKey: position }),
      );
      return { items: result.Items ?? [], more: result.LastEvaluatedKey !== undefined };
    }),
  );

  const direction = queries[0]?.ascending === false ? -1 : 1;
  const merged = read
    .flatMap(({ items }, partition) => items.map((item) => ({ item, partition })))
    // Plain code-unit order, as DynamoDB orders string keys by their bytes (localeCompare would collate punctuation).
    .sort((a, b) => direction * compareKeys(String(a.item[sk]), String(b.item[sk])) || a.partition - b.partition)
    .slice(0, page.limit);

  const next: (Record<string, string | number> | 'done' | undefined)[] = positions.map((position, i) => {
    const taken = merged.filter((entry) => entry.partition === i);
    const { items, more } = read[i]!;
    if (position === 'done' || (taken.length === items.length && !more)) return 'done';
    const last = taken.at(-1)?.item;
    return last ? Object.fromEntries(keyNames.map((name) => [name, last[name] as string | number])) : position;
  });
  const cursor: Record<string, string | number> = {};
  next.forEach((position, i) => {
    if (position === 'done') cursor[`${i}`] = 'done';
    else if (position) for (const [name, value] of Object.entries(position)) cursor[`${i}.${name}`] = value;
  });
  return {
    items: merged.map(({ item }) => map(item)),
    nextCursor: next.every((position) => position === 'done') ? null : await encodeCursor(cursor, scope),
  };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Each partition's position in a merged cursor: its last key taken (checked against its query), `done`, or undefined
 * (from the start). A partition with only some of its key attributes, or any attribute the merge never writes, is an
 * invalid cursor.
 */
function positionsOf(
  cursor: Record<string, string | number> | undefined,
  queries: readonly PartitionQuery[],
  keyNames: readonly string[],
): (Record<string, string | number> | 'done' | undefined)[] {
  if (cursor) {
    const known = new Set(queries.flatMap((_, i) => [`${i}`, ...keyNames.map((name) => `${i}.${name}`)]));
    if (Object.keys(cursor).some((name) => !known.has(name))) throw new InvalidCursorError();
  }
  return queries.map((query, i) => {
    if (!cursor) return undefined;
    if (cursor[`${i}`] !== undefined) {
      if (cursor[`${i}`] !== 'done' || keyNames.some((name) => cursor[`${i}.${name}`] !== undefined)) {
        throw new InvalidCursorError();
      }
      return 'done';
    }
    const key = Object.fromEntries(
      keyNames.flatMap((name) => (cursor[`${i}.${name}`] === undefined ? [] : [[name, cursor[`${i}.${name}`]!]])),
    );
    return Object.keys(key).length === 0 ? undefined : checkedStartKey(key, query);
  });
}

const SEGMENT = '~segment';

/**
 * One page over several partitions read one after the other (a desk list's status partitions in lifecycle order),
 * filled across them; each may be narrowed to a sort-key prefix. The cursor is the last key plus the partition it
 * belongs to, signed with the whole list's scope. Where `queryMergedPage` interleaves partitions by sort key, this
 * keeps their order.
 */
export async function querySequencePage<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  segments: readonly PartitionQuery[],
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const scope = `segments:${segments.map((s) => `${s.index}:${s.partition}:${s.prefix ?? ''}`).join('|')}`;
  const decoded = await decodeCursor(page.cursor, scope);
  let segment = 0;
  let startKey: Record<string, unknown> | undefined;
  if (decoded) {
    const { [SEGMENT]: at, ...key } = decoded;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at >= segments.length) {
      throw new InvalidCursorError();
    }
    segment = at;
    startKey = Object.keys(key).length > 0 ? checkedStartKey(key, segments[at]!) : undefined;
  }
  const items: T[] = [];
  while (segment < segments.length && items.length < page.limit) {
    const result = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, segments[segment]!),
        Limit: page.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []).map(map));
    if (result.LastEvaluatedKey) startKey = result.LastEvaluatedKey;
    else {
      segment++;
      startKey = undefined;
    }
  }
  const nextCursor =
    segment < segments.length
      ? await encodeCursor({ ...(startKey as Record<string, string> | undefined), [SEGMENT]: segment }, scope)
      : null;
  return { items, nextCursor };
}

/** Every item of a partition, page by page, for jobs and processors that walk a whole (bounded) partition. */
export async function* queryAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  query: PartitionQuery,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await doc.send(new QueryCommand({ ...queryInput(tableName, query), ExclusiveStartKey: startKey }));
    for (const item of result.Items ?? []) yield item;
    startKey = result.LastEvaluatedKey;
  } while (startKey);
}

/**
 * The attributes of a record that a change altered, with their new values (undefined: the attribute goes), so an
 * update writes only what changed.
 */
export function changedAttributes(was: Record<string, unknown>, now: Record<string, unknown>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (JSON.stringify(was[name]) !== JSON.stringify(now[name])) set[name] = now[name];
  }
  return set;
}

/**
 * `SET a = :a, ...` and `REMOVE b, ...` for an UpdateItem, with every attribute name aliased (`status` and `name`
 * are reserved words). Undefined values in `set` are removed instead.
 */
export function updateExpression(
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  let n = 0;
  for (const [attribute, value] of Object.entries(set)) {
    const alias = `#u${n}`;
    names[alias] = attribute;
    if (value === undefined) removes.push(alias);
    else {
      values[`:u${n}`] = value;
      sets.push(`${alias} = :u${n}`);
    }
    n++;
  }
  for (const attribute of remove) {
    const alias = `#u${n++}`;
    names[alias] = attribute;
    removes.push(alias);
  }
  const parts = [];
  if (sets.length > 0) parts.push(`SET ${sets.join(', ')}`);
  if (removes.length > 0) parts.push(`REMOVE ${removes.join(', ')}`);
  return { UpdateExpression: parts.join(' '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** A store's table: the client and the table name every store factory takes. */
export interface TableRef {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** The readers of one access pattern: a page for list routes, or every item for jobs and processors. */
export interface PatternReader<P, T> {
  /** One page (`?limit=&cursor=`) with a signed cursor scoped to the partition. */
  page(facets: P, page: PageRequest, options?: QueryOptions): Promise<Page<T>>;
  /** Every item of the partition, page by page. */
  all(facets: P, options?: QueryOptions): AsyncGenerator<T>;
}

/**
 * Binds an access pattern to a table and a parser, so a store declares each of its queries in one line and names it
 * after the pattern (`orders.byStatus.page({ status }, page)`, `orders.byStatus.all({ status })`).
 */
export function patternReader<P, S, K, T>(
  { doc, tableName }: TableRef,
  pattern: AccessPattern<P, S, K>,
  parse: (item: Record<string, unknown>) => T,
): PatternReader<P, T> {
  return {
    page: (facets, page, options) => queryPage(doc, tableName, pattern.query(facets, options), page, parse),
    async *all(facets, options) {
      for await (const item of queryAll(doc, tableName, pattern.query(facets, options))) yield parse(item);
    },
  };
}
