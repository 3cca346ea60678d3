import { createHash } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { HttpProblem } from '#shared/http/problem.ts';
import type { TransactItem } from '#shared/data/transact.ts';

const DAY_SECONDS = 24 * 60 * 60;

/** `Idempotency-Key`: 1–128 printable ASCII characters (docs/contract.md#conventions). */
export const idempotencyKeySchema = z.string().regex(/^[\x20-\x7e]{1,128}$/, 'Must be 1-128 printable characters');

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request's claim on an idempotency key. A creating handler puts `record(response)` into the same transaction
 * that creates the resource, so the resource and the remembered answer exist together or not at all: ten parallel
 * requests with one key create one resource, and the losers replay the winner's answer.
 */
export class IdempotencyClaim {
  used = false;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly recordKey: { pk: string; sk: string },
    readonly requestHash: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The transaction item remembering `response`; it fails its condition if another request holds the key. */
  record(response: StoredResponse): TransactItem {
    this.used = true;
    return { Put: this.putInput(response) };
  }

  private putInput(response: StoredResponse) {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    return {
      TableName: this.tableName,
      Item: {
        ...this.recordKey,
        entity: 'idempotency',
        requestHash: this.requestHash,
        response,
        createdAt: this.now().toISOString(),
        expiresAt: nowSeconds + DAY_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': nowSeconds },
    };
  }

  /**
   * The answer to replay when the key was already used within 24 hours: the stored response for the same body,
   * a 422 for a different one, `undefined` when the key is free.
   */
  async replay(): Promise<StoredResponse | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: this.recordKey, ConsistentRead: true }),
    );
    if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt < Math.floor(this.now().getTime() / 1000))) {
      return undefined;
    }
    if (Item.requestHash !== this.requestHash) {
      throw new HttpProblem(422, 'This Idempotency-Key was already used with a different request body.');
    }
    const stored = Item.response as StoredResponse;
    return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
  }
}

/**
 * Builds the claim for a request, scoped to the caller (`sub`) and the route as docs/contract.md#conventions requires.
 * The request hash covers the raw body, so any change to it is "a different body".
 */
export function claimIdempotencyKey(
  doc: DynamoDBDocumentClient,
  tableName: string,
  scope: { sub: string; routeKey: string; key: string; body: string },
): IdempotencyClaim {
  const digest = createHash('sha256').update(`${scope.sub}\n${scope.routeKey}\n${scope.key}`).digest('base64url');
  const requestHash = createHash('sha256').update(scope.body).digest('base64url');
  return new IdempotencyClaim(
    doc,
    tableName,
    keys.idempotency.key({ hash: digest }) as { pk: string; sk: string },
    requestHash,
  );
}
