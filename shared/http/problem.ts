import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import {
  ConcurrencyError,
  ConflictError,
  ForbiddenError,
  InvalidCursorError,
  InvalidInputError,
  NotFoundError,
} from '#shared/errors.ts';

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error that already knows its HTTP answer: raised by the HTTP plumbing itself (auth, parsing, limits). */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? TITLES[status] ?? 'Error');
  }
}

/** Builds an RFC 9457 problem-details body. `type` is a stable URN per status so clients can switch on it. */
export function problem(status: number, detail?: string, errors?: FieldError[]): Problem {
  const title = TITLES[status] ?? 'Error';
  return {
    type: `urn:back-office:problem:${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** A problem as an API Gateway HTTP API result with `Content-Type: application/problem+json`. */
export function problemResponse(
  status: number,
  detail?: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(problem(status, detail, errors)),
  };
}

/**
 * The answer to a request no declared route matches (docs/contract.md#conventions: unknown route 404), with the method
 * and path in the detail and nothing else. One builder so the `$default` route's function (`functions/ops/not-found`)
 * and the local gateway, when it has no such handler to call, answer with the same body.
 */
export function unmatchedRouteResponse(method: string, path: string): APIGatewayProxyStructuredResultV2 {
  return problemResponse(404, `No route for ${method.toUpperCase()} ${path}.`);
}

/** Lists every issue of a zod error as `{path, message}` with dotted paths (`lines.0.quantity`). */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)',
    message: issue.message,
  }));
}

/** What DynamoDB and SQS throw when throttled beyond the SDK's own retries, or a write met a transaction in flight. */
const BUSY_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'RequestThrottled',
]);

/**
 * Lost every retry against other writers (`ConcurrencyError`) or throttled: nothing was written by the attempt that
 * failed, so the honest answer is 503 with `Retry-After`, which a client may retry (with the same Idempotency-Key
 * for a POST), rather than a 500 that leaves it guessing.
 */
function isBusy(error: unknown): boolean {
  return error instanceof ConcurrencyError || (error instanceof Error && BUSY_ERRORS.has(error.name));
}

/**
 * The one map from errors to HTTP answers. Unknown errors become a bare 500 with no internals; the caller logs
 * them (and a 503 for a busy table, which is logged the same way: ops should see it).
 */
export function errorToResponse(error: unknown): { response: APIGatewayProxyStructuredResultV2; expected: boolean } {
  if (error instanceof HttpProblem) {
    return { response: problemResponse(error.status, error.message, error.errors, error.headers), expected: true };
  }
  if (error instanceof z.ZodError) {
    return { response: problemResponse(400, 'The request is invalid.', fieldErrors(error)), expected: true };
  }
  if (error instanceof InvalidCursorError) {
    return {
      response: problemResponse(400, error.message, [{ path: 'cursor', message: 'Invalid cursor' }]),
      expected: true,
    };
  }
  if (error instanceof InvalidInputError) {
    return { response: problemResponse(400, error.message, error.errors), expected: true };
  }
  if (error instanceof NotFoundError) return { response: problemResponse(404, error.message), expected: true };
  if (error instanceof ForbiddenError) return { response: problemResponse(403, error.message), expected: true };
  if (error instanceof ConflictError) return { response: problemResponse(409, error.message), expected: true };
  if (isBusy(error)) {
    return {
      response: problemResponse(503, 'The back office is busy; retry in a moment.', undefined, { 'retry-after': '1' }),
      expected: false,
    };
  }
  return { response: problemResponse(500, 'An unexpected error occurred.'), expected: false };
}
