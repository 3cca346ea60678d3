import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Context } from 'aws-lambda';
import { httpRoute, type ApiEvent, MAX_BODY_BYTES } from '#shared/http/route.ts';
import { parseGroups } from '#shared/http/auth.ts';
import {
  CURSOR_KEY_REFRESH_MS,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  resetCursorKeys,
} from '#shared/data/pagination.ts';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ConcurrencyError, ConflictError, NotFoundError } from '#shared/errors.ts';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';

const context = { functionName: 'test', awsRequestId: 'req-1' } as unknown as Context;

function event(overrides: {
  body?: string;
  contentType?: string | null;
  groups?: string;
  sub?: string | null;
  query?: Record<string, string>;
  params?: Record<string, string>;
}): ApiEvent {
  const headers: Record<string, string> = {};
  if (overrides.contentType !== null) headers['content-type'] = overrides.contentType ?? 'application/json';
  const claims: Record<string, string> = { 'cognito:groups': overrides.groups ?? '[front-office]' };
  if (overrides.sub !== null) claims.sub = overrides.sub ?? 'user-1';
  return {
    version: '2.0',
    routeKey: 'POST /v1/orders',
    rawPath: '/v1/orders',
    rawQueryString: '',
    headers,
    queryStringParameters: overrides.query,
    pathParameters: overrides.params,
    body: overrides.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'api-req-1',
      authorizer: { jwt: { claims, scopes: null }, principalId: '', integrationLatency: 0 },
    },
  } as unknown as ApiEvent;
}

const bodySchema = z.object({
  name: z.string().min(1),
  lines: z.array(z.object({ quantity: z.number().int().min(1) })).min(1),
});

const echo = httpRoute({ route: 'POST /v1/orders', body: bodySchema }, async ({ body, caller }) => ({
  status: 200,
  body: { body, sub: caller.sub },
}));

async function call(handler: (e: ApiEvent, c: Context) => Promise<unknown>, e: ApiEvent) {
  const result = (await handler(e, context)) as { statusCode: number; headers: Record<string, string>; body: string };
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

describe('the shared HTTP stack', () => {
  it('passes a valid body through, stripped of unknown fields', async () => {
    const res = await call(echo, event({ body: JSON.stringify({ name: 'a', lines: [{ quantity: 1 }], extra: true }) }));
    expect(res.statusCode).toBe(200);
    expect(res.json.body).toEqual({ name: 'a', lines: [{ quantity: 1 }] });
  });

  it('lists every invalid field with its path as a 400 problem', async () => {
    const res = await call(
      echo,
      event({ body: JSON.stringify({ name: '', lines: [{ quantity: 0 }, { quantity: 'x' }] }) }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'lines.0.quantity',
      'lines.1.quantity',
      'name',
    ]);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await call(echo, event({ body: '{"name": ' }));
    expect(res.statusCode).toBe(400);
    expect(res.json.detail).toMatch(/not valid JSON/);
  });

  it('answers a body of another content type with 415', async () => {
    expect(
      (await call(echo, event({ body: 'name=a', contentType: 'application/x-www-form-urlencoded' }))).statusCode,
    ).toBe(415);
    expect((await call(echo, event({ body: '{}', contentType: null }))).statusCode).toBe(415);
  });

  it('accepts application/json with a charset', async () => {
    const res = await call(
      echo,
      event({
        body: JSON.stringify({ name: 'a', lines: [{ quantity: 1 }] }),
        contentType: 'application/json; charset=utf-8',
      }),
    );
    expect(res.statusCode).toBe(200);
  });

  it('answers a body over 64 KiB with 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), lines: [{ quantity: 1 }] });
    expect((await call(echo, event({ body: big }))).statusCode).toBe(413);
  });

  it('refuses a caller without the route role with 403, and lets admin through', async () => {
    const body = JSON.stringify({ name: 'a', lines: [{ quantity: 1 }] });
    expect((await call(echo, event({ body, groups: '[support]' }))).statusCode).toBe(403);
    expect((await call(echo, event({ body, groups: '[admin]' }))).statusCode).toBe(200);
  });

  it('refuses a request without verified claims with 401', async () => {
    expect((await call(echo, event({ body: '{}', sub: null }))).statusCode).toBe(401);
  });

  it('maps domain errors to problems and hides internals of unexpected ones', async () => {
    const failing = (error: Error) =>
      httpRoute({ route: 'POST /v1/orders' }, async () => {
        throw error;
      });
    expect((await call(failing(new NotFoundError('no such order')), event({}))).statusCode).toBe(404);
    expect((await call(failing(new ConflictError('not allowed')), event({}))).statusCode).toBe(409);
    const crash = await call(failing(new Error('secret table name leaked')), event({}));
    expect(crash.statusCode).toBe(500);
    expect(crash.body).not.toMatch(/secret/);
    expect(crash.json).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it(
    'answers 503 with Retry-After when the table is busy: retries against other writers used up, ' + 'or throttled',
    async () => {
      const failing = (error: Error) =>
        httpRoute({ route: 'POST /v1/orders' }, async () => {
          throw error;
        });
      const throttled = new ProvisionedThroughputExceededException({
        message: 'Throughput exceeds the table limit on ORDER#x',
        $metadata: {},
      });

      for (const error of [new ConcurrencyError('Transaction collided with another write; retry'), throttled]) {
        const answer = await call(failing(error), event({}));
        expect(answer.statusCode, error.name).toBe(503);
        expect(answer.headers?.['retry-after']).toBe('1');
        expect(answer.headers?.['content-type']).toBe('application/problem+json');
        expect(answer.json).toEqual({
          type: 'urn:back-office:problem:service-unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The back office is busy; retry in a moment.',
        });
      }
    },
  );

  it('validates query parameters with their path', async () => {
    const list = httpRoute(
      { route: 'POST /v1/orders', query: z.object({ limit: z.coerce.number().int().max(200) }) },
      async ({ query }) => ({ status: 200, body: query }),
    );
    const res = await call(list, event({ query: { limit: '500' } }));
    expect(res.statusCode).toBe(400);
    expect(res.json.errors[0].path).toBe('query.limit');
  });
});

describe('role claims', () => {
  it('reads groups as API Gateway flattens an array claim: space-separated names in brackets', () => {
    expect(parseGroups('[ops admin]')).toEqual(['ops', 'admin']);
    expect(parseGroups('[it]')).toEqual(['it']);
    expect(parseGroups('[ops superuser]')).toEqual(['ops']);
    expect(parseGroups('[]')).toEqual([]);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('compares names exactly: odd group names are no role, never admin', () => {
    // What API Gateway passes for a token whose groups are ["ops,admin"], ["admin "] and ['"admin"'].
    expect(parseGroups('[ops,admin]')).toEqual([]);
    expect(parseGroups('[admin ]')).toEqual([]);
    expect(parseGroups('["admin"]')).toEqual([]);
    expect(parseGroups('[ops,admin support]')).toEqual(['support']);
    expect(parseGroups('["ops","admin"]')).toEqual([]);
    expect(parseGroups('[Admin]')).toEqual([]);
    expect(parseGroups('[[admin]]')).toEqual([]);
  });

  it('grants nothing for a claim that does not split cleanly or is not the flattened string', () => {
    expect(parseGroups('[ admin]')).toEqual([]);
    expect(parseGroups('[ops  admin]')).toEqual([]);
    expect(parseGroups('[ops\tadmin]')).toEqual([]);
    expect(parseGroups('admin')).toEqual([]);
    expect(parseGroups('ops admin')).toEqual([]);
    expect(parseGroups(' [admin]')).toEqual([]);
    expect(parseGroups(['admin'])).toEqual([]);
    expect(parseGroups(42)).toEqual([]);
  });

  it('refuses a token whose odd group names look like admin', async () => {
    const body = JSON.stringify({ name: 'a', lines: [{ quantity: 1 }] });
    for (const groups of ['[ops,admin]', '[admin ]', '["admin"]', '[front-office,admin]']) {
      expect((await call(echo, event({ body, groups }))).statusCode).toBe(403);
    }
  });
});

describe('cursors', () => {
  it('round-trips a start key for the same list', async () => {
    const key = { pk: 'ORDER#1', sk: 'ORDER', gsi1pk: 'ORDER#STATUS#OPEN', gsi1sk: '2026' };
    const cursor = (await encodeCursor(key, 'ORDER#STATUS#OPEN'))!;
    expect(await decodeCursor(cursor, 'ORDER#STATUS#OPEN')).toEqual(key);
  });

  it('refuses a tampered cursor or one from another list', async () => {
    const cursor = (await encodeCursor({ pk: 'A', sk: 'B' }, 'list-1'))!;
    const [payload, sig] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ pk: 'C', sk: 'B' })).toString('base64url');
    await expect(decodeCursor(`${forged}.${sig}`, 'list-1')).rejects.toThrow(/cursor/);
    await expect(decodeCursor(cursor, 'list-2')).rejects.toThrow(/cursor/);
    await expect(decodeCursor(`${payload}`, 'list-1')).rejects.toThrow(/cursor/);
    await expect(decodeCursor('garbage!!', 'list-1')).rejects.toThrow(/cursor/);
  });
});

describe('cursor keys', () => {
  const saved = { ...process.env };
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => {
    process.env = { ...saved };
    secrets.reset();
    resetCursorKeys();
  });

  it('keeps cursors in flight across a rotation: the previous key still opens them, an older one not', async () => {
    process.env.CURSOR_SECRET = 'key-1';
    const first = (await encodeCursor({ pk: 'A', sk: 'B' }, 'list'))!;
    process.env.CURSOR_SECRET = 'key-2';
    process.env.CURSOR_SECRET_PREVIOUS = 'key-1';
    const second = (await encodeCursor({ pk: 'A', sk: 'B' }, 'list'))!;
    expect(second).not.toBe(first);
    expect(await decodeCursor(first, 'list')).toEqual({ pk: 'A', sk: 'B' });
    process.env.CURSOR_SECRET = 'key-3';
    process.env.CURSOR_SECRET_PREVIOUS = 'key-2';
    expect(await decodeCursor(second, 'list')).toEqual({ pk: 'A', sk: 'B' });
    await expect(decodeCursor(first, 'list')).rejects.toThrow(/cursor/);
  });

  it('reads the secret on AWS once, both versions, and again after the refresh interval', async () => {
    delete process.env.CURSOR_SECRET;
    process.env.CURSOR_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor-key';
    secrets
      .on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'current-key' })
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: 'previous-key' });
    const t0 = Date.now();
    expect(await cursorKeys(process.env, t0)).toEqual({ current: 'current-key', previous: 'previous-key' });
    await cursorKeys(process.env, t0 + CURSOR_KEY_REFRESH_MS - 1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    await cursorKeys(process.env, t0 + CURSOR_KEY_REFRESH_MS);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  it('works with a secret never rotated, and does not keep a failed read', async () => {
    delete process.env.CURSOR_SECRET;
    process.env.CURSOR_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor-key';
    const missing = Object.assign(new Error('no such version'), { name: 'ResourceNotFoundException' });
    secrets
      .on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'only-key' })
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(missing);
    await expect(cursorKeys(process.env, 1)).rejects.toThrow('throttled');
    expect(await cursorKeys(process.env, 2)).toEqual({ current: 'only-key' });
  });

  it('refuses to sign without a key', async () => {
    delete process.env.CURSOR_SECRET;
    delete process.env.CURSOR_KEY_SECRET_ARN;
    await expect(encodeCursor({ pk: 'A', sk: 'B' }, 'list')).rejects.toThrow(/cursor key/);
  });
});
