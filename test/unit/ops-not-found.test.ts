import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/ops/not-found.ts';
import { NotFoundError } from '#shared/errors.ts';
import { errorToResponse } from '#shared/http/problem.ts';
import { apiEvent } from '../support/index.ts';

describe('$default route (functions/ops/not-found)', () => {
  it('answers an unknown path with 404 problem details naming the method and path', async () => {
    const result = await handler(apiEvent({ method: 'GET', path: '/v1/nothing-here' }));

    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body ?? '')).toEqual({
      type: 'urn:back-office:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /v1/nothing-here.',
    });
  });

  it('answers a declared path with an undeclared method the same way, whatever the caller claims', async () => {
    const anonymous = await handler(apiEvent({ method: 'DELETE', path: '/v1/orders' }));
    const signedIn = await handler(apiEvent({ method: 'DELETE', path: '/v1/orders', roles: ['admin'] }));

    expect(anonymous).toEqual(signedIn);
    expect(JSON.parse(anonymous.body ?? '').detail).toBe('No route for DELETE /v1/orders.');
  });

  it('has the shape of every other problem and carries nothing but the request line', async () => {
    const result = await handler(
      apiEvent({ method: 'POST', path: '/v2/orders', body: { secret: 'x' }, roles: ['ops'] }),
    );
    const other = JSON.parse(errorToResponse(new NotFoundError('no such order')).response.body ?? '');
    const body = JSON.parse(result.body ?? '') as Record<string, unknown>;

    expect(Object.keys(body).sort()).toEqual(Object.keys(other).sort());
    expect({ type: body.type, title: body.title, status: body.status }).toEqual({
      type: other.type,
      title: other.title,
      status: other.status,
    });
    expect(result.body).not.toMatch(/secret|functions\/|ops\/not-found|stack|Error/i);
    expect(Object.keys(result.headers ?? {})).toEqual(['content-type']);
  });
});
