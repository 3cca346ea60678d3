import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as manifest from '#shared/manifest.ts';
import type { QueueDecl, RouteDecl, ScheduleDecl, UnmatchedRouteDecl } from '#shared/manifest.ts';
import { processorTimeoutSeconds } from '#infra/manifest.ts';
import { loadOrCreateSigningKeys, loadOrCreateCursorKey } from './auth.ts';
import { startDynamoDbLocal, localDynamoClient, waitForDynamoDb, type DynamoDbLocal } from './dynamodb.ts';
import { applyEnv, handlerEnv } from './env.ts';
import { createGateway, type HttpHandler } from './gateway.ts';
import { handlerLoader } from './handlers.ts';
import { startPoller, type Poller, type SqsHandler, type BatchOutcome } from './poller.ts';
import { isPortFree } from './ports.ts';
import { ensureQueues, type LocalQueue } from './queues.ts';
import { invokeJob, startScheduler, type JobHandler, type Scheduler } from './scheduler.ts';
import { localSqsClient, startLocalSqs, type LocalSqs } from './sqs.ts';
import { forwardObjectCreated, startLocalS3, type LocalS3 } from './s3.ts';
import { PROJECT_ROOT, defaultDataDir } from './paths.ts';
import { reclaimDataDir, removeState, writeState, type RuntimeState } from './state.ts';
import { ensureTable } from './table.ts';

export interface StackManifest {
  routes: readonly RouteDecl[];
  /** The `$default` route's handler; without one the gateway answers unmatched requests with the same 404 itself. */
  unmatchedRoute?: UnmatchedRouteDecl;
  queues: readonly QueueDecl[];
  schedules: readonly ScheduleDecl[];
}

export interface LocalStackOptions {
  /** HTTP port; 0 picks a free one. Default `PORT` or 3000. */
  port?: number;
  host?: string;
  /** Where DynamoDB data, signing keys and the runtime state live. Default `<root>/.local` (`LOCAL_DATA_DIR`). */
  dataDir?: string;
  /** Project root that manifest `handler` paths are relative to. Default: this repository. */
  root?: string;
  /** Routes, queues and schedules to serve. Default: `#shared/manifest.ts`. */
  manifest?: StackManifest;
  /** Default `back-office`. */
  tableName?: string;
  /** Use a DynamoDB that is already running (tests) instead of spawning DynamoDB Local under `dataDir`. */
  dynamodb?: { endpoint: string };
  /** DynamoDB Local port when spawned: default `DYNAMODB_PORT`, else 8000 if free, else any free port. */
  dynamodbPort?: number;
  /** Use an SQS server that is already running (tests); `queuePrefix` keeps its queues apart. */
  sqs?: { endpoint: string; queuePrefix?: string };
  /**
   * Use an S3 stand-in that is already running (tests), whose object events already reach the documents queue;
   * otherwise s3rver starts in-process with its data under `dataDir/s3`.
   */
  s3?: { endpoint: string; bucket: string };
  /** s3rver port when started here: default `S3_PORT`, else 4568 if free, else any free port. */
  s3Port?: number;
  /** In-process SQS server port: default `SQS_PORT`, else 9324 if free, else any free port. */
  sqsPort?: number;
  /** Overrides every queue's visibility timeout (default `LOCAL_VISIBILITY_TIMEOUT_SECONDS`, else the manifest). */
  visibilityTimeoutSeconds?: number;
  /** Start the HTTP gateway (default true; `npm run job` runs without it). */
  http?: boolean;
  /** Start pollers (default true). */
  pollers?: boolean;
  /** Batches in flight per queue (default `LOCAL_POLLER_CONCURRENCY`, else 2), like Lambda's concurrent pollers. */
  pollerConcurrency?: number;
  /** Run schedules on their timers (default true; `LOCAL_SCHEDULES=off` disables). */
  scheduler?: boolean;
  /** Import every handler right after start so the first request is warm (default true). */
  preload?: boolean;
  /** Record the runtime state under dataDir for `npm run job` and crash recovery (default: when spawning DynamoDB). */
  recordState?: boolean;
  /** Where log lines go (default stderr). */
  log?: (line: string) => void;
  /** Log every HTTP request (default true). */
  accessLog?: boolean;
  onBatch?: (queue: string, outcome: BatchOutcome) => void;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>` (empty when `http: false`). */
  url: string;
  port: number;
  dataDir: string;
  tableName: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** The S3 stand-in and the documents bucket on it. */
  s3: { endpoint: string; bucket: string };
  queues: LocalQueue[];
  /** Manifest names of the queues a poller delivers (those whose processor module exists). */
  polledQueues: string[];
  /** The environment handlers run with (also applied to `process.env`). */
  env: Record<string, string>;
  scheduler: Scheduler | undefined;
  /** Runs one scheduled job now; `detail` reaches the job as the event's `detail`. */
  /** Runs a job now, as if its schedule fired at `time` (default: now). */
  runJob(name: string, detail?: Record<string, unknown>, time?: Date): Promise<unknown>;
  stop(): Promise<void>;
}

export { PROJECT_ROOT } from './paths.ts';

/** The documents bucket of the local stack (on s3rver). */
export const LOCAL_DOCUMENTS_BUCKET = 'back-office-documents';

function envInt(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a port number or 0, got "${value}"`);
  return n;
}

async function preferredPort(explicit: number | undefined, envName: string, fallback: number): Promise<number> {
  const chosen = explicit ?? envInt(envName);
  if (chosen !== undefined) return chosen;
  return (await isPortFree(fallback)) ? fallback : 0;
}

function logger(write: (line: string) => void) {
  return (message: string, extra?: Record<string, unknown>) => {
    const details = extra
      ? ` ${Object.entries(extra)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')}`
      : '';
    write(`[local] ${message}${details}`);
  };
}

/**
 * Brings up the whole back office on this machine: DynamoDB Local (persisted under `dataDir`) with the table, the
 * in-process SQS server with every queue and dead-letter queue, one poller per queue delivering batches to its
 * processor like Lambda's event source mapping, the scheduler, and the HTTP gateway. The gateway listens first and
 * answers 503 until everything else is ready. `stop()` ends all of it, the Java process included.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const root = resolve(options.root ?? PROJECT_ROOT);
  const dataDir = resolve(options.dataDir ?? defaultDataDir(root));
  const spec: StackManifest = options.manifest ?? manifest;
  const tableName = options.tableName ?? process.env.LOCAL_TABLE_NAME ?? 'back-office';
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = logger(write);
  const recordState = options.recordState ?? !options.dynamodb;
  const visibility =
    options.visibilityTimeoutSeconds ??
    (process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS ? Number(process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS) : undefined);
  const runScheduler = options.scheduler ?? process.env.LOCAL_SCHEDULES !== 'off';
  mkdirSync(dataDir, { recursive: true });

  const state: RuntimeState = { ownerPid: process.pid, startedAt: new Date().toISOString() };
  if (recordState) await reclaimDataDir(dataDir, (m) => log(m));

  const loader = handlerLoader(root);
  let ready = false;
  let dynamo: DynamoDbLocal | undefined;
  let sqsServer: LocalSqs | undefined;
  let s3Server: LocalS3 | undefined;
  const pollers: Poller[] = [];
  const polledQueues: string[] = [];
  let scheduler: Scheduler | undefined;
  let server: ReturnType<typeof createGateway> | undefined;
  let port = 0;
  let stopped: Promise<void> | undefined;
  const killJava = () => {
    try {
      dynamo?.process.kill('SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killJava);

  async function stop(): Promise<void> {
    stopped ??= (async () => {
      ready = false;
      process.off('exit', killJava);
      const closing = server
        ? new Promise<void>((r) => {
            server?.close(() => r());
            server?.closeAllConnections();
          })
        : Promise.resolve();
      await Promise.allSettled([scheduler?.stop(), ...pollers.map((p) => p.stop())]);
      await closing;
      await Promise.allSettled([s3Server?.stop(), sqsServer?.stop(), dynamo?.stop()]);
      if (recordState) removeState(dataDir);
    })();
    return stopped;
  }

  try {
    if (options.http !== false) {
      const keys = await loadOrCreateSigningKeys(dataDir);
      server = createGateway({
        routes: spec.routes,
        ...(spec.unmatchedRoute ? { unmatchedRoute: spec.unmatchedRoute } : {}),
        keys,
        isReady: () => ready,
        handlerExists: (target) => loader.exists(target.handler),
        loadHandler: (target) => loader.load<HttpHandler>(target.handler),
        log,
        ...(options.accessLog === false ? {} : { accessLog: (line: string) => write(`[http] ${line}`) }),
      });
      const wanted = options.port ?? envInt('PORT') ?? 3000;
      const host = options.host ?? '127.0.0.1';
      await new Promise<void>((resolveListen, reject) => {
        server?.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'EADDRINUSE' ? new Error(`Port ${wanted} is in use; set PORT to another port`) : error),
        );
        server?.listen(wanted, host, () => resolveListen());
      });
      port = (server.address() as AddressInfo).port;
      state.url = `http://${host}:${port}`;
    }

    const [dynamoEndpoint, sqsEndpoint] = await Promise.all([
      (async () => {
        if (options.dynamodb) {
          await waitForDynamoDb(options.dynamodb.endpoint, 10_000);
          return options.dynamodb.endpoint;
        }
        dynamo = await startDynamoDbLocal({
          port: await preferredPort(options.dynamodbPort, 'DYNAMODB_PORT', 8000),
          dataDir: join(dataDir, 'dynamodb'),
          onSpawn: (pid) => {
            state.dynamoPid = pid;
            if (recordState) writeState(dataDir, state);
          },
        });
        return dynamo.endpoint;
      })(),
      (async () => {
        if (options.sqs) return options.sqs.endpoint;
        sqsServer = await startLocalSqs({ port: await preferredPort(options.sqsPort, 'SQS_PORT', 9324) });
        return sqsServer.endpoint;
      })(),
    ]);

    const dynamoClient = localDynamoClient(dynamoEndpoint);
    const sqs = localSqsClient(sqsEndpoint);
    const [created, queues] = await Promise.all([
      ensureTable(dynamoClient, tableName),
      ensureQueues(sqs, spec.queues, {
        ...(options.sqs?.queuePrefix ? { prefix: options.sqs.queuePrefix } : {}),
        ...(visibility !== undefined ? { visibilityTimeoutSeconds: visibility } : {}),
      }),
    ]);
    dynamoClient.destroy();
    if (created) log(`created table ${tableName}`);

    let s3 = options.s3;
    if (!s3) {
      const documentsQueue = queues.find((q) => q.name === 'documents');
      s3Server = await startLocalS3({
        directory: join(dataDir, 's3'),
        buckets: [LOCAL_DOCUMENTS_BUCKET],
        port: await preferredPort(options.s3Port, 'S3_PORT', 4568),
        onObjectCreated: forwardObjectCreated(
          sqs,
          () => documentsQueue?.url,
          (m) => log(m),
        ),
      });
      s3 = { endpoint: s3Server.endpoint, bucket: LOCAL_DOCUMENTS_BUCKET };
    }

    const env = handlerEnv({
      dynamoEndpoint,
      sqsEndpoint,
      tableName,
      queues,
      s3,
      cursorSecret: loadOrCreateCursorKey(dataDir),
    });
    applyEnv(env);

    if (options.pollers !== false) {
      for (const queue of queues) {
        if (!loader.exists(queue.decl.processor)) {
          log(`queue ${queue.name}: processor ${queue.decl.processor} does not exist yet; messages wait on the queue`);
          continue;
        }
        polledQueues.push(queue.name);
        pollers.push(
          startPoller({
            sqs,
            queue: { name: queue.name, url: queue.url, arn: queue.arn },
            batchSize: queue.decl.batchSize,
            timeoutMs: processorTimeoutSeconds(queue.decl.visibilityTimeoutSeconds) * 1000,
            concurrency: options.pollerConcurrency ?? (Number(process.env.LOCAL_POLLER_CONCURRENCY) || 2),
            loadHandler: () => loader.load<SqsHandler>(queue.decl.processor),
            log,
            ...(options.onBatch ? { onBatch: (outcome: BatchOutcome) => options.onBatch?.(queue.name, outcome) } : {}),
          }),
        );
      }
    }

    const schedulerInstance = startScheduler({
      schedules: runScheduler ? spec.schedules : [],
      loadHandler: (decl) => loader.load<JobHandler>(decl.handler),
      log,
    });
    scheduler = schedulerInstance;

    Object.assign(state, { dynamoEndpoint, sqsEndpoint, tableName, env });
    if (recordState) writeState(dataDir, state);
    ready = true;

    if (options.preload !== false) {
      const modules = [
        ...spec.routes.map((r) => r.handler),
        ...(spec.unmatchedRoute ? [spec.unmatchedRoute.handler] : []),
        ...spec.queues.map((q) => q.processor),
        ...spec.schedules.map((s) => s.handler),
      ].filter((h, i, all) => all.indexOf(h) === i && loader.exists(h));
      void (async () => {
        for (const handler of modules) {
          if (stopped) return;
          try {
            await loader.load(handler);
          } catch (error) {
            log(`handler ${handler} failed to load`, { error: error instanceof Error ? error.message : String(error) });
          }
        }
      })();
    }

    return {
      url: state.url ?? '',
      port,
      dataDir,
      tableName,
      dynamoEndpoint,
      sqsEndpoint,
      s3,
      queues,
      polledQueues,
      env,
      scheduler,
      runJob: async (name, detail, time) => {
        const decl = spec.schedules.find((s) => s.name === name);
        if (!decl) throw new Error(`Unknown job ${name}`);
        return invokeJob(decl, await loader.load<JobHandler>(decl.handler), detail, time);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
