/**
 * The capacity model and the meter: DynamoDB's item sizes and AWS's capacity rules for transactions, and `instrument`,
 * which meters the shared AWS clients (DynamoDB units and SQS requests) while real handlers run.
 */
import {
  GetItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type ServiceInputTypes as DynamoInput,
  type ServiceOutputTypes as DynamoOutput,
} from '@aws-sdk/client-dynamodb';
import type { SQSClient, ServiceInputTypes as SqsInput, ServiceOutputTypes as SqsOutput } from '@aws-sdk/client-sqs';
import type { BuildMiddleware, InitializeMiddleware } from '@smithy/types';
import { TABLE, indexKeys } from '#shared/table.ts';

// ---------------------------------------------------------------------------------------------------- item sizes

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** DynamoDB's size of a number: one byte per two significant digits, plus one. */
export function numberSize(value: string): number {
  const digits = value
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

/** The size DynamoDB bills for one attribute value (AWS "Item sizes and formats"). */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  // Lists and maps: 3 bytes, plus 1 byte per element.
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0);
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + 1 + utf8(name) + attributeValueSize(v), 0);
  }
  return 0;
}

/** An item's size in bytes: attribute names plus values. */
export function itemSize(item: Record<string, AttributeValue> | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
}

const KB = 1024;
/** Write units of a standard write of `bytes` (1 per KB, rounded up, at least 1). */
export const standardWriteUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));
/** Write units of a transactional write of `bytes` (2 per KB, rounded up). */
export const transactionalWriteUnits = (bytes: number) => 2 * standardWriteUnits(bytes);
/** Read units of a transactional read of `bytes` (2 per 4 KB, rounded up). */
export const transactionalReadUnits = (bytes: number) => 2 * Math.max(1, Math.ceil(bytes / (4 * KB)));

// ---------------------------------------------------------------------------------------------------- transactions

type Item = Record<string, AttributeValue>;
export type TransactAction = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/** The units of one action of a TransactWriteItems, computed from the item before and after. */
export interface TransactItemUnits {
  action: TransactAction;
  key: string;
  beforeBytes: number;
  afterBytes: number;
  /** Table write units: 2 per KB of the larger of before and after. */
  tableUnits: number;
  /** Standard write units per index the action touched (put, delete, or both when its key moved). */
  indexUnits: Record<string, number>;
}

function indexEntry(item: Item | undefined, index: (typeof TABLE.indexes)[number]): string | undefined {
  if (!item) return undefined;
  const { pk, sk } = indexKeys(index);
  const p = item[pk]?.S;
  const s = item[sk]?.S;
  return p !== undefined && s !== undefined ? `${p}\u0000${s}` : undefined;
}

/**
 * AWS's capacity rules for one transactional write action (DynamoDB developer guide, "Capacity management for
 * transactions" and "Global secondary indexes: provisioned throughput"):
 *   - the table write costs 2 units per KB (rounded up) of the larger of the item before and after;
 *     a ConditionCheck is billed like a transactional write of the item it reads;
 *   - each index the item enters or leaves costs a standard write of the index entry (projection ALL: the item);
 *     an index whose key changed costs a delete of the old entry plus a put of the new one; an index whose key
 *     stayed costs one standard write of the larger entry when the item changed.
 */
export function transactItemUnits(
  action: TransactAction,
  key: string,
  before: Item | undefined,
  after: Item | undefined,
): TransactItemUnits {
  const beforeBytes = itemSize(before);
  const afterBytes = action === 'ConditionCheck' ? beforeBytes : itemSize(after);
  const tableUnits = transactionalWriteUnits(Math.max(beforeBytes, afterBytes));
  const indexUnits: Record<string, number> = {};
  if (action !== 'ConditionCheck') {
    for (const index of TABLE.indexes) {
      const was = indexEntry(before, index);
      const is = indexEntry(after, index);
      let units = 0;
      if (was && is && was === is) units = standardWriteUnits(Math.max(beforeBytes, afterBytes));
      else {
        if (was) units += standardWriteUnits(beforeBytes);
        if (is) units += standardWriteUnits(afterBytes);
      }
      if (units > 0) indexUnits[index] = units;
    }
  }
  return { action, key, beforeBytes, afterBytes, tableUnits, indexUnits };
}

// ---------------------------------------------------------------------------------------------------- the meter

/** One DynamoDB request as the meter saw it. */
export interface DynamoCall {
  command: string;
  phase: string;
  readUnits: number;
  writeUnits: number;
  /** How the units were found: reported by DynamoDB Local, or computed from item sizes (transactions). */
  source: 'reported' | 'computed';
  /** What DynamoDB Local itself reported for a transaction, for comparison. */
  reportedUnits?: number;
  items?: TransactItemUnits[];
}

export interface Meter {
  phase: string;
  dynamo: DynamoCall[];
  /** SQS requests made by handlers, by command and phase. */
  sqs: { command: string; phase: string; entries: number }[];
  reset(): void;
  dispose(): void;
}

// Types of the SDK's own middleware stack (a dependency of every AWS SDK v3 client).
type AskMiddleware = InitializeMiddleware<DynamoInput, DynamoOutput>;
type Middleware = BuildMiddleware<DynamoInput, DynamoOutput>;
type SqsMiddleware = InitializeMiddleware<SqsInput, SqsOutput>;

const WITH_CAPACITY = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

function sumCapacity(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  const list = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

function keyOf(item: Item): Item {
  return { [TABLE.partitionKey]: item[TABLE.partitionKey]!, [TABLE.sortKey]: item[TABLE.sortKey]! };
}

interface WriteAction {
  action: TransactAction;
  tableName: string;
  key: Item;
}

function writeActions(input: {
  TransactItems?: Record<string, { TableName?: string; Key?: Item; Item?: Item }>[];
}): WriteAction[] {
  return (input.TransactItems ?? []).map((entry) => {
    const action = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((a) => entry[a] !== undefined)!;
    const body = entry[action]!;
    return { action, tableName: body.TableName!, key: body.Key ?? keyOf(body.Item!) };
  });
}

/**
 * Instruments the shared AWS clients: every DynamoDB request gets `ReturnConsumedCapacity: 'TOTAL'` (set in the
 * initialize step, before serialization) and its units
 * are recorded; every TransactWriteItems is additionally bracketed by consistent reads of its items (through
 * `reader`, a separate client, so they are not counted) to compute its units from item sizes; every SQS request
 * is counted. The DynamoDB middleware sits in the build step: the document client has marshalled the input by then
 * (its `DocumentMarshall` runs just before the serializer).
 */
export function instrument(dynamo: DynamoDBClient, sqs: SQSClient, reader: DynamoDBClient): Meter {
  const meter: Meter = {
    phase: 'setup',
    dynamo: [],
    sqs: [],
    reset() {
      meter.dynamo.length = 0;
      meter.sqs.length = 0;
    },
    dispose() {
      dynamo.middlewareStack.remove('benchAskCapacity');
      dynamo.middlewareStack.remove('benchCapacity');
      sqs.middlewareStack.remove('benchSqsCount');
    },
  };
  const read = async (a: { tableName: string; key: Item }) =>
    (await reader.send(new GetItemCommand({ TableName: a.tableName, Key: a.key, ConsistentRead: true }))).Item;

  const capacity: Middleware = (next, context) => async (args) => {
    const command = context.commandName ?? 'unknown';
    if (!WITH_CAPACITY.has(command)) return next(args);
    const input = args.input as Record<string, unknown>;
    const phase = meter.phase;

    if (command === 'TransactWriteItemsCommand') {
      const actions = writeActions(input as Parameters<typeof writeActions>[0]);
      const before = await Promise.all(actions.map(read));
      const result = await next(args);
      const after = await Promise.all(actions.map(read));
      const items = actions.map((a, i) =>
        transactItemUnits(a.action, `${a.key[TABLE.partitionKey]?.S}/${a.key[TABLE.sortKey]?.S}`, before[i], after[i]),
      );
      meter.dynamo.push({
        command,
        phase,
        readUnits: 0,
        source: 'computed',
        items,
        writeUnits: items.reduce(
          (sum, u) => sum + u.tableUnits + Object.values(u.indexUnits).reduce((s, n) => s + n, 0),
          0,
        ),
        reportedUnits: sumCapacity((result.output as { ConsumedCapacity?: ConsumedCapacity[] }).ConsumedCapacity),
      });
      return result;
    }
    if (command === 'TransactGetItemsCommand') {
      const gets = (
        (input as { TransactItems?: { Get?: { TableName?: string; Key?: Item } }[] }).TransactItems ?? []
      ).map((entry) => ({ tableName: entry.Get!.TableName!, key: entry.Get!.Key! }));
      const result = await next(args);
      // The response items are already unmarshalled at this step; their stored form is read back instead.
      const stored = await Promise.all(gets.map(read));
      const readUnits = stored.reduce((sum, item) => sum + transactionalReadUnits(itemSize(item)), 0);
      meter.dynamo.push({
        command,
        phase,
        readUnits,
        writeUnits: 0,
        source: 'computed',
        reportedUnits: sumCapacity((result.output as { ConsumedCapacity?: ConsumedCapacity[] }).ConsumedCapacity),
      });
      return result;
    }
    const result = await next(args);
    const units = sumCapacity(
      (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity,
    );
    meter.dynamo.push({
      command,
      phase,
      source: 'reported',
      readUnits: READS.has(command) ? units : 0,
      writeUnits: READS.has(command) ? 0 : units,
    });
    return result;
  };

  // Asking for capacity has to happen before the request is serialized; measuring happens after marshalling.
  const ask: AskMiddleware = (next, context) => async (args) => {
    if (WITH_CAPACITY.has(context.commandName ?? ''))
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    return next(args);
  };

  const count: SqsMiddleware = (next, context) => async (args) => {
    const input = args.input as { Entries?: unknown[] };
    meter.sqs.push({
      command: context.commandName ?? 'unknown',
      phase: meter.phase,
      entries: input.Entries?.length ?? 1,
    });
    return next(args);
  };

  dynamo.middlewareStack.add(ask, { step: 'initialize', priority: 'high', name: 'benchAskCapacity' });
  dynamo.middlewareStack.add(capacity, { step: 'build', priority: 'high', name: 'benchCapacity' });
  sqs.middlewareStack.add(count, { step: 'initialize', name: 'benchSqsCount' });
  return meter;
}
