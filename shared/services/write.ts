import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyError } from '#shared/errors.ts';
import { TransactionConditionError, transactWrite, type TransactItem } from '#shared/data/transact.ts';

export interface ServiceDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

/**
 * Builds the transaction item that remembers an `Idempotency-Key` answer, from the result of the write it goes
 * into (the route's `ctx.idempotency.record(...)`), so the answer and the change exist together or not at all.
 */
export type Remember<T> = (result: T) => TransactItem;

/**
 * Runs a transaction that carries an idempotency record as its last item. A failed record condition means a request
 * with the same key won: that error goes up unchanged so the HTTP stack replays the winner's answer. Any other
 * failed condition means what was read changed meanwhile: a `ConcurrencyError`, so the caller re-reads and retries.
 */
export async function writeOrRetry(
  doc: DynamoDBDocumentClient,
  items: TransactItem[],
  rememberIndex: number | undefined,
): Promise<void> {
  try {
    await transactWrite(doc, items);
  } catch (error) {
    if (error instanceof TransactionConditionError) {
      if (rememberIndex !== undefined && error.failedIndexes.includes(rememberIndex)) throw error;
      throw new ConcurrencyError('What the write was based on changed; re-read and retry');
    }
    throw error;
  }
}

/** Appends the idempotency record (when there is one) and returns its index. */
export function withRemember<T>(
  items: TransactItem[],
  remember: Remember<T> | undefined,
  result: T,
): number | undefined {
  if (!remember) return undefined;
  items.push(remember(result));
  return items.length - 1;
}
