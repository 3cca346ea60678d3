/**
 * Helpers for tests: events shaped exactly as the local gateway, pollers and scheduler build them, and access to the
 * fresh table and queues `setup-aws.ts` created for the current test file.
 */
import { randomUUID, createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { routes as manifestRoutes, type RouteDecl } from '#shared/manifest.ts';
import {
  buildHttpEvent,
  lambdaContext as makeLambdaContext,
  scheduledEvent as makeScheduledEvent,
  sqsEventFromMessages,
  type ScheduledEvent,
} from '../../scripts/local/events.ts';
import { Router } from '../../scripts/local/router.ts';
import { deliverBatch, receiveBatch, type BatchOutcome, type SqsHandler } from '../../scripts/local/poller.ts';
import { LOCAL_AUDIENCE, LOCAL_CLIENT_ID, LOCAL_ISSUER } from '../../scripts/local/auth-config.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { localSqsClient } from '../../scripts/local/sqs.ts';
import { testQueue, testResources } from './resources.ts';

export { testResources, testQueue, type TestResources } from './resources.ts';
export type { ScheduledEvent } from '../../scripts/local/events.ts';

// ---------------------------------------------------------------- HTTP events

export interface ApiEventOptions {
  method?: string;
  /** Request path, query string allowed: `/v1/orders/o-1?x=1`. */
  path: string;
  /** A string is sent as is; anything else is JSON-encoded (and `content-type: application/json` defaulted). */
  body?: unknown;
  /** Roles in the token (`cognito:groups`). Giving roles, sub or claims makes the request authenticated. */
  roles?: string[];
  /** Token subject; defaults to `test-user` when roles are given. */
  sub?: string;
  /** Extra or overriding raw claims (arrays are turned into API Gateway's `[a b]` strings like the others). */
  claims?: Record<string, unknown>;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined> | string;
  /** Defaults to the parameters of the manifest route the path matches. */
  pathParameters?: Record<string, string>;
  /** Defaults to the matching manifest route's key (`GET /v1/orders/{orderId}`). */
  routeKey?: string;
  /** Routes to match against (a fixture manifest); defaults to the project manifest. */
  routes?: readonly RouteDecl[];
}

const routers = new WeakMap<readonly RouteDecl[], Router>();
function routerFor(routes: readonly RouteDecl[]): Router {
  let router = routers.get(routes);
  if (!router) {
    router = new Router(routes);
    routers.set(routes, router);
  }
  return router;
}

/** The claims a local token carries, before API Gateway turns them into strings. */
export function tokenClaims(roles: string[], sub = 'test-user'): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    'cognito:groups': roles,
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    client_id: LOCAL_CLIENT_ID,
    token_use: 'access',
    username: sub,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
  };
}

/**
 * An API Gateway HTTP API (payload 2.0) event exactly as the local gateway builds it, claims under
 * `requestContext.authorizer.jwt.claims` as strings (`cognito:groups` → `"[ops admin]"`).
 */
export function apiEvent(options: ApiEventOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = (options.method ?? 'GET').toUpperCase();
  const [pathOnly = '/', inlineQuery = ''] = options.path.split('?', 2);
  let rawQueryString = inlineQuery;
  if (options.query !== undefined) {
    if (typeof options.query === 'string') rawQueryString = options.query.replace(/^\?/, '');
    else {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(options.query)) if (v !== undefined) params.append(k, String(v));
      rawQueryString = params.toString();
    }
  }
  const matched = routerFor(options.routes ?? manifestRoutes).match(method, pathOnly);
  let body: string | undefined;
  const headers: Record<string, string> = { host: '127.0.0.1:3000', 'user-agent': 'vitest' };
  if (options.body !== undefined) {
    if (typeof options.body === 'string') body = options.body;
    else {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  const authenticated = options.roles !== undefined || options.sub !== undefined || options.claims !== undefined;
  const claims = authenticated ? { ...tokenClaims(options.roles ?? [], options.sub), ...options.claims } : undefined;
  if (claims && options.roles === undefined && !options.claims?.['cognito:groups']) delete claims['cognito:groups'];
  const pathParameters = options.pathParameters ?? matched?.pathParameters;
  return buildHttpEvent({
    method,
    path: pathOnly,
    routeKey: options.routeKey ?? matched?.routeKey ?? '$default',
    rawQueryString,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(claims ? { claims } : {}),
  });
}

/** A fake Lambda context (function name, request id, remaining time). */
export function lambdaContext(functionName = 'test-function'): Context {
  return makeLambdaContext(functionName);
}

/** An EventBridge Scheduled Event as the local scheduler and `npm run job` deliver it. */
export function scheduledEvent(detail: Record<string, unknown> = {}, time?: Date): ScheduledEvent {
  return makeScheduledEvent({ detail, ...(time ? { time } : {}) });
}

// ---------------------------------------------------------------- SQS events

const MESSAGE = Symbol('sqsMessage');

export interface SqsMessageInput {
  [MESSAGE]: true;
  body: string;
  messageId?: string;
  receiveCount?: number;
  messageAttributes?: Record<string, string>;
}

/** A message for `invokeProcessor` with a chosen id, receive count or (string) message attributes. */
export function sqsMessage(
  body: unknown,
  options: { messageId?: string; receiveCount?: number; messageAttributes?: Record<string, string> } = {},
): SqsMessageInput {
  return { [MESSAGE]: true, body: typeof body === 'string' ? body : JSON.stringify(body), ...options };
}

function isMessageInput(value: unknown): value is SqsMessageInput {
  return typeof value === 'object' && value !== null && MESSAGE in value;
}

/**
 * An SQS event (as Lambda's event source mapping delivers it) from message bodies: strings are used as they are,
 * other values are JSON-encoded; use `sqsMessage()` for ids, receive counts and attributes. Message ids default to
 * `msg-0`, `msg-1`, ...
 */
export function sqsEvent(messages: unknown[], queueName = 'orders'): SQSEvent {
  const now = String(Date.now());
  const sdkMessages: Message[] = messages.map((m, i) => {
    const input = isMessageInput(m) ? m : sqsMessage(m);
    const attributes = Object.fromEntries(
      Object.entries(input.messageAttributes ?? {}).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    );
    return {
      MessageId: input.messageId ?? `msg-${i}`,
      ReceiptHandle: `receipt-${i}-${randomUUID()}`,
      Body: input.body,
      MD5OfBody: createHash('md5').update(input.body).digest('hex'),
      Attributes: {
        ApproximateReceiveCount: String(input.receiveCount ?? 1),
        SentTimestamp: now,
        SenderId: 'AROALOCAL',
        ApproximateFirstReceiveTimestamp: now,
      },
      MessageAttributes: attributes,
    };
  });
  return sqsEventFromMessages(sdkMessages, `arn:aws:sqs:us-east-1:123456789012:${queueName}`);
}

export interface ProcessorResult {
  event: SQSEvent;
  response: SQSBatchResponse | void | undefined;
  /** Message ids the processor reported in `batchItemFailures`. */
  failedIds: string[];
}

/** Invokes a processor handler directly with an SQS batch built from the messages (no queue involved). */
export async function invokeProcessor(
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | undefined> | unknown,
  messages: unknown[],
  queueName = 'orders',
): Promise<ProcessorResult> {
  const event = sqsEvent(messages, queueName);
  const response = (await handler(event, lambdaContext(`${queueName}-processor`))) as SQSBatchResponse | void;
  return { event, response, failedIds: (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier) };
}

// ---------------------------------------------------------------- local resources

let clients: { dynamo: DynamoDBClient; doc: DynamoDBDocumentClient; sqs: SQSClient } | undefined;

/** Clients on this file's local endpoints (the same ones handlers reach through `process.env`). */
export function testClients(): { dynamo: DynamoDBClient; doc: DynamoDBDocumentClient; sqs: SQSClient } {
  if (!clients) {
    const { dynamoEndpoint, sqsEndpoint } = testResources();
    const dynamo = localDynamoClient(dynamoEndpoint);
    clients = {
      dynamo,
      doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      sqs: localSqsClient(sqsEndpoint),
    };
  }
  return clients;
}

function parseBody(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

async function drainUrl(url: string): Promise<{ body: unknown; message: Message }[]> {
  const { sqs } = testClients();
  const drained: { body: unknown; message: Message }[] = [];
  for (;;) {
    const messages = await receiveBatch(sqs, url, 10);
    if (messages.length === 0) return drained;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
    for (const message of messages) drained.push({ body: parseBody(message.Body), message });
  }
}

/**
 * Receives and deletes every message currently visible on a manifest queue of this test file, returning the parsed
 * bodies (JSON, or the raw string). Messages in flight are not returned.
 */
export async function drainQueue<T = unknown>(queueName: string): Promise<T[]> {
  return (await drainUrl(testQueue(queueName).url)).map((d) => d.body as T);
}

/** Like `drainQueue`, with the full SQS messages (attributes, receive count). */
export async function drainQueueMessages(queueName: string): Promise<Message[]> {
  return (await drainUrl(testQueue(queueName).url)).map((d) => d.message);
}

/** Receives and deletes every message currently on a queue's dead-letter queue, returning the parsed bodies. */
export async function drainDeadLetterQueue<T = unknown>(queueName: string): Promise<T[]> {
  return (await drainUrl(testQueue(queueName).dlqUrl)).map((d) => d.body as T);
}

/** Sends a message (JSON-encoded unless a string) to a manifest queue of this test file. */
export async function sendToQueue(
  queueName: string,
  body: unknown,
  messageAttributes: Record<string, string> = {},
): Promise<string> {
  const sent = await testClients().sqs.send(
    new SendMessageCommand({
      QueueUrl: testQueue(queueName).url,
      MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
      MessageAttributes: Object.fromEntries(
        Object.entries(messageAttributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
      ),
    }),
  );
  return sent.MessageId ?? '';
}

/** Messages visible, in flight, and on the dead-letter queue. */
export async function queueDepth(
  queueName: string,
): Promise<{ visible: number; inFlight: number; deadLetters: number }> {
  const { sqs } = testClients();
  const queue = testQueue(queueName);
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const [main, dlq] = await Promise.all([
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: [...names] })),
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.dlqUrl, AttributeNames: [...names] })),
  ]);
  // local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too.
  const total = Number(main.Attributes?.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(main.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  return {
    visible: Math.max(0, total - inFlight),
    inFlight,
    deadLetters: Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0),
  };
}

/**
 * Delivers what is currently on a queue to a processor with the local runtime's (Lambda's) semantics, batch after
 * batch until a receive comes back empty: successes deleted, `batchItemFailures` and throws left to reappear after
 * the visibility timeout. Returns every batch's outcome. Lets an integration test run "submit → process" end to end.
 */
export async function pumpQueue(
  queueName: string,
  handler: SqsHandler | ((event: SQSEvent, context: Context) => unknown),
  options: { maxBatches?: number } = {},
): Promise<BatchOutcome[]> {
  const { sqs } = testClients();
  const queue = testQueue(queueName);
  const outcomes: BatchOutcome[] = [];
  for (let i = 0; i < (options.maxBatches ?? 100); i++) {
    const messages = await receiveBatch(sqs, queue.url, queue.decl.batchSize);
    if (messages.length === 0) break;
    outcomes.push(
      await deliverBatch(sqs, { name: queue.name, url: queue.url, arn: queue.arn }, messages, handler as SqsHandler),
    );
  }
  return outcomes;
}

/** Polls `check` until it returns a truthy value (or stops throwing), for asynchronous outcomes. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 5000,
  intervalMs = 50,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
      lastError = new Error('condition still false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
