import type { HttpResult } from '#shared/http/route.ts';
import type { StoredResponse } from '#shared/http/idempotency.ts';

/**
 * The answer an idempotent route remembers, built from the `HttpResult` it is about to return, for handlers that put
 * `ctx.idempotency.record(...)` into their creating transaction: the replay then carries the same status, body and
 * headers as the first answer (the correlation id stays the replaying request's own).
 */
export function storedResponse(result: HttpResult): StoredResponse {
  if ('text' in result) {
    return { statusCode: result.status, headers: { 'content-type': result.contentType, ...result.headers }, body: result.text };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}
