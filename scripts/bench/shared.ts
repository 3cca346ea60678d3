/**
 * What the measurements share: the project root, loading a manifest handler, calling an HTTP handler as the local
 * gateway does, delivering a queue to its processor as the local event source does, and printing tables.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, Context, SQSEvent, SQSBatchResponse } from 'aws-lambda';
import type { DynamoCall } from './capacity.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A queue of the bench's run. */
export interface QueueRef {
  name: string;
  url: string;
  arn: string;
}

export type ApiHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** A manifest handler module's `handler`, loaded after the clients were instrumented. */
export async function loadHandler<T>(handler: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, `${handler}.ts`)).href)).handler as T;
}

export type ApiCall = (
  handler: ApiHandler,
  method: string,
  path: string,
  routeKey: string,
  roles: string[],
  body?: unknown,
  pathParameters?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** Invokes an HTTP handler with an API Gateway event as the local gateway builds it; anything but a 2xx throws. */
export async function apiCaller(): Promise<ApiCall> {
  const { buildHttpEvent, lambdaContext } = await import('../local/events.ts');
  return async (handler, method, path, routeKey, roles, body, pathParameters) => {
    const now = Math.floor(Date.now() / 1000);
    const event = buildHttpEvent({
      method,
      path,
      routeKey,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(pathParameters ? { pathParameters } : {}),
      claims: { sub: 'bench', 'cognito:groups': roles, iat: now, exp: now + 3600, token_use: 'access' },
    });
    const result = await handler(event, lambdaContext('bench'));
    if ((result.statusCode ?? 500) >= 300) throw new Error(`${routeKey} answered ${result.statusCode}: ${result.body}`);
    return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
  };
}

/**
 * Delivers everything on a queue to its processor as the local event source does, batch after batch, and returns
 * how many batches it took; a failed message throws.
 */
export async function queueDeliverer(
  pollerSqs: SQSClient,
  queue: QueueRef,
  processor: SqsHandler,
  kind: string,
): Promise<() => Promise<number>> {
  const { receiveBatch, deliverBatch } = await import('../local/poller.ts');
  // An empty short poll is confirmed by a 1 s long poll: the local server makes a message receivable a timer tick
  // after its send, so a receive right after a send can come back empty.
  const receive = async () => {
    const messages = await receiveBatch(pollerSqs, queue.url, 10);
    if (messages.length > 0) return messages;
    const waited = await pollerSqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return waited.Messages ?? [];
  };
  return async () => {
    let batches = 0;
    for (;;) {
      const messages = await receive();
      if (messages.length === 0) return batches;
      batches += 1;
      const outcome = await deliverBatch(pollerSqs, queue, messages, processor as never);
      if (outcome.failed.length > 0)
        throw new Error(`The ${kind} processor failed: ${String(outcome.error ?? outcome.failed)}`);
    }
  };
}

export function round(n: number, places = 2): number {
  return Math.round(n * 10 ** places) / 10 ** places;
}

/** Rows as aligned columns: the first left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

/** One line per metered DynamoDB request, and one per action of a transaction. */
export function printRequests(calls: DynamoCall[], phaseWidth: number): void {
  console.log('\nrequests:');
  for (const c of calls) {
    const reported = c.reportedUnits !== undefined ? ` (DynamoDB Local reported ${c.reportedUnits})` : '';
    const command = c.command.replace(/Command$/, '').padEnd(18);
    const units = `W ${String(c.writeUnits).padStart(4)}  R ${String(c.readUnits).padStart(4)}`;
    console.log(`  ${c.phase.padEnd(phaseWidth)} ${command} ${units}  ${c.source}${reported}`);
    for (const i of c.items ?? []) {
      const idx = Object.entries(i.indexUnits)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const bytes = String(Math.max(i.beforeBytes, i.afterBytes)).padStart(5);
      const index = idx ? `  index ${idx}` : '';
      console.log(`      ${i.action.padEnd(14)} ${i.key.padEnd(44)} ${bytes} B  table ${i.tableUnits}${index}`);
    }
  }
}
