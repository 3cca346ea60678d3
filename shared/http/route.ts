import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { routes, type RouteDecl, type RouteKey } from '#shared/manifest.ts';
import { callerOf, requireRole, type Caller } from '#shared/http/auth.ts';
import { HttpProblem, errorToResponse, fieldErrors } from '#shared/http/problem.ts';
import {
  claimIdempotencyKey,
  idempotencyKeySchema,
  type IdempotencyClaim,
  type StoredResponse,
} from '#shared/http/idempotency.ts';
import { TransactionConditionError, type TransactItem } from '#shared/data/transact.ts';
import { ConflictError } from '#shared/errors.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';
import { withInvocationDeadline } from '#shared/platform/deadline.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Largest accepted request body (docs/contract.md#conventions). */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a route handler returns: JSON by default, or text with its own content type (CSV reports). */
export type HttpResult =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType: string; headers?: Record<string, string> };

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  caller: Caller;
  correlationId: string;
  /** Present on idempotent routes when the request carried `Idempotency-Key`; put `record()` in the write. */
  idempotency?: IdempotencyClaim;
  event: ApiEvent;
}

export interface RouteSpec<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined> {
  /**
   * `METHOD /path` exactly as declared in the manifest (a `RouteKey`, checked by the compiler); roles come from there.
   */
  route: RouteKey;
  body?: B;
  query?: Q;
  params?: P;
  /** A POST that creates something: honours `Idempotency-Key` (docs/contract.md#conventions). */
  idempotent?: boolean;
}

const CORRELATION = /^[\x21-\x7e]{1,128}$/;

/** The correlation id of a request: the caller's `x-correlation-id` when well-formed, else the API request id. */
export function correlationIdOf(event: ApiEvent): string {
  const given = event.headers?.['x-correlation-id'];
  return given && CORRELATION.test(given) ? given : (event.requestContext?.requestId ?? crypto.randomUUID());
}

function declaredRoute(routeKey: RouteKey): RouteDecl {
  const found = (routes as readonly RouteDecl[]).find((r) => `${r.method} ${r.path}` === routeKey);
  if (!found) throw new Error(`Route ${routeKey} is not declared in shared/manifest.ts`);
  return found;
}

function rawBody(event: ApiEvent): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function parseJsonBody(event: ApiEvent, raw: string | undefined): unknown {
  if (raw === undefined || raw.length === 0) {
    throw new HttpProblem(400, 'A JSON request body is required.');
  }
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpProblem(415, 'Send the request body as application/json.');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpProblem(400, 'The request body is not valid JSON.');
  }
}

function validate<S extends Schema | undefined>(schema: S, input: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HttpProblem(
      400,
      `The request ${where} is invalid.`,
      fieldErrors(result.error, where === 'body' ? undefined : where),
    );
  }
  return result.data as Out<S>;
}

/**
 * The API Gateway response of a handler's `HttpResult`: JSON by default, or its text with its content type. The same
 * function builds the answer an idempotent route remembers (no `extraHeaders`), so a replay carries the same status,
 * body and headers as the first answer; the correlation id is always the answering request's own.
 */
export function toResponse(result: HttpResult, extraHeaders: Record<string, string> = {}): StoredResponse {
  const headers = { ...extraHeaders, ...result.headers };
  if ('text' in result) {
    return {
      statusCode: result.status,
      headers: { 'content-type': result.contentType, ...headers },
      body: result.text,
    };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

/**
 * What a creating use case puts into its transaction to remember the route's answer (`remember` of the services),
 * built from the answer it will return; `undefined` when the request carried no `Idempotency-Key`.
 */
export function rememberAnswer<T>(
  idempotency: IdempotencyClaim | undefined,
  answer: (result: T) => HttpResult,
): ((result: T) => TransactItem) | undefined {
  return idempotency ? (result) => idempotency.record(toResponse(answer(result))) : undefined;
}

/** A replayed answer carries the correlation id of the request that replays it, not the first one's. */
function withCorrelation(result: ApiResult, correlationId: string): ApiResult {
  return { ...result, headers: { ...result.headers, 'x-correlation-id': correlationId } };
}

/**
 * Wraps a route handler in the one HTTP middleware stack every route shares: structured logging with the
 * correlation id, caller and role check against the manifest, body limits and content type, JSON parsing, schema
 * validation of body, query and path (every bad field listed), `Idempotency-Key` replay for creating POSTs, and
 * problem details for every error, with no internals in a 5xx. The handler only sees typed, checked input.
 */
export function httpRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(spec: RouteSpec<B, Q, P>, fn: (ctx: RouteContext<Out<B>, Out<Q>, Out<P>>) => Promise<HttpResult>) {
  const declared = declaredRoute(spec.route);
  const tableName = process.env.TABLE_NAME ?? '';

  const core = async (event: ApiEvent): Promise<ApiResult> => {
    const correlationId = correlationIdOf(event);
    logger.appendKeys({ correlationId, route: spec.route });

    const caller: Caller = declared.roles === 'public' ? { sub: 'anonymous', roles: [] } : callerOf(event);
    if (declared.roles !== 'public') requireRole(caller, declared.roles);

    const raw = rawBody(event);
    const body = spec.body ? validate(spec.body, parseJsonBody(event, raw), 'body') : (undefined as Out<B>);
    const query = validate(spec.query, event.queryStringParameters ?? {}, 'query') as Out<Q>;
    const params = validate(spec.params, event.pathParameters ?? {}, 'path') as Out<P>;

    let idempotency: IdempotencyClaim | undefined;
    const key = event.headers?.['idempotency-key'];
    if (spec.idempotent && key !== undefined) {
      const parsedKey = idempotencyKeySchema.safeParse(key);
      if (!parsedKey.success) {
        throw new HttpProblem(400, 'The Idempotency-Key header is invalid.', [
          { path: 'headers.idempotency-key', message: parsedKey.error.issues[0]?.message ?? 'Invalid' },
        ]);
      }
      idempotency = claimIdempotencyKey(doc, tableName, {
        sub: caller.sub,
        routeKey: spec.route,
        key,
        body: raw ?? '',
      });
      const earlier = await idempotency.replay();
      if (earlier) return withCorrelation(earlier, correlationId);
    }

    try {
      const result = toResponse(await fn({ body, query, params, caller, correlationId, idempotency, event }), {
        'x-correlation-id': correlationId,
      });
      if (idempotency && !idempotency.used && result.statusCode! < 300) {
        // A bug in the route, logged for ops, not turned into an error after its write: an idempotent route must put
        // `idempotency.record(...)` into the transaction that creates what it answers (remembered apart from its
        // resource, the answer could be lost, or kept for a write that failed). This request is not replayable.
        logger.error('idempotent route answered without recording its Idempotency-Key answer', {
          status: result.statusCode,
        });
      }
      return result;
    } catch (error) {
      // A request with the same key won the race and wrote its answer in the same transaction as its resource.
      if (idempotency && (error instanceof TransactionConditionError || error instanceof ConflictError)) {
        const earlier = await idempotency.replay();
        if (earlier) return withCorrelation(earlier, correlationId);
      }
      throw error;
    }
  };

  return (
    middy<ApiEvent, ApiResult, Error, Context>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use({
        onError: async (request) => {
          const { response, expected } = errorToResponse(request.error);
          if (expected) logger.info('request refused', { status: response.statusCode, reason: request.error?.message });
          else logger.error('request failed', { error: request.error as Error });
          request.response = {
            ...response,
            headers: { ...response.headers, 'x-correlation-id': correlationIdOf(request.event) },
          };
        },
      })
      // Retries against other writers stop in time for this handler to answer (shared/platform/deadline.ts).
      .handler((event, context) => withInvocationDeadline(context, () => core(event)))
  );
}

/**
 * JSON response of a created resource answered asynchronously (docs/contract.md#conventions: 202 with id, status and
 * Location).
 */
export function accepted(location: string, body: Record<string, unknown>): HttpResult {
  return { status: 202, body, headers: { location } };
}
