/**
 * Helpers shared by the money tests (not a test file itself): a metered DocumentClient, and a meter on the handlers'
 * own client, recording the capacity each request consumed; entries posted straight through the journal module; and
 * sums over the ledger.
 */
import type { ConsumedCapacity, DynamoDBClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import { keys } from '#shared/keys.ts';
import { newId } from '#shared/ids.ts';
import { linesOf, type AccountCode } from '#shared/domain/ledger.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeLedgerStore } from '#shared/data/ledger.ts';
import { transactWrite } from '#shared/data/transact.ts';
import { dynamo as handlerDynamo } from '#shared/platform/clients.ts';
import { addBalances, emptyBalances, type Balances } from '#shared/domain/balances.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { testClients, testResources } from '../support/index.ts';

export interface Usage {
  readUnits: number;
  writeUnits: number;
  requests: string[];
  /** How many actions each TransactWriteItems carried, in order. */
  transactionSizes: number[];
}

const READS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

/** An empty usage record and the function that empties it again. */
function newUsage(): { usage: Usage; reset: () => void } {
  const usage: Usage = { readUnits: 0, writeUnits: 0, requests: [], transactionSizes: [] };
  const reset = () => {
    usage.readUnits = 0;
    usage.writeUnits = 0;
    usage.requests.length = 0;
    usage.transactionSizes.length = 0;
  };
  return { usage, reset };
}

const METER = 'meterCapacity';

/**
 * Adds to a DynamoDB client (and every DocumentClient built on it) a middleware asking each request for
 * `ReturnConsumedCapacity` and recording it.
 */
function addMeter(dynamo: DynamoDBClient, usage: Usage): void {
  const meter: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const transactItems = (args.input as { TransactItems?: unknown[] }).TransactItems;
    if (transactItems) usage.transactionSizes.push(transactItems.length);
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
    const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    const command = context.commandName ?? 'unknown';
    if (READS.has(command)) usage.readUnits += units;
    else usage.writeUnits += units;
    usage.requests.push(command);
    return result;
  };
  dynamo.middlewareStack.add(meter, { step: 'initialize', name: METER });
}

/** A DocumentClient on this file's table whose every request asks for `ReturnConsumedCapacity` and records it. */
export function meteredDocumentClient(): { doc: DynamoDBDocumentClient; usage: Usage; reset: () => void } {
  const { usage, reset } = newUsage();
  const dynamo = localDynamoClient(testResources().dynamoEndpoint);
  addMeter(dynamo, usage);
  return {
    doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    usage,
    reset,
  };
}

/**
 * The capacity `act` consumes through the process's own DynamoDB client (`#shared/platform/clients.ts`, which the
 * handlers use), so a route can be measured as it is called: the meter is added for `act` and removed after it.
 */
export async function meteredHandlerCalls<T>(act: () => Promise<T>): Promise<{ result: T; usage: Usage }> {
  const { usage } = newUsage();
  addMeter(handlerDynamo, usage);
  try {
    return { result: await act(), usage };
  } finally {
    handlerDynamo.middlewareStack.remove(METER);
  }
}

/** Posts a one-posting entry at `postedAt` through the journal module (entry and balance shard, one transaction). */
export async function postEntry(
  postedAt: string,
  debit: AccountCode,
  credit: AccountCode,
  amountCents: number,
): Promise<string> {
  const { doc } = testClients();
  const entryId = newId('journalEntry', Date.parse(postedAt));
  await transactWrite(
    doc,
    makeJournal({ doc, tableName: testResources().tableName }).entryItems({
      entryId,
      postedAt,
      memo: 'test entry',
      source: { type: 'test', id: entryId },
      lines: linesOf([{ debit, credit, amountCents }]),
    }),
  );
  return entryId;
}

/** The sum of every balance shard's running totals. */
export async function shardTotals(): Promise<Balances> {
  const shards = await makeLedgerStore({ doc: testClients().doc, tableName: testResources().tableName }).readShards();
  const total = emptyBalances();
  for (const shard of shards) addBalances(total, shard.current);
  return total;
}

/** Net (debit − credit) of one account in some balances, as a number. */
export function net(balances: Balances, account: AccountCode): number {
  const totals = balances.get(account);
  return totals ? Number(totals.debitCents - totals.creditCents) : 0;
}

/** The raw balance shard items, for tests that look at what a shard stores. */
export async function shardItems(): Promise<Record<string, unknown>[]> {
  const { Items } = await testClients().doc.send(
    new QueryCommand({
      TableName: testResources().tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ledgerBalanceShard.partition({}) },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}
