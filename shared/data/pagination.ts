import { createHmac, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { InvalidCursorError } from '#shared/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Key = Record<string, string | number>;

/** The keys cursors are signed with: new cursors with `current`; one signed with `previous` is still accepted. */
export interface CursorKeys {
  current: string;
  previous?: string;
}

/** How long a function keeps the keys it read before reading them again (so a rotation reaches warm functions). */
export const CURSOR_KEY_REFRESH_MS = 10 * 60_000;

let cached: { keys: Promise<CursorKeys>; readAt: number } | undefined;
let secrets: SecretsManagerClient | undefined;

/** The two versions of the cursor key secret: `AWSCURRENT`, and `AWSPREVIOUS` once it was rotated. */
async function keysFromSecret(secretId: string): Promise<CursorKeys> {
  secrets ??= new SecretsManagerClient({});
  const read = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    try {
      const { SecretString } = await secrets!.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }),
      );
      return SecretString;
    } catch (error) {
      // A secret never rotated has no previous version.
      if (stage === 'AWSPREVIOUS' && (error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };
  const [current, previous] = await Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')]);
  if (!current) throw new Error('The cursor key secret has no current value');
  return previous && previous !== current ? { current, previous } : { current };
}

/**
 * The cursor signing keys (docs/decisions.md#cursors-are-signed). On AWS, the Secrets Manager secret that
 * `CURSOR_KEY_SECRET_ARN` names (generated at deploy), read on a function's first list request and again after
 * `CURSOR_KEY_REFRESH_MS`; locally `CURSOR_SECRET` (a random key per data folder) and, to try a rotation,
 * `CURSOR_SECRET_PREVIOUS`.
 */
export function cursorKeys(env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<CursorKeys> {
  if (env.CURSOR_SECRET) {
    return Promise.resolve({
      current: env.CURSOR_SECRET,
      ...(env.CURSOR_SECRET_PREVIOUS ? { previous: env.CURSOR_SECRET_PREVIOUS } : {}),
    });
  }
  const secretId = env.CURSOR_KEY_SECRET_ARN;
  if (!secretId) {
    return Promise.reject(new Error('No cursor key: set CURSOR_KEY_SECRET_ARN (AWS) or CURSOR_SECRET (local)'));
  }
  if (!cached || now - cached.readAt >= CURSOR_KEY_REFRESH_MS) {
    const keys = keysFromSecret(secretId);
    const entry = { keys, readAt: now };
    cached = entry;
    // A failed read is not kept: the next request tries again.
    keys.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.keys;
}

/** Forgets the keys read (tests). */
export function resetCursorKeys(): void {
  cached = undefined;
}

function sign(key: string, payload: string, scope: string): string {
  return createHmac('sha256', key).update(scope).update('\n').update(payload).digest('base64url').slice(0, 22);
}

function signedWith(key: string | undefined, payload: string, scope: string, signature: string): boolean {
  if (key === undefined) return false;
  const expected = Buffer.from(sign(key, payload, scope));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Turns DynamoDB's `LastEvaluatedKey` into an opaque cursor, signed together with the query it belongs to
 * (`scope`), so a client cannot forge a start key or replay a cursor against another list.
 */
export async function encodeCursor(lastKey: Key | undefined, scope: string): Promise<string | null> {
  if (!lastKey) return null;
  const payload = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
  return `${payload}.${sign((await cursorKeys()).current, payload, scope)}`;
}

/**
 * Verifies (with the current key, or the previous one while a rotation settles) and decodes a cursor made by
 * `encodeCursor` for the same `scope`; anything else throws
 * `InvalidCursorError` (a 400 at the API).
 */
export async function decodeCursor(cursor: string | undefined, scope: string): Promise<Key | undefined> {
  if (cursor === undefined) return undefined;
  const invalid = () => new InvalidCursorError();
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid();
  const keys = await cursorKeys();
  if (!signedWith(keys.current, payload, scope, signature) && !signedWith(keys.previous, payload, scope, signature)) {
    throw invalid();
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return z.record(z.string(), z.union([z.string(), z.number()])).parse(parsed);
  } catch {
    throw invalid();
  }
}
