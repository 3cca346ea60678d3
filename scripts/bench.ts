/**
 * `npm run bench`: what one order costs. Prints
 *   (a) every manifest handler's bundle size, built by esbuild with the settings the CDK stack uses;
 *   (b) the DynamoDB write and read units one 3-line order consumes end to end (intake, processing, follow-on work
 *       such as a purchase order), measured against DynamoDB Local with `ReturnConsumedCapacity`, transactions
 *       computed from item sizes by AWS's rules because DynamoDB Local under-reports them;
 *   (c) the SQS requests per order, handlers' own requests counted, the Lambda event source's modelled;
 *   (d) the cost per million orders at list prices, with every assumption printed.
 * It starts its own DynamoDB Local and SQS server and times nothing: the figures are counts, not speeds.
 * docs/costs.md explains the method and records a run.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  GetItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type ServiceInputTypes as DynamoInput,
  type ServiceOutputTypes as DynamoOutput,
} from '@aws-sdk/client-dynamodb';
import {
  ReceiveMessageCommand,
  type SQSClient,
  type ServiceInputTypes as SqsInput,
  type ServiceOutputTypes as SqsOutput,
} from '@aws-sdk/client-sqs';
import type { BuildMiddleware, InitializeMiddleware } from '@smithy/types';
import type { APIGatewayProxyStructuredResultV2, Context, SQSEvent, SQSBatchResponse } from 'aws-lambda';
import { queues as manifestQueues, routes as manifestRoutes, schedules as manifestSchedules } from '#shared/manifest.ts';
import { TABLE, indexKeys } from '#shared/table.ts';
import { keys } from '#shared/keys.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ------------------------------------------------------------------------------------------------ (a) bundle sizes

export interface BundleSize {
  handler: string;
  /** Minified ESM bundle (`index.mjs`), source map excluded; undefined when the handler file does not exist yet. */
  bytes?: number;
}

/** Every handler module the manifest declares (routes, processors, schedules), once each, in declaration order. */
export function manifestHandlers(): string[] {
  return [
    ...new Set([
      ...manifestRoutes.map((r) => r.handler),
      ...manifestQueues.map((q) => q.processor),
      ...manifestSchedules.map((s) => s.handler),
    ]),
  ];
}

/**
 * Bundles each handler exactly as `infra/constructs/function.ts` has `NodejsFunction` do it (ESM, platform node,
 * target node22, mainFields module/main, the createRequire banner, minify, keepNames, external source map, nothing
 * external) and reports the size of the code file Lambda loads.
 */
export async function bundleSizes(handlers: string[] = manifestHandlers()): Promise<BundleSize[]> {
  const esbuild = await import('esbuild');
  const { ESM_REQUIRE_BANNER } = await import('#infra/constructs/function.ts');
  const sizes: BundleSize[] = [];
  for (const handler of handlers) {
    const entry = join(ROOT, `${handler}.ts`);
    if (!existsSync(entry)) {
      sizes.push({ handler });
      continue;
    }
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      outfile: join(ROOT, 'cdk.out', 'bench', 'index.mjs'),
      format: 'esm',
      platform: 'node',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      keepNames: true,
      sourcemap: 'external',
      sourcesContent: false,
      external: [],
      logLevel: 'error',
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    sizes.push({ handler, bytes: code?.contents.byteLength ?? 0 });
  }
  return sizes;
}

// ------------------------------------------------------------------------------------------------ item sizes

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** DynamoDB's size of a number: one byte per two significant digits, plus one. */
export function numberSize(value: string): number {
  const digits = value.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
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

// ------------------------------------------------------------------------------------------------ transactions

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
export function transactItemUnits(action: TransactAction, key: string, before: Item | undefined, after: Item | undefined): TransactItemUnits {
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

// ------------------------------------------------------------------------------------------------ the meter

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
  'GetItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'QueryCommand', 'ScanCommand',
  'BatchGetItemCommand', 'BatchWriteItemCommand', 'TransactGetItemsCommand', 'TransactWriteItemsCommand',
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

function writeActions(input: { TransactItems?: Record<string, { TableName?: string; Key?: Item; Item?: Item }>[] }): WriteAction[] {
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
        command, phase, readUnits: 0, source: 'computed', items,
        writeUnits: items.reduce((sum, u) => sum + u.tableUnits + Object.values(u.indexUnits).reduce((s, n) => s + n, 0), 0),
        reportedUnits: sumCapacity((result.output as { ConsumedCapacity?: ConsumedCapacity[] }).ConsumedCapacity),
      });
      return result;
    }
    if (command === 'TransactGetItemsCommand') {
      const gets = ((input as { TransactItems?: { Get?: { TableName?: string; Key?: Item } }[] }).TransactItems ?? [])
        .map((entry) => ({ tableName: entry.Get!.TableName!, key: entry.Get!.Key! }));
      const result = await next(args);
      // The response items are already unmarshalled at this step; their stored form is read back instead.
      const stored = await Promise.all(gets.map(read));
      const readUnits = stored.reduce((sum, item) => sum + transactionalReadUnits(itemSize(item)), 0);
      meter.dynamo.push({
        command, phase, readUnits, writeUnits: 0, source: 'computed',
        reportedUnits: sumCapacity((result.output as { ConsumedCapacity?: ConsumedCapacity[] }).ConsumedCapacity),
      });
      return result;
    }
    const result = await next(args);
    const units = sumCapacity((result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity);
    meter.dynamo.push({
      command, phase, source: 'reported',
      readUnits: READS.has(command) ? units : 0,
      writeUnits: READS.has(command) ? 0 : units,
    });
    return result;
  };

  // Asking for capacity has to happen before the request is serialized; measuring happens after marshalling.
  const ask: AskMiddleware = (next, context) => async (args) => {
    if (WITH_CAPACITY.has(context.commandName ?? '')) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    return next(args);
  };

  const count: SqsMiddleware = (next, context) => async (args) => {
    const input = args.input as { Entries?: unknown[] };
    meter.sqs.push({ command: context.commandName ?? 'unknown', phase: meter.phase, entries: input.Entries?.length ?? 1 });
    return next(args);
  };

  dynamo.middlewareStack.add(ask, { step: 'initialize', priority: 'high', name: 'benchAskCapacity' });
  dynamo.middlewareStack.add(capacity, { step: 'build', priority: 'high', name: 'benchCapacity' });
  sqs.middlewareStack.add(count, { step: 'initialize', name: 'benchSqsCount' });
  return meter;
}

// ------------------------------------------------------------------------------------------------ (b) one order

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
  ordersQueue: { name: string; url: string; arn: string };
}

type ApiHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/**
 * Runs one 3-line order through the real handlers against local DynamoDB and SQS and meters it. The process
 * environment must already point at `input`'s table and queues (`applyEnv`); the shared clients are instrumented
 * before any handler is imported. Items are created first (not counted); one of them sits just above its reorder
 * point so the order also opens a purchase order, the costliest ordinary path.
 */
export async function measureOrderCapacity(input: MeasureInput): Promise<OrderMeasurement> {
  const { dynamo, sqs } = await import('#shared/platform/clients.ts');
  const { localDynamoClient } = await import('./local/dynamodb.ts');
  const { buildHttpEvent, lambdaContext } = await import('./local/events.ts');
  const { receiveBatch, deliverBatch } = await import('./local/poller.ts');
  const { localSqsClient } = await import('./local/sqs.ts');

  const reader = localDynamoClient(input.dynamoEndpoint);
  const pollerSqs = localSqsClient(new URL(input.ordersQueue.url).origin);
  const meter = instrument(dynamo, sqs, reader);
  try {
    const load = async <T>(handler: string) => (await import(pathToFileURL(join(ROOT, `${handler}.ts`)).href)).handler as T;
    const putItem = await load<ApiHandler>('functions/inventory/put-item');
    const submitOrder = await load<ApiHandler>('functions/orders/submit-order');
    const processor = manifestQueues.find((q) => q.name === 'orders')!.processor;
    const processOrder = await load<SqsHandler>(processor);
    const getOrder = await load<ApiHandler>('functions/orders/get-order');

    const call = async (handler: ApiHandler, method: string, path: string, routeKey: string, roles: string[], body?: unknown, pathParameters?: Record<string, string>) => {
      const now = Math.floor(Date.now() / 1000);
      const event = buildHttpEvent({
        method, path, routeKey,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(pathParameters ? { pathParameters } : {}),
        claims: { sub: 'bench', 'cognito:groups': roles, iat: now, exp: now + 3600, token_use: 'access' },
      });
      const result = await handler(event, lambdaContext('bench'));
      if ((result.statusCode ?? 500) >= 300) throw new Error(`${routeKey} answered ${result.statusCode}: ${result.body}`);
      return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
    };

    const run = randomBytes(3).toString('hex').toUpperCase();
    const skus = [`BENCH-${run}-A`, `BENCH-${run}-B`, `BENCH-${run}-C`];
    for (const [i, sku] of skus.entries()) {
      await call(putItem, 'PUT', `/v1/inventory/items/${sku}`, 'PUT /v1/inventory/items/{sku}', ['inventory'], {
        name: `Bench item ${i + 1} with a realistic product name`,
        unitPriceCents: 1999 + i * 500,
        unitCostCents: 1200 + i * 300,
        // The third item drops to its reorder point with this order: a purchase order is opened.
        reorderPoint: i === 2 ? 8 : 5,
        reorderQuantity: 50,
        onHand: i === 2 ? 10 : 100,
      }, { sku });
    }

    // An empty short poll is confirmed by a 1 s long poll: the local server makes a message receivable a timer tick
    // after its send, so a receive right after a send can come back empty.
    const receive = async () => {
      const messages = await receiveBatch(pollerSqs, input.ordersQueue.url, 10);
      if (messages.length > 0) return messages;
      const waited = await pollerSqs.send(new ReceiveMessageCommand({
        QueueUrl: input.ordersQueue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
        AttributeNames: ['All'], MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
      }));
      return waited.Messages ?? [];
    };
    const deliverAll = async (): Promise<number> => {
      let batches = 0;
      for (;;) {
        const messages = await receive();
        if (messages.length === 0) return batches;
        batches += 1;
        const outcome = await deliverBatch(pollerSqs, input.ordersQueue, messages, processOrder as never);
        if (outcome.failed.length > 0) throw new Error(`The order processor failed: ${String(outcome.error ?? outcome.failed)}`);
      }
    };
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
    const order = await call(getOrder, 'GET', `/v1/orders/${orderId}`, 'GET /v1/orders/{orderId}', ['ops'], undefined, { orderId });
    const counted = meter.dynamo.filter((c) => c.phase !== 'check');
    const sqsCounted = meter.sqs.filter((c) => c.phase !== 'check');

    const purchaseOrdersOpened = counted
      .flatMap((c) => c.items ?? [])
      .filter((i) => i.key.startsWith(keys.purchaseOrder('').pk) && i.beforeBytes === 0 && i.afterBytes > 0).length;
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

// ------------------------------------------------------------------------------------------------ (c, d) costs

/** us-east-1 list prices, checked on the date given (docs/costs.md says where). */
export const PRICES = {
  checkedOn: '2026-11-23',
  dynamoWritePerMillionUnits: 0.625,
  dynamoReadPerMillionUnits: 0.125,
  sqsPerMillionRequests: 0.4,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillionRequests: 1.0,
} as const;

/** What the cost model assumes; printed with the result. */
export const ASSUMPTIONS = {
  /** Messages per processor invocation, i.e. per ReceiveMessage + DeleteMessageBatch of the event source. */
  eventSourceBatchSize: 10,
  lambdaMemoryGb: 0.5,
  /** Billed duration of the intake function per order (warm; DynamoDB transaction + SQS send). */
  intakeMs: 60,
  /** Billed processor duration per message (its share of a batch: reads, one transaction). */
  processingMsPerMessage: 80,
} as const;

export interface CostLine {
  service: string;
  perOrder: string;
  perMillionOrdersUsd: number;
}

/** Cost of one million orders like the measured one, service by service. */
export function costPerMillionOrders(m: OrderMeasurement, prices = PRICES, a = ASSUMPTIONS): { lines: CostLine[]; totalUsd: number; sqsRequestsPerOrder: number } {
  const handlerSqs = Object.values(m.handlerSqsRequests).reduce((s, n) => s + n, 0);
  // Each message sent is received and deleted by the event source in batches.
  const eventSourceSqs = (2 * m.messagesSent) / a.eventSourceBatchSize;
  const sqsRequestsPerOrder = handlerSqs + eventSourceSqs;
  const processorInvocations = m.messagesSent / a.eventSourceBatchSize;
  const invocations = 1 + processorInvocations;
  const gbSeconds = a.lambdaMemoryGb * (a.intakeMs + a.processingMsPerMessage * m.messagesSent) / 1000;
  const million = 1_000_000;
  const lines: CostLine[] = [
    { service: 'DynamoDB writes', perOrder: `${m.writeUnits} WRU`, perMillionOrdersUsd: m.writeUnits * prices.dynamoWritePerMillionUnits },
    { service: 'DynamoDB reads', perOrder: `${m.readUnits} RRU`, perMillionOrdersUsd: m.readUnits * prices.dynamoReadPerMillionUnits },
    { service: 'SQS', perOrder: `${round(sqsRequestsPerOrder)} requests`, perMillionOrdersUsd: sqsRequestsPerOrder * prices.sqsPerMillionRequests },
    { service: 'Lambda requests', perOrder: `${round(invocations)} invocations`, perMillionOrdersUsd: invocations * prices.lambdaPerMillionRequests },
    { service: 'Lambda compute', perOrder: `${round(gbSeconds, 4)} GB-s`, perMillionOrdersUsd: gbSeconds * million * prices.lambdaArmPerGbSecond },
    { service: 'API Gateway HTTP API', perOrder: '1 request', perMillionOrdersUsd: prices.httpApiPerMillionRequests },
  ];
  return { lines, totalUsd: lines.reduce((s, l) => s + l.perMillionOrdersUsd, 0), sqsRequestsPerOrder };
}

function round(n: number, places = 2): number {
  return Math.round(n * 10 ** places) / 10 ** places;
}

// ------------------------------------------------------------------------------------------------ the CLI

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  console.log('(a) Bundle sizes (esbuild as the CDK stack bundles: ESM, node22, minified, keepNames, AWS SDK included)\n');
  const sizes = await bundleSizes();
  console.log(table([
    ['handler', 'bytes', 'KiB'],
    ...sizes.map((s) => [s.handler, s.bytes === undefined ? 'missing' : String(s.bytes), s.bytes === undefined ? '' : (s.bytes / 1024).toFixed(1)]),
  ]));

  const { startDynamoDbLocal, localDynamoClient } = await import('./local/dynamodb.ts');
  const { startLocalSqs, localSqsClient } = await import('./local/sqs.ts');
  const { ensureTable } = await import('./local/table.ts');
  const { ensureQueues } = await import('./local/queues.ts');
  const { applyEnv, handlerEnv } = await import('./local/env.ts');

  const [ddb, sqsServer] = await Promise.all([startDynamoDbLocal({ readyTimeoutMs: 60_000 }), startLocalSqs()]);
  try {
    const tableName = `bench-${randomBytes(3).toString('hex')}`;
    const setupDynamo = localDynamoClient(ddb.endpoint);
    const setupSqs = localSqsClient(sqsServer.endpoint);
    await ensureTable(setupDynamo, tableName);
    const queues = await ensureQueues(setupSqs, manifestQueues, { prefix: `${tableName}-` });
    setupDynamo.destroy();
    setupSqs.destroy();
    applyEnv(handlerEnv({ dynamoEndpoint: ddb.endpoint, sqsEndpoint: sqsServer.endpoint, tableName, queues }));
    process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const orders = queues.find((q) => q.name === 'orders')!;

    const m = await measureOrderCapacity({ tableName, dynamoEndpoint: ddb.endpoint, ordersQueue: { name: orders.name, url: orders.url, arn: orders.arn } });

    console.log(`\n(b) DynamoDB capacity for one 3-line order (final status ${m.finalStatus}, purchase orders opened: ${m.purchaseOrdersOpened})\n`);
    console.log(table([
      ['phase', 'requests', 'write units', 'read units'],
      ...m.phases.map((p) => [p.phase, String(p.calls), String(p.writeUnits), String(p.readUnits)]),
      ['total', String(m.dynamo.length), String(m.writeUnits), String(m.readUnits)],
    ]));
    console.log('\nrequests:');
    for (const c of m.dynamo) {
      const reported = c.reportedUnits !== undefined ? ` (DynamoDB Local reported ${c.reportedUnits})` : '';
      console.log(`  ${c.phase.padEnd(10)} ${c.command.replace(/Command$/, '').padEnd(18)} W ${String(c.writeUnits).padStart(4)}  R ${String(c.readUnits).padStart(4)}  ${c.source}${reported}`);
      for (const i of c.items ?? []) {
        const idx = Object.entries(i.indexUnits).map(([k, v]) => `${k} ${v}`).join(', ');
        console.log(`      ${i.action.padEnd(14)} ${i.key.padEnd(44)} ${String(Math.max(i.beforeBytes, i.afterBytes)).padStart(5)} B  table ${i.tableUnits}${idx ? `  index ${idx}` : ''}`);
      }
    }

    const cost = costPerMillionOrders(m);
    console.log(`\n(c) SQS requests per order: ${round(cost.sqsRequestsPerOrder)}`);
    console.log(`    made by handlers: ${JSON.stringify(m.handlerSqsRequests)}; messages sent: ${m.messagesSent}`);
    console.log(`    event source: 1 ReceiveMessage + 1 DeleteMessageBatch per batch of ${ASSUMPTIONS.eventSourceBatchSize} messages → ${round((2 * m.messagesSent) / ASSUMPTIONS.eventSourceBatchSize)} per order`);
    console.log('    not per order: the event source\'s empty long polls (about 0.65 M requests per queue per month while idle)');

    console.log(`\n(d) Cost per million orders, us-east-1 list prices checked ${PRICES.checkedOn}\n`);
    console.log(table([
      ['service', 'per order', 'USD per 1M orders'],
      ...cost.lines.map((l) => [l.service, l.perOrder, l.perMillionOrdersUsd.toFixed(2)]),
      ['total', '', cost.totalUsd.toFixed(2)],
    ]));
    console.log('\nprices:', JSON.stringify(PRICES));
    console.log('assumptions:', JSON.stringify(ASSUMPTIONS));
    console.log('not included: storage, PITR, CloudWatch logs and metrics, data transfer, free tiers, idle polling.');
  } finally {
    await Promise.all([ddb.stop(), sqsServer.stop()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
