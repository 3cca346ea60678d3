import {
  TransactionCanceledException,
  ConditionalCheckFailedException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyError } from '#shared/errors.ts';
import { wouldPassDeadline } from '#shared/platform/deadline.ts';
import { updateExpression } from '#shared/data/query.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A transaction whose conditions failed, with the index of every item that failed its condition so the caller can
 * say which business rule stopped it.
 */
export class TransactionConditionError extends Error {
  override name = 'TransactionConditionError';
  constructor(
    readonly failedIndexes: number[],
    readonly reasons: CancellationReason[],
  ) {
    super(`Transaction condition failed at item(s) ${failedIndexes.join(', ')}`);
  }
}

const RETRYABLE = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * Runs one TransactWriteItems and translates cancellation: only `ConditionalCheckFailed` is a business outcome
 * (`TransactionConditionError`); conflicts with other transactions and throttling become `ConcurrencyError`, which
 * callers retry after re-reading.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: TransactItem[],
  options: { clientRequestToken?: string; returnConsumedCapacity?: boolean } = {},
): Promise<void> {
  if (items.length === 0) return;
  if (items.length > 100) throw new Error(`A transaction holds at most 100 items, got ${items.length}`);
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: items,
        ClientRequestToken: options.clientRequestToken,
        ReturnConsumedCapacity: options.returnConsumedCapacity ? 'TOTAL' : undefined,
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException || (error as Error)?.name === 'TransactionCanceledException') {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
      if (reasons.some((reason) => reason.Code && RETRYABLE.has(reason.Code))) {
        throw new ConcurrencyError('Transaction collided with another write; retry');
      }
      if (failed.length > 0) throw new TransactionConditionError(failed, reasons);
    }
    throw error;
  }
}

/** True when a single-item write failed its condition expression. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Retries `attempt` while it throws `ConcurrencyError`, with jittered exponential backoff. Used around
 * read-compute-write cycles guarded by version conditions. Gives up (throwing the last `ConcurrencyError`) after
 * `maxAttempts`, or sooner when the wait would pass the invocation's deadline (`shared/platform/deadline.ts`).
 */
export async function withConcurrencyRetry<T>(attempt: () => Promise<T>, maxAttempts = 25): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || n >= maxAttempts) throw error;
      const cap = Math.min(1000, 10 * 2 ** Math.min(n, 7));
      const wait = Math.random() * cap;
      if (wouldPassDeadline(wait)) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The put creating an item that must not exist yet: a new record, with the index entries its patterns write. */
export function createPut(tableName: string, item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

type GuardValue = string | number | boolean;

/**
 * What an update requires of the item as it was read: each attribute equal to a value, or `{ in: [...] }` one of
 * several. A condition on the state read is how two deciders working from the same reading cannot both win.
 */
export type Guard = Record<string, GuardValue | { in: readonly GuardValue[] }>;

/**
 * The update of the item at `key` setting `set` (an undefined value removes its attribute), only while `guard` holds
 * (`{ status: 'OPEN', version: 3 }` → `#status = :readStatus AND #version = :readVersion`).
 */
export function guardedUpdate(
  tableName: string,
  key: Record<string, unknown>,
  set: Record<string, unknown>,
  guard: Guard,
): TransactItem {
  const update = updateExpression(set);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions = Object.entries(guard).map(([attribute, expected]) => {
    const name = `#${attribute}`;
    const value = `:read${attribute[0]!.toUpperCase()}${attribute.slice(1)}`;
    names[name] = attribute;
    if (typeof expected === 'object') {
      const options = expected.in.map((option, i) => {
        values[`${value}${i}`] = option;
        return `${value}${i}`;
      });
      return `${name} IN (${options.join(', ')})`;
    }
    values[value] = expected;
    return `${name} = ${value}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: key,
      ...update,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...names },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...values },
    },
  };
}
