/**
 * Records, during integration and e2e tests, which DynamoDB, SQS and S3 actions each manifest handler really makes, and
 * refuses (as IAM would) any its manifest entry does not grant. `setup-aws.ts` installs it in every test file:
 * - every manifest handler module is wrapped (`vi.doMock`) so each invocation — by a test, by the harness in
 *   `index.ts`, or by the in-process local runtime of e2e tests — runs in an AsyncLocalStorage context naming it;
 * - middleware on the shared clients of `#shared/platform/clients.ts` (as `scripts/bench/capacity.ts` instruments
 *   them) maps each request to IAM actions (`grants.ts`) and checks them against that handler's grants, then applies
 *   the Deny every role carries: an UpdateItem or DeleteItem (also inside a transaction) of an `AUDIT#` key is refused
 *   with an AccessDeniedException, as IAM refuses it in AWS.
 * Requests made outside any handler (fixtures, assertions, the harness's own queue reads) are not recorded.
 * `global-setup.ts` compares what every file recorded with the declarations after the run (over-grants).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InitializeMiddleware } from '@smithy/types';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { functionSpecs, realManifest, type FunctionSpec, type InfraManifest } from '#infra/manifest.ts';
import {
  accessKey,
  CURSOR_KEY_READ,
  deniedAccesses,
  dynamoAccesses,
  grantsOf,
  s3Accesses,
  sqsAccesses,
  type Access,
} from './grants.ts';

/** The name of the handler whose invocation the current async context belongs to. */
const invocation = new AsyncLocalStorage<string>();
/** Handlers invoked in this test file, whether or not they made any request. */
const invoked = new Set<string>();

/** The manifest handler whose invocation is running in this async context, if any. */
export function currentHandler(): string | undefined {
  return invocation.getStore();
}

/**
 * `fn` (a module's `handler` export) with every call attributed to `handler`: the call and all it starts, awaited or
 * not, run in that handler's context. Other properties of the export (a middy instance's `use`…) are kept.
 */
export function attributed<F>(handler: string, fn: F): F {
  if (typeof fn !== 'function') return fn;
  const original = fn as unknown as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    invoked.add(handler);
    return invocation.run(handler, () => original.apply(this, args));
  };
  return Object.assign(wrapped, original) as unknown as F;
}

/** What one test file recorded; `global-setup.ts` reads one of these per file. */
export interface FileRecord {
  file: string;
  /** Tests of the file by how they ended; skipped ones mean the run was not the whole suite. */
  tests: { run: number; skipped: number };
  /** Every handler invoked in the file, with the distinct accesses it made (possibly none). */
  uses: Record<string, Access[]>;
  /** Accesses a handler made that its manifest entry does not grant. */
  violations: string[];
}

export interface Recorder {
  /** Accesses by handler, for every handler invoked so far in this file. */
  readonly uses: Map<string, Map<string, Access>>;
  /** Refused accesses not yet reported to a test (`takeViolations`). */
  takeViolations(): string[];
  /** Every refused access of this file. */
  readonly allViolations: string[];
  dispose(): void;
}

export interface RecorderOptions {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  /** The shared S3 client: its calls and its presigned URLs (signed through `shared/data/objects.ts`). */
  s3: S3Client;
  tableName: string;
  /** This file's documents bucket. */
  bucket: string;
  queues: readonly { name: string; url: string; dlqUrl: string }[];
  queuePrefix: string;
  manifest?: InfraManifest;
}

const MIDDLEWARE = 'testAccessRecorder';

/** An error shaped like the one AWS answers when a role lacks an action, naming the handler and what it lacked. */
export class AccessDeniedException extends Error {
  override name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
}

let activeCheck: ((accesses: Access[]) => void) | undefined;

/**
 * Records (and refuses, as IAM would, when not granted) that the running handler read the cursor signing key: locally
 * the key is in the environment, so `setup-aws.ts` calls this from wrapped `encodeCursor`/`decodeCursor`.
 */
export function recordCursorKeyRead(): void {
  if (currentHandler()) activeCheck?.([CURSOR_KEY_READ]);
}

/** Installs the recording middleware on the shared clients; one recorder per test file. */
export function installRecorder(options: RecorderOptions): Recorder {
  const manifest = options.manifest ?? realManifest;
  const specs = new Map<string, FunctionSpec>(functionSpecs(manifest).map((spec) => [spec.handler, spec]));
  const granted = new Map<string, Set<string>>();
  const grantsFor = (spec: FunctionSpec) => {
    let set = granted.get(spec.handler);
    if (!set) granted.set(spec.handler, (set = new Set(grantsOf(manifest, spec).map(accessKey))));
    return set;
  };

  const tableResource = (name: string | undefined) => (name === options.tableName ? 'table' : `unknown-table/${name}`);
  const byUrl = new Map<string, string>();
  for (const q of options.queues) {
    byUrl.set(q.url, `queue/${q.name}`);
    byUrl.set(q.dlqUrl, `dlq/${q.name}`);
  }
  const queueResource = (urlOrName: string | undefined) => {
    if (urlOrName === undefined) return 'unknown-queue/';
    const known = byUrl.get(urlOrName);
    if (known) return known;
    // Another client's spelling of the same URL, or a bare name: judge by this file's physical queue names.
    const name = (urlOrName.split('/').pop() ?? '').replace(options.queuePrefix, '');
    const decl = manifest.queues.find((q) => name === q.name || name === `${q.name}-dlq`);
    return decl ? (name.endsWith('-dlq') ? `dlq/${decl.name}` : `queue/${decl.name}`) : `unknown-queue/${urlOrName}`;
  };

  const uses = new Map<string, Map<string, Access>>();
  const pending: string[] = [];
  const allViolations: string[] = [];

  const check = (accesses: Access[]) => {
    const handler = currentHandler();
    if (!handler) return;
    const spec = specs.get(handler);
    let seen = uses.get(handler);
    if (!seen) uses.set(handler, (seen = new Map()));
    const refused: string[] = [];
    for (const access of accesses) {
      seen.set(accessKey(access), access);
      if (!spec || !grantsFor(spec).has(accessKey(access))) refused.push(accessKey(access));
    }
    if (refused.length === 0) return;
    const source = spec ? `its manifest entry (${spec.source})` : 'it is not in the manifest, so nothing';
    const message =
      `${handler} made ${refused.join(', ')}, which ${source} does not grant ` +
      '(least privilege, shared/manifest.ts)';
    pending.push(message);
    allViolations.push(message);
    throw new AccessDeniedException(`User: ${handler} is not authorized to perform: ${refused.join(', ')}. ${message}`);
  };

  /** The stack's explicit Deny (audit events are immutable): refused whatever the handler's grants. */
  const checkDenied = (commandName: string, input: Record<string, any>) => {
    const handler = currentHandler();
    if (!handler) return;
    const refused = deniedAccesses(commandName, input);
    if (refused.length === 0) return;
    const message =
      `${handler} made ${refused.join(', ')}, which every role's explicit Deny refuses ` +
      '(audit events cannot be changed or deleted, infra/constructs/function.ts)';
    throw new AccessDeniedException(
      `User: ${handler} is not authorized to perform: ${refused.join(', ')} with an explicit deny. ${message}`,
    );
  };

  activeCheck = check;
  const dynamoMiddleware: InitializeMiddleware<any, any> = (next, context) => async (args) => {
    if (currentHandler()) {
      const commandName = context.commandName ?? 'Unknown';
      check(dynamoAccesses(commandName, args.input ?? {}, tableResource));
      checkDenied(commandName, args.input ?? {});
    }
    return next(args);
  };
  const sqsMiddleware: InitializeMiddleware<any, any> = (next, context) => async (args) => {
    if (currentHandler()) check(sqsAccesses(context.commandName ?? 'Unknown', args.input ?? {}, queueResource));
    return next(args);
  };
  // A presigned URL is signed by running the command's middleware up to signing (getSignedUrl clones the client's
  // stack), so a presign passes here as the call the URL will make: the signer needs that call's permission.
  const s3Middleware: InitializeMiddleware<any, any> = (next, context) => async (args) => {
    if (currentHandler()) {
      const bucket = (name: string | undefined) => (name === options.bucket ? 'bucket' : `unknown-bucket/${name}`);
      check(s3Accesses(context.commandName ?? 'Unknown', args.input ?? {}, bucket));
    }
    return next(args);
  };
  // The document client shares the DynamoDB client's middleware stack, so its commands pass here too.
  options.dynamo.middlewareStack.add(dynamoMiddleware, { step: 'initialize', priority: 'high', name: MIDDLEWARE });
  options.sqs.middlewareStack.add(sqsMiddleware, { step: 'initialize', priority: 'high', name: MIDDLEWARE });
  options.s3.middlewareStack.add(s3Middleware, { step: 'initialize', priority: 'high', name: MIDDLEWARE });

  return {
    uses,
    allViolations,
    takeViolations: () => pending.splice(0),
    dispose() {
      if (activeCheck === check) activeCheck = undefined;
      options.dynamo.middlewareStack.remove(MIDDLEWARE);
      options.sqs.middlewareStack.remove(MIDDLEWARE);
      options.s3.middlewareStack.remove(MIDDLEWARE);
    },
  };
}

/** The recorder's findings as one file's record. */
export function fileRecord(file: string, recorder: Recorder, tests: FileRecord['tests']): FileRecord {
  return {
    file,
    tests,
    uses: Object.fromEntries(
      [...new Set([...invoked, ...recorder.uses.keys()])]
        .sort()
        .map((handler) => [handler, [...(recorder.uses.get(handler)?.values() ?? [])]]),
    ),
    violations: recorder.allViolations,
  };
}
