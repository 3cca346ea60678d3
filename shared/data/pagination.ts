import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { InvalidCursorError } from '#shared/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Key = Record<string, string | number>;

function secret(): string {
  return process.env.CURSOR_SECRET ?? 'back-office-local-cursor-key';
}

function sign(payload: string, scope: string): string {
  return createHmac('sha256', secret()).update(scope).update('\n').update(payload).digest('base64url').slice(0, 22);
}

/**
 * Turns DynamoDB's `LastEvaluatedKey` into an opaque cursor, signed together with the query it belongs to
 * (`scope`), so a client cannot forge a start key or replay a cursor against another list.
 */
export function encodeCursor(lastKey: Key | undefined, scope: string): string | null {
  if (!lastKey) return null;
  const payload = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
  return `${payload}.${sign(payload, scope)}`;
}

/**
 * Verifies and decodes a cursor made by `encodeCursor` for the same `scope`; anything else throws
 * `InvalidCursorError` (a 400 at the API).
 */
export function decodeCursor(cursor: string | undefined, scope: string): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new InvalidCursorError();
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid();
  const expected = Buffer.from(sign(payload, scope));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return z.record(z.string(), z.union([z.string(), z.number()])).parse(parsed);
  } catch {
    throw invalid();
  }
}
