import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/ops/health.ts';

describe('GET /health', () => {
  it('answers 200 {"status":"ok"} without a token', async () => {
    const result = await handler();

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok' });
  });
});
