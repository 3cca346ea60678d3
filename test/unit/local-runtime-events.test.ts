import { describe, expect, it } from 'vitest';
import { routes } from '#shared/manifest.ts';
import { claimsAsApiGatewayPassesThem } from '../../scripts/local/events.ts';
import { Router } from '../../scripts/local/router.ts';
import { apiEvent, invokeProcessor, sqsMessage } from '../support/index.ts';

describe('claims as API Gateway passes them', () => {
  it('turns arrays into "[a b]" strings and numbers and booleans into strings', () => {
    const claims = claimsAsApiGatewayPassesThem({
      sub: 'u1',
      'cognito:groups': ['ops', 'admin'],
      exp: 1700000000,
      email_verified: true,
      missing: undefined,
    });

    expect(claims).toEqual({ sub: 'u1', 'cognito:groups': '[ops admin]', exp: '1700000000', email_verified: 'true' });
  });
});

describe('router', () => {
  const router = new Router([
    { method: 'GET', path: '/v1/a/{id}', handler: 'h1', roles: 'public', permissions: {} },
    { method: 'GET', path: '/v1/a/fixed', handler: 'h2', roles: 'public', permissions: {} },
    { method: 'GET', path: '/v1/files/{path+}', handler: 'h3', roles: 'public', permissions: {} },
  ]);

  it('prefers literal segments over parameters', () => {
    expect(router.match('GET', '/v1/a/fixed')?.route.handler).toBe('h2');
    expect(router.match('GET', '/v1/a/other')?.pathParameters).toEqual({ id: 'other' });
  });

  it('matches greedy parameters and nothing for other methods or lengths', () => {
    expect(router.match('GET', '/v1/files/x/y.txt')?.pathParameters).toEqual({ path: 'x/y.txt' });
    expect(router.match('POST', '/v1/a/fixed')).toBeUndefined();
    expect(router.match('GET', '/v1/a/x/y')).toBeUndefined();
    expect(router.match('GET', '/v1/a')).toBeUndefined();
  });

  it('matches every manifest route by its own path', () => {
    const manifestRouter = new Router(routes);
    for (const route of routes) {
      const path = route.path.replace(/\{(\w+)\+?\}/g, 'sample');
      expect(manifestRouter.match(route.method, path)?.routeKey, route.path).toBe(`${route.method} ${route.path}`);
    }
  });
});

describe('test helpers', () => {
  it('apiEvent builds the event the gateway builds, route key and path parameters from the manifest', () => {
    const event = apiEvent({
      method: 'GET',
      path: '/v1/orders/o-1',
      roles: ['support', 'ops'],
      sub: 'u-7',
      query: { limit: 5 },
    });

    expect(event.routeKey).toBe('GET /v1/orders/{orderId}');
    expect(event.pathParameters).toEqual({ orderId: 'o-1' });
    expect(event.rawQueryString).toBe('limit=5');
    expect(event.queryStringParameters).toEqual({ limit: '5' });
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'u-7', 'cognito:groups': '[support ops]' });
  });

  it('apiEvent JSON-encodes object bodies and leaves anonymous events without an authorizer', () => {
    const event = apiEvent({ method: 'POST', path: '/v1/orders', body: { a: 1 } });

    expect(event.body).toBe('{"a":1}');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.requestContext.authorizer).toBeUndefined();
  });

  it('invokeProcessor builds an SQS batch and reports the failed ids', async () => {
    const result = await invokeProcessor(
      async (event) => ({
        batchItemFailures: event.Records.filter((r) => r.body.includes('bad')).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      }),
      [{ ok: true }, sqsMessage({ bad: true }, { messageId: 'm-bad', receiveCount: 3 })],
    );

    expect(result.event.Records[1]?.attributes.ApproximateReceiveCount).toBe('3');
    expect(result.event.Records[0]?.eventSource).toBe('aws:sqs');
    expect(result.failedIds).toEqual(['m-bad']);
  });
});
