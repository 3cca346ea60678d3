import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  Context,
  EventBridgeEvent,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
} from 'aws-lambda';
import type { Message } from '@aws-sdk/client-sqs';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './env.ts';

/**
 * Turns verified JWT claims into what API Gateway's JWT authorizer hands a Lambda function: every value a string,
 * arrays as `[a b c]` (space-separated in brackets), numbers and booleans in their decimal/`true` form.
 */
export function claimsAsApiGatewayPassesThem(claims: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) result[key] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') result[key] = JSON.stringify(value);
    else result[key] = String(value);
  }
  return result;
}

export interface HttpEventInput {
  method: string;
  /** Raw path without query string, e.g. `/v1/orders/o-1`. */
  path: string;
  /** `POST /v1/orders`, or `$default` when no route matched. */
  routeKey: string;
  /** Raw query string without `?`. */
  rawQueryString?: string;
  /** Header names are lower-cased here; repeated headers are joined with commas. */
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  pathParameters?: Record<string, string>;
  /** Claims as verified from the token (raw JSON values); omitted on public routes. */
  claims?: Record<string, unknown>;
  sourceIp?: string;
  requestId?: string;
  now?: Date;
}

function formatRequestTime(date: Date): string {
  // API Gateway's format: 12/Mar/2020:19:03:58 +0000
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Parses a raw query string the way API Gateway fills `queryStringParameters`: repeated keys joined by commas. */
export function parseQueryString(raw: string): Record<string, string> | undefined {
  if (!raw) return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    result[key] = key in result ? `${result[key]},${value}` : value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * Builds an API Gateway HTTP API payload format 2.0 event, as the local gateway and the tests hand it to a handler.
 * Cookies move from the `cookie` header to `cookies`, as API Gateway does.
 */
export function buildHttpEvent(input: HttpEventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = input.now ?? new Date();
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (key === 'cookie') {
      cookies = joined
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean);
      continue;
    }
    headers[key] = key in headers ? `${headers[key]},${joined}` : joined;
  }
  const rawQueryString = input.rawQueryString ?? '';
  const requestId = input.requestId ?? randomUUID();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: (headers.host ?? '127').split('.')[0] ?? 'local',
      http: {
        method: input.method.toUpperCase(),
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: claimsAsApiGatewayPassesThem(input.claims ?? {}), scopes: null as unknown as string[] },
      },
    },
    isBase64Encoded: false,
  };
  if (cookies) event.cookies = cookies;
  const query = parseQueryString(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (input.pathParameters && Object.keys(input.pathParameters).length > 0) {
    event.pathParameters = input.pathParameters;
  }
  if (input.body !== undefined && input.body !== '') event.body = input.body;
  if (!input.claims) {
    // Public routes have no authorizer at all in API Gateway.
    delete (event.requestContext as Partial<typeof event.requestContext>).authorizer;
  }
  return event;
}

/** A Lambda context good enough for Powertools and middy: names, request id, remaining time. */
export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const started = Date.now();
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Lambda's shape for SQS message attributes (lower camel case, list fields always present). */
function recordAttributes(message: Message): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      stringListValues: [],
      binaryListValues: [],
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
    };
  }
  return result;
}

/** Turns messages received from SQS into the event Lambda's SQS event source mapping delivers. */
export function sqsEventFromMessages(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((message): SQSRecord => {
      const attrs = message.Attributes ?? {};
      const record: SQSRecord = {
        messageId: message.MessageId ?? randomUUID(),
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: {
          ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
          SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
          SenderId: attrs.SenderId ?? 'AROALOCAL',
          ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          ...(attrs.AWSTraceHeader ? { AWSTraceHeader: attrs.AWSTraceHeader } : {}),
          ...(attrs.MessageGroupId ? { MessageGroupId: attrs.MessageGroupId } : {}),
          ...(attrs.MessageDeduplicationId ? { MessageDeduplicationId: attrs.MessageDeduplicationId } : {}),
          ...(attrs.SequenceNumber ? { SequenceNumber: attrs.SequenceNumber } : {}),
        },
        messageAttributes: recordAttributes(message),
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: LOCAL_REGION,
      };
      if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
      return record;
    }),
  };
}

export type ScheduledEvent = EventBridgeEvent<'Scheduled Event', Record<string, unknown>>;

/** The event EventBridge Scheduler/rules deliver to a job; `detail` carries `{ date }` when a job is run by hand. */
export function scheduledEvent(options: { time?: Date; detail?: Record<string, unknown> } = {}): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: (options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [],
    detail: options.detail ?? {},
  };
}
