import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteDecl, UnmatchedRouteDecl } from '#shared/manifest.ts';
import { problem, unmatchedRouteResponse } from '#shared/http/problem.ts';
import { buildHttpEvent, lambdaContext } from './events.ts';
import { Router } from './router.ts';
import { verifyToken, type SigningKeys } from './auth.ts';
import { ROUTE_TIMEOUT_SECONDS } from '#infra/manifest.ts';

export type HttpHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2 | string | object | undefined>;

/** What the gateway hands a request to: a manifest route, or the `$default` route's handler. */
type Target = Pick<RouteDecl, 'handler'>;

export interface GatewayOptions {
  routes: readonly RouteDecl[];
  /**
   * The `$default` route: gets every request no route matches, after the same token check as staff routes, as in AWS.
   */
  unmatchedRoute?: UnmatchedRouteDecl;
  keys: SigningKeys;
  loadHandler: (target: Target) => Promise<HttpHandler>;
  handlerExists: (target: Target) => boolean;
  /** False until DynamoDB, SQS, pollers and the scheduler are up; every request gets 503 before. */
  isReady: () => boolean;
  /** API Gateway's hard limit is 10 MB; handlers enforce their own smaller limit. */
  maxBodyBytes?: number;
  /**
   * The route function's timeout (default: the stack's, 10 s). Its context counts down from it, and a handler still
   * running at the end is answered as a timed-out Lambda is (500), well inside API Gateway's own 30 s limit.
   */
  functionTimeoutMs?: number;
  log?: (message: string, extra?: Record<string, unknown>) => void;
  accessLog?: (line: string) => void;
}

const TEN_MB = 10 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendProblem(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(problem(status, detail));
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(body);
}

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

/** Writes a handler's result as API Gateway does for payload format 2.0 (a result without statusCode is JSON 200). */
function writeResult(res: ServerResponse, result: unknown, requestId: string): number {
  if (!isStructured(result)) {
    res.writeHead(200, { 'content-type': 'application/json', 'apigw-requestid': requestId });
    res.end(JSON.stringify(result ?? null));
    return 200;
  }
  const status = result.statusCode ?? 200;
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(status, headers);
  res.end(body);
  return status;
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  // API Gateway takes the whole header as the token when there is no Bearer prefix.
  return (match?.[1] ?? header).trim() || undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
const TIMED_OUT = Symbol('timeout');

/**
 * The local API Gateway HTTP API: matches a request to a manifest route, checks the bearer token like the JWT
 * authorizer (everything but `public` routes), builds the payload 2.0 event and writes the handler's result. A request
 * no route matches goes, once its token is checked, to the manifest's `$default` route handler with route key
 * `$default`, as in AWS; without one (fixture manifests) the gateway answers the same 404 itself, unchecked, as API
 * Gateway does for an API without a `$default` route. Gateway-made errors (404, 401, 413, 503)
 * are problem details, as the rest of the API answers.
 */
export function createGateway(options: GatewayOptions): Server {
  const router = new Router(options.routes);
  const maxBody = options.maxBodyBytes ?? TEN_MB;
  const timeoutMs = options.functionTimeoutMs ?? ROUTE_TIMEOUT_SECONDS * 1000;
  const log = options.log ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://local');
    const rawPath = url.pathname;
    const rawQueryString = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const method = (req.method ?? 'GET').toUpperCase();

    if (!options.isReady()) {
      req.resume();
      sendProblem(res, 503, 'The local stack is still starting.', { 'retry-after': '1' });
      return 503;
    }

    const matched = router.match(method, rawPath);
    const fallback =
      options.unmatchedRoute && options.handlerExists(options.unmatchedRoute) ? options.unmatchedRoute : undefined;
    if (!matched && !fallback) {
      req.resume();
      return writeResult(res, unmatchedRouteResponse(method, rawPath), requestId);
    }
    const target: Target = matched?.route ?? fallback!;

    let claims: Record<string, unknown> | undefined;
    // The `$default` route sits behind the authorizer too (infra/constructs/api.ts): no token, no function call.
    if (!matched || matched.route.roles !== 'public') {
      const token = bearerToken(req.headers.authorization);
      if (!token) {
        req.resume();
        sendProblem(res, 401, 'A bearer token is required.', { 'www-authenticate': 'Bearer' });
        return 401;
      }
      const verified = await verifyToken(options.keys, token);
      if (!verified.ok) {
        req.resume();
        sendProblem(res, 401, verified.reason, {
          'www-authenticate': `Bearer error="invalid_token", error_description="${verified.reason}"`,
        });
        return 401;
      }
      claims = verified.claims as Record<string, unknown>;
    }

    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendProblem(res, 413, `The request body exceeds ${maxBody} bytes.`, { connection: 'close' });
        return 413;
      }
      throw error;
    }

    if (matched?.route.path === '/health' && !options.handlerExists(target)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
      return 200;
    }
    if (!options.handlerExists(target)) {
      sendProblem(res, 501, `The handler ${target.handler} is not implemented yet.`);
      return 501;
    }

    const event = buildHttpEvent({
      method,
      path: rawPath,
      routeKey: matched?.routeKey ?? '$default',
      rawQueryString,
      headers: req.headers,
      body: body.toString('utf8'),
      ...(matched ? { pathParameters: matched.pathParameters } : {}),
      ...(claims ? { claims } : {}),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      requestId,
    });
    const handler = await options.loadHandler(target);
    const functionName = `local-${target.handler.split('/').slice(1).join('-')}`;
    let result: unknown;
    try {
      result = await withTimeout(Promise.resolve(handler(event, lambdaContext(functionName, timeoutMs))), timeoutMs);
    } catch (error) {
      log(`handler ${target.handler} threw`, { error: error instanceof Error ? error.stack : String(error) });
      res.writeHead(500, { 'content-type': 'application/json', 'apigw-requestid': requestId });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
      return 500;
    }
    if (result === TIMED_OUT) {
      // Lambda ends the invocation at its timeout and API Gateway answers that function error as it does a throw.
      log(`handler ${target.handler} did not answer within its ${timeoutMs} ms timeout`);
      res.writeHead(500, { 'content-type': 'application/json', 'apigw-requestid': requestId });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
      return 500;
    }
    return writeResult(res, result, requestId);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    handle(req, res).then(
      (status) => options.accessLog?.(`${req.method} ${req.url} → ${status} (${Date.now() - started} ms)`),
      (error: unknown) => {
        log('gateway error', { error: error instanceof Error ? error.stack : String(error) });
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        } else {
          res.destroy();
        }
      },
    );
  });
  server.keepAliveTimeout = 5000;
  return server;
}
