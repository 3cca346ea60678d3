/**
 * The local stack for e2e tests: started in the test process on a random port, on this file's table and queues
 * (the run's shared DynamoDB Local and SQS server), with its own temporary data folder for signing keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../scripts/local/stack.ts';
import { loadOrCreateSigningKeys, signToken, type TokenOptions } from '../../scripts/local/auth.ts';
import { testResources } from './resources.ts';

export type { LocalStack } from '../../scripts/local/stack.ts';

/**
 * Starts the local stack in-process for an e2e test file. Defaults: the project manifest, no scheduler timers, quiet
 * logs (set `LOCAL_STACK_LOGS=1` to see them). Stop it in `afterAll`.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const resources = testResources();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'back-office-e2e-'));
  const verbose = process.env.LOCAL_STACK_LOGS === '1';
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamodb: { endpoint: resources.dynamoEndpoint },
    sqs: { endpoint: resources.sqsEndpoint, queuePrefix: resources.queuePrefix },
    s3: resources.s3,
    tableName: resources.tableName,
    scheduler: false,
    preload: false,
    accessLog: verbose,
    log: verbose ? (line) => process.stderr.write(`${line}\n`) : () => undefined,
    ...options,
  });
  return {
    ...stack,
    async stop() {
      await stack.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bearer token the stack accepts (signed with the key in its data folder). */
export async function tokenFor(
  stack: Pick<LocalStack, 'dataDir'>,
  roles: string[],
  options: Omit<TokenOptions, 'roles'> = {},
): Promise<string> {
  return signToken(await loadOrCreateSigningKeys(stack.dataDir), { roles, ...options });
}

export interface CallOptions {
  body?: unknown;
  /** Roles for a fresh token; omit (and `token`) for an anonymous call. */
  roles?: string[];
  sub?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
}

/** One HTTP request to the stack: `call(stack, 'POST', '/v1/orders', { roles: ['front-office'], body })`. */
export async function call<T = any>(
  stack: Pick<LocalStack, 'url' | 'dataDir'>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token =
    options.token ??
    (options.roles
      ? await tokenFor(stack, options.roles, {
          ...(options.sub ? { sub: options.sub } : {}),
        })
      : undefined);
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${stack.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text ? (JSON.parse(text) as T) : (text as T);
  return { status: response.status, headers: response.headers, body: parsed };
}
