import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createGateway } from '../../scripts/local/gateway.ts';
import { loadOrCreateSigningKeys } from '../../scripts/local/auth.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../scripts/local/auth-config.ts';
import { handlerLoader } from '../../scripts/local/handlers.ts';
import { receiveBatch } from '../../scripts/local/poller.ts';
import { localSqsClient } from '../../scripts/local/sqs.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { ROUTE_TIMEOUT_SECONDS } from '#infra/manifest.ts';
import { unmatchedRoute, type UnmatchedRouteDecl } from '#shared/manifest.ts';
import { parseGroups } from '#shared/http/auth.ts';
import * as fixture from '../fixtures/local-runtime/manifest.ts';
import { deliveriesOf, recorded } from '../fixtures/local-runtime/recorder.ts';
import { call, startTestStack, tokenFor, type LocalStack } from '../support/stack.ts';
import { eventually } from '../support/index.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack({ manifest: fixture, pollerConcurrency: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('gateway authentication', () => {
  async function expectUnauthorized(token: string | undefined) {
    const response = await call(stack, 'POST', '/v1/echo', { body: { x: 1 }, ...(token ? { token } : {}) });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ title: 'Unauthorized', status: 401, type: expect.any(String) });
  }

  it('refuses a request without a token', async () => {
    await expectUnauthorized(undefined);
  });

  it('refuses an expired token', async () => {
    await expectUnauthorized(await tokenFor(stack, ['ops'], { expiresInSeconds: -60 }));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await tokenFor(stack, ['support'])).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...claimsOf(await tokenFor(stack, ['support'])),
        'cognito:groups': ['admin'],
      }),
    ).toString('base64url');

    await expectUnauthorized(`${header}.${forged}.${signature}`);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const claims = claimsOf(await tokenFor(stack, ['ops']));
    const unsigned = new UnsecuredJWT(claims).encode();

    await expectUnauthorized(unsigned);
  });

  it('refuses a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const claims = claimsOf(await tokenFor(stack, ['ops']));
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);

    await expectUnauthorized(foreign);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    await expectUnauthorized(await tokenFor(stack, ['ops'], { issuer: 'https://issuer.example' }));
    await expectUnauthorized(await tokenFor(stack, ['ops'], { audience: 'someone-else' }));
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const keys = await loadOrCreateSigningKeys(stack.dataDir);
    const secret = new TextEncoder().encode(JSON.stringify(keys.publicJwk));
    const hs = await new SignJWT({ 'cognito:groups': ['ops'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);

    await expectUnauthorized(hs);
  });

  it('lets a public route through without a token, with no authorizer in the event', async () => {
    const response = await call(stack, 'GET', '/v1/public');

    expect(response.status).toBe(200);
    expect(response.body.event.requestContext.authorizer).toBeUndefined();
  });
});

describe('gateway routing and events', () => {
  it('answers an unknown route with 404 problem details', async () => {
    const response = await call(stack, 'GET', '/v1/nothing-here', { roles: ['ops'] });
    const wrongMethod = await call(stack, 'DELETE', '/v1/echo', { roles: ['ops'] });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /v1/nothing-here.',
    });
    expect(wrongMethod.status).toBe(404);
  });

  it('passes odd group names as API Gateway does, and they read as no role', async () => {
    const token = await tokenFor(stack, [], {
      extraClaims: { 'cognito:groups': ['ops,admin', '"admin"', 'support'] },
    });
    const spaced = await tokenFor(stack, [], { extraClaims: { 'cognito:groups': ['admin '] } });

    const odd = (await call(stack, 'POST', '/v1/echo', { token, body: {} })).body.event;
    const trailing = (await call(stack, 'POST', '/v1/echo', { token: spaced, body: {} })).body.event;

    expect(odd.requestContext.authorizer.jwt.claims['cognito:groups']).toBe('[ops,admin "admin" support]');
    expect(parseGroups(odd.requestContext.authorizer.jwt.claims['cognito:groups'])).toEqual(['support']);
    expect(trailing.requestContext.authorizer.jwt.claims['cognito:groups']).toBe('[admin ]');
    expect(parseGroups(trailing.requestContext.authorizer.jwt.claims['cognito:groups'])).toEqual([]);
  });

  it('hands the handler an API Gateway payload 2.0 event with string claims', async () => {
    const token = await tokenFor(stack, ['ops', 'admin'], { sub: 'alice' });

    const response = await call(stack, 'POST', '/v1/echo?b=2&a=1&a=3', {
      token,
      body: { hello: 'world' },
      headers: { 'X-Custom': 'yes', cookie: 'c1=v1; c2=v2' },
    });
    const { event, context } = response.body;

    expect(response.status).toBe(200);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/echo',
      rawPath: '/v1/echo',
      rawQueryString: 'b=2&a=1&a=3',
      queryStringParameters: { b: '2', a: '1,3' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      cookies: ['c1=v1', 'c2=v2'],
      requestContext: {
        http: { method: 'POST', path: '/v1/echo', sourceIp: '127.0.0.1' },
        routeKey: 'POST /v1/echo',
        stage: '$default',
        requestId: expect.any(String),
        timeEpoch: expect.any(Number),
        authorizer: { jwt: { scopes: null } },
      },
    });
    expect(event.headers['x-custom']).toBe('yes');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    const claims = event.requestContext.authorizer.jwt.claims as Record<string, unknown>;
    expect(claims['cognito:groups']).toBe('[ops admin]');
    expect(claims.sub).toBe('alice');
    expect(claims.iss).toBe(LOCAL_ISSUER);
    expect(claims.exp).toMatch(/^\d+$/);
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(context.functionName).toMatch(/echo/);
    expect(context.remaining).toBeGreaterThan(0);
    // The route function's timeout in the stack (infra/manifest.ts), not API Gateway's 30 s.
    expect(context.remaining).toBeLessThanOrEqual(ROUTE_TIMEOUT_SECONDS * 1000);
  });

  it('writes the structured result: status, headers, cookies, body', async () => {
    const response = await call(stack, 'GET', '/v1/public');

    expect(response.headers.get('x-fixture')).toBe('echo');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('fills path parameters, decoded, and prefers literal segments', async () => {
    const byId = await call(stack, 'GET', '/v1/things/a%20b/parts/p-1', { roles: ['ops'] });
    const literal = await call(stack, 'GET', '/v1/things/special', { roles: ['ops'] });

    expect(byId.body.event.routeKey).toBe('GET /v1/things/{thingId}/parts/{partId}');
    expect(byId.body.event.pathParameters).toEqual({ thingId: 'a b', partId: 'p-1' });
    expect(literal.body.event.routeKey).toBe('GET /v1/things/special');
    expect(literal.body.event.pathParameters).toBeUndefined();
  });

  it('gives each handler the stack environment', async () => {
    const response = await call(stack, 'GET', '/v1/public');

    expect(response.body.env.TABLE_NAME).toBe(stack.tableName);
    expect(response.body.env.QUEUE_URL_FIXTURE).toBe(stack.queues[0]?.url);
  });

  it('answers a handler that throws with a bare 500 and no internals', async () => {
    const response = await call(stack, 'GET', '/v1/boom');

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('internal detail');
  });

  it('answers 501 for a route whose handler module does not exist yet', async () => {
    const response = await call(stack, 'GET', '/v1/missing');

    expect(response.status).toBe(501);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('gateway readiness and limits', () => {
  let server: Server;
  let url: string;
  let ready = false;
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-'));

  beforeAll(async () => {
    const loader = handlerLoader(PROJECT_ROOT);
    server = createGateway({
      routes: fixture.routes,
      keys: await loadOrCreateSigningKeys(dataDir),
      isReady: () => ready,
      handlerExists: (route) => loader.exists(route.handler),
      loadHandler: (route) => loader.load(route.handler),
      maxBodyBytes: 1024,
      functionTimeoutMs: 1000,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health 503 problem details until the stack is ready, then 200 {"status":"ok"}', async () => {
    const before = await fetch(`${url}/health`);
    ready = true;
    const after = await fetch(`${url}/health`);

    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ok' });
  });

  it(
    "gives a route the function's timeout, " + 'and answers one still running at its end as a timed-out Lambda: 500',
    async () => {
      ready = true;
      const quick = await fetch(`${url}/v1/slow?ms=10`);
      const late = await fetch(`${url}/v1/slow?ms=3000`);

      expect(quick.status).toBe(200);
      const { remainingAtStart } = (await quick.json()) as { remainingAtStart: number };
      expect(remainingAtStart).toBeGreaterThan(0);
      expect(remainingAtStart).toBeLessThanOrEqual(1000);
      expect(late.status).toBe(500);
      expect(await late.json()).toEqual({ message: 'Internal Server Error' });
    },
  );

  it('refuses a body over the gateway limit with 413', async () => {
    ready = true;
    const small = await fetch(`${url}/v1/echo`, {
      method: 'POST',
      body: 'x'.repeat(512),
      headers: { authorization: `Bearer ${await tokenFor({ dataDir }, ['ops'])}` },
    });
    const posted = await fetch(`${url}/v1/echo`, {
      method: 'POST',
      body: 'x'.repeat(2048),
      headers: { authorization: `Bearer ${await tokenFor({ dataDir }, ['ops'])}` },
    });

    expect(small.status).toBe(200);
    expect(posted.status).toBe(413);
    expect(posted.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('gateway $default route', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-default-'));
  const servers: Server[] = [];

  /** A ready gateway over the fixture routes whose requests that match none go to `unmatched`. */
  async function gatewayWith(unmatched: UnmatchedRouteDecl): Promise<{ url: string; dataDir: string }> {
    const loader = handlerLoader(PROJECT_ROOT);
    const server = createGateway({
      routes: fixture.routes,
      unmatchedRoute: unmatched,
      keys: await loadOrCreateSigningKeys(dataDir),
      isReady: () => true,
      handlerExists: (target) => loader.exists(target.handler),
      loadHandler: (target) => loader.load(target.handler),
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dataDir };
  }

  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'hands a request no route matches to the $default handler with route key $default, ' + 'once its token is checked',
    async () => {
      const gateway = await gatewayWith({ handler: 'test/fixtures/local-runtime/echo', permissions: {} });

      const signedIn = await call(gateway, 'GET', '/v1/nothing-here?x=1', { roles: ['ops'] });
      const badToken = await call(gateway, 'DELETE', '/v1/echo', { token: 'not-a-token' });
      const noToken = await call(gateway, 'GET', '/v1/nothing-here');

      expect(signedIn.status).toBe(200);
      expect(signedIn.body.event).toMatchObject({
        routeKey: '$default',
        rawPath: '/v1/nothing-here',
        queryStringParameters: { x: '1' },
        requestContext: { routeKey: '$default', http: { method: 'GET', path: '/v1/nothing-here' } },
      });
      expect(signedIn.body.event.requestContext.authorizer.jwt.claims['cognito:groups']).toBeDefined();
      expect(signedIn.body.event.pathParameters).toBeUndefined();
      expect([badToken.status, noToken.status]).toEqual([401, 401]);
      expect(badToken.headers.get('content-type')).toBe('application/problem+json');
    },
  );

  it(
    'answers through functions/ops/not-found ' + 'with the body the gateway makes when it has no such handler',
    async () => {
      const gateway = await gatewayWith(unmatchedRoute);

      const viaHandler = await call(gateway, 'GET', '/v1/nothing-here', { roles: ['ops'] });
      const wrongMethod = await call(gateway, 'DELETE', '/v1/echo', { roles: ['ops'] });
      const builtIn = await call(stack, 'GET', '/v1/nothing-here', { roles: ['ops'] });
      // A manifest without a $default handler: the gateway answers itself, with no token check, as API Gateway does.
      const builtInAnonymous = await call(stack, 'GET', '/v1/nothing-here');

      expect(viaHandler.status).toBe(404);
      expect(viaHandler.headers.get('content-type')).toBe('application/problem+json');
      expect(viaHandler.body).toEqual(builtIn.body);
      expect(viaHandler.body.detail).toBe('No route for GET /v1/nothing-here.');
      expect(wrongMethod.status).toBe(404);
      expect(wrongMethod.body.detail).toBe('No route for DELETE /v1/echo.');
      expect(builtInAnonymous.status).toBe(404);
      expect(builtInAnonymous.body).toEqual(builtIn.body);
    },
  );
});

describe('queue pollers', () => {
  const sqs = () => localSqsClient(stack.sqsEndpoint);
  const queue = () => {
    const q = stack.queues[0];
    if (!q) throw new Error('fixture queue missing');
    return q;
  };

  async function send(...bodies: object[]) {
    const client = sqs();
    for (let i = 0; i < bodies.length; i += 10) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue().url,
          Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: JSON.stringify(b) })),
        }),
      );
    }
    client.destroy();
  }

  let run = 0;
  let id: (name: string) => string;
  beforeEach(() => {
    run += 1;
    const prefix = `r${run}-${Date.now()}`;
    id = (name) => `${prefix}-${name}`;
  });

  // Not a speed check (the machine is shared): a poller stuck in a 20 s long poll, as local-aws-sqs does with
  // MaxNumberOfMessages > 1 and a wait time, would miss this generous deadline by far.
  it('delivers a message to its processor without waiting out a long poll', async () => {
    await send({ id: id('fast') });

    await eventually(() => deliveriesOf(id('fast')).length === 1, 8000, 10);

    expect(deliveriesOf(id('fast'))).toHaveLength(1);
  });

  it('builds SQS records like the Lambda event source', async () => {
    await send({ id: id('shape') });

    await eventually(() => deliveriesOf(id('shape')).length === 1);
    const record = recorded()
      .batches.flatMap((b) => b.event.Records)
      .find((r) => r.body.includes(id('shape')));

    expect(record).toMatchObject({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      eventSource: 'aws:sqs',
      eventSourceARN: queue().arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d+$/) },
      messageAttributes: {},
    });
  });

  it(
    'deletes only the successes of a partially failed batch, ' +
      'and redelivers the failure after the visibility timeout',
    async () => {
      await send({ id: id('ok1') }, { id: id('fails-once'), failTimes: 1 }, { id: id('ok2') });

      await eventually(() => deliveriesOf(id('fails-once')).length === 2, 5000);
      await new Promise((r) => setTimeout(r, 1300));
      const failing = deliveriesOf(id('fails-once'));

      expect(deliveriesOf(id('ok1'))).toHaveLength(1);
      expect(deliveriesOf(id('ok2'))).toHaveLength(1);
      expect(failing.map((d) => d.receiveCount)).toEqual([1, 2]);
      // The 1 s visibility timer starts in the SQS server and the deliveries are stamped in this process, so the gap
      // seen here can be shorter by a stall; an immediate redelivery would come within one ~40 ms receive window.
      expect((failing[1]?.at ?? 0) - (failing[0]?.at ?? 0)).toBeGreaterThanOrEqual(500);
    },
  );

  it('deletes nothing when the processor throws', async () => {
    await send({ id: id('thrower'), throw: true }, { id: id('bystander') });

    await eventually(() => deliveriesOf(id('bystander')).length === 2, 5000);

    expect(deliveriesOf(id('thrower')).map((d) => d.receiveCount)).toEqual([1, 2]);
    expect(deliveriesOf(id('bystander')).map((d) => d.receiveCount)).toEqual([1, 2]);
  });

  it('moves a message that always fails to the dead-letter queue after maxReceiveCount receives', async () => {
    const maxReceiveCount = queue().decl.maxReceiveCount;
    await send({ id: id('poison'), failTimes: 99 });

    const client = sqs();
    const deadLetters = await eventually(
      async () => {
        const messages = await receiveBatch(client, queue().dlqUrl, 10);
        return messages.length > 0 ? messages : undefined;
      },
      10_000,
      100,
    );
    client.destroy();

    expect(deadLetters.map((m) => JSON.parse(m.Body ?? '{}').id)).toEqual([id('poison')]);
    expect(deliveriesOf(id('poison')).map((d) => d.receiveCount)).toEqual(
      Array.from({ length: maxReceiveCount }, (_, i) => i + 1),
    );
  });

  it('delivers at most the batch size per invocation', async () => {
    const bodies = Array.from({ length: 15 }, (_, i) => ({ id: id(`bulk-${i}`) }));
    await send(...bodies);

    await eventually(() => bodies.every((b) => deliveriesOf(b.id).length === 1), 5000);

    const sizes = bodies.map((b) => deliveriesOf(b.id)[0]?.batchSize ?? 0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(queue().decl.batchSize);
  });
});

describe('scheduler', () => {
  it('runs a job with an EventBridge Scheduled Event carrying the given detail', async () => {
    await stack.runJob('fixture-job', { date: '2026-01-02' });

    const last = recorded().jobs.at(-1);
    expect(last?.event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      region: 'us-east-1',
      resources: [],
      detail: { date: '2026-01-02' },
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    expect(last?.functionName).toContain('fixture-job');
  });
});
