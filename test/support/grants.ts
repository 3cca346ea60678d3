/**
 * The least-privilege model the tests hold the manifest to, with no AWS and no vitest in it:
 * - what a manifest entry grants, as `action on resource` pairs over abstract resources (`table`,
 *   `table/index/gsi1`, `queue/orders`, `dlq/orders`, `bucket` for the documents bucket's objects) — the same pairs
 *   the CDK contract test expects in each role;
 * - which IAM actions an SDK request needs (a TransactWriteItems needs the action of every item it contains);
 * - which declared units (an item action, a query target such as `gsi1`, a queue) a run never used.
 * `access-recorder.ts` applies it to the requests handlers make during integration and e2e tests.
 */
import type { QueryTarget } from '#shared/manifest.ts';
import { AUDIT_KEY_PREFIX } from '#shared/keys.ts';
import type { FunctionSpec, InfraManifest } from '#infra/manifest.ts';

/** What the event source mapping needs on a processor's own queue; CDK grants it with the mapping, not the manifest. */
export const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueUrl',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
] as const;

/** One IAM action on one abstract resource: `dynamodb:Query on table/index/gsi1`, `sqs:SendMessage on queue/orders`. */
export interface Access {
  action: string;
  resource: string;
}

/** Reading the list-cursor signing key: what a handler does when it signs or verifies a cursor. */
export const CURSOR_KEY_READ: Access = { action: 'secretsmanager:GetSecretValue', resource: 'secret/cursor-key' };

export const accessKey = (a: Access): string => `${a.action} on ${a.resource}`;

const pairs = (actions: readonly string[], resources: readonly string[]): Access[] =>
  actions.flatMap((action) => resources.map((resource) => ({ action, resource })));

/** The abstract resource a query of `target` reads: `table`, or `table/index/gsi1` for an index. */
export const queryResource = (target: QueryTarget): string => (target === 'table' ? 'table' : `table/index/${target}`);

/** The queue a processor spec consumes (its event source), if it is a processor. */
export function ownQueue(manifest: InfraManifest, spec: FunctionSpec): string | undefined {
  return spec.kind === 'processor' ? manifest.queues.find((q) => q.processor === spec.handler)?.name : undefined;
}

/**
 * Every `action on resource` a function's role holds, as infra/constructs/function.ts builds it from the manifest
 * entry: item actions on the table, `Query` on each of the table and indexes it names (nothing else), `SendMessage`
 * on the queues it sends to, the queue statistics or administration bundles, and (processors) what the event source
 * mapping needs on its queue. Log-group writes are left out: no handler code makes them.
 */
export function grantsOf(manifest: InfraManifest, spec: FunctionSpec): Access[] {
  const p = spec.permissions;
  const queues = manifest.queues.map((q) => q.name);
  const out: Access[] = [];
  out.push(...pairs([...new Set(p.table ?? [])], ['table']));
  out.push(...pairs(['dynamodb:Query'], [...new Set(p.query ?? [])].map(queryResource)));
  out.push(
    ...pairs(
      ['sqs:SendMessage'],
      [...new Set(p.sendTo ?? [])].map((q) => `queue/${q}`),
    ),
  );
  if (p.queueStats) {
    out.push(
      ...pairs(['sqs:GetQueueAttributes'], [...queues.map((q) => `queue/${q}`), ...queues.map((q) => `dlq/${q}`)]),
    );
  }
  if (p.queueAdmin) {
    out.push(
      ...pairs(
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        queues.map((q) => `dlq/${q}`),
      ),
    );
    out.push(
      ...pairs(
        ['sqs:SendMessage'],
        queues.map((q) => `queue/${q}`),
      ),
    );
  }
  out.push(...pairs([...new Set(p.bucket ?? [])], ['bucket']));
  if (p.cursorKey) out.push(CURSOR_KEY_READ);
  const own = ownQueue(manifest, spec);
  if (own) out.push(...pairs(CONSUME_ACTIONS, [`queue/${own}`]));
  const seen = new Set<string>();
  return out.filter((a) => !seen.has(accessKey(a)) && seen.add(accessKey(a)));
}

// ---------------------------------------------------------------- what a request needs

type Input = Record<string, any>;

const TRANSACT_WRITE: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/**
 * The IAM actions a DynamoDB request needs, per resource: `QueryCommand` on an index → `dynamodb:Query on
 * table/index/gsi1`; a transaction → the item action of each entry (`Put` → `PutItem`, `ConditionCheck` →
 * `ConditionCheckItem`, a `TransactGetItems` `Get` → `GetItem`); batch requests → their own action on each table
 * they name. `tableResource` turns a physical table name into `table` (the stack's one table) or something no grant
 * covers.
 */
export function dynamoAccesses(
  commandName: string,
  input: Input,
  tableResource: (name: string | undefined) => string,
): Access[] {
  const operation = commandName.replace(/Command$/, '');
  switch (operation) {
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Input[]).flatMap((entry) =>
        Object.entries(TRANSACT_WRITE)
          .filter(([kind]) => entry[kind] !== undefined)
          .map(([kind, action]) => ({ action, resource: tableResource(entry[kind].TableName) })),
      );
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as Input[])
        .filter((entry) => entry.Get !== undefined)
        .map((entry) => ({ action: 'dynamodb:GetItem', resource: tableResource(entry.Get.TableName) }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(input.RequestItems ?? {}).map((name) => ({
        action: `dynamodb:${operation}`,
        resource: tableResource(name),
      }));
    case 'Query':
    case 'Scan': {
      const table = tableResource(input.TableName);
      return [
        { action: `dynamodb:${operation}`, resource: input.IndexName ? `${table}/index/${input.IndexName}` : table },
      ];
    }
    default:
      return [{ action: `dynamodb:${operation}`, resource: tableResource(input.TableName) }];
  }
}

// ---------------------------------------------------------------- what every role is denied

/** What the stack denies every function on audit partitions (infra/constructs/function.ts `auditEventsImmutable`). */
export const AUDIT_DENIED_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** The partition key of a request's `Key`/`Item`, whether the document client has marshalled it yet or not. */
function partitionKeyOf(key: Input | undefined): string | undefined {
  const pk = key?.pk;
  if (typeof pk === 'string') return pk;
  if (pk && typeof pk === 'object' && typeof pk.S === 'string') return pk.S as string;
  return undefined;
}

/**
 * The accesses of a DynamoDB request that the stack's explicit Deny refuses whatever the role allows: an UpdateItem
 * or DeleteItem (alone or as an item of a TransactWriteItems) whose key's partition starts with `AUDIT#`, and any
 * BatchWriteItem put or delete there (`dynamodb:LeadingKeys` `AUDIT#*`). Each is named `<action> on <pk>`.
 */
export function deniedAccesses(commandName: string, input: Input): string[] {
  const operation = commandName.replace(/Command$/, '');
  const audit = (pk: string | undefined) => pk !== undefined && pk.startsWith(AUDIT_KEY_PREFIX);
  const denied = (action: string, pk: string | undefined) => (audit(pk) ? [`${action} on ${pk}`] : []);
  switch (operation) {
    case 'UpdateItem':
    case 'DeleteItem':
      return denied(`dynamodb:${operation}`, partitionKeyOf(input.Key));
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Input[]).flatMap((entry) => [
        ...(entry.Update ? denied('dynamodb:UpdateItem', partitionKeyOf(entry.Update.Key)) : []),
        ...(entry.Delete ? denied('dynamodb:DeleteItem', partitionKeyOf(entry.Delete.Key)) : []),
      ]);
    case 'BatchWriteItem':
      return Object.values((input.RequestItems ?? {}) as Record<string, Input[]>).flatMap((requests) =>
        requests.flatMap((request) =>
          denied(
            'dynamodb:BatchWriteItem',
            partitionKeyOf(request.DeleteRequest?.Key) ?? partitionKeyOf(request.PutRequest?.Item),
          ),
        ),
      );
    default:
      return [];
  }
}

const SQS_BATCH: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/**
 * The IAM action an SQS request needs (a batch needs its single-message action) on the queue its URL names;
 * `queueResource` turns a URL (or, for GetQueueUrl, a name) into `queue/orders`, `dlq/orders` or an unknown queue.
 */
export function sqsAccesses(
  commandName: string,
  input: Input,
  queueResource: (urlOrName: string | undefined) => string,
): Access[] {
  const operation = commandName.replace(/Command$/, '');
  const target = operation === 'GetQueueUrl' || operation === 'CreateQueue' ? input.QueueName : input.QueueUrl;
  return [{ action: `sqs:${SQS_BATCH[operation] ?? operation}`, resource: queueResource(target) }];
}

const S3_ACTION: Record<string, string> = {
  GetObject: 's3:GetObject',
  // IAM has no HeadObject action: it needs s3:GetObject.
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
};

/**
 * The IAM action an S3 request (or a URL presigned for one) needs on the bucket it names: `HeadObject` needs
 * `s3:GetObject`; `bucketResource` turns a bucket name into `bucket` (the documents bucket) or an unknown one.
 */
export function s3Accesses(
  commandName: string,
  input: Input,
  bucketResource: (name: string | undefined) => string,
): Access[] {
  const operation = commandName.replace(/Command$/, '');
  return [{ action: S3_ACTION[operation] ?? `s3:${operation}`, resource: bucketResource(input.Bucket) }];
}

// ---------------------------------------------------------------- what a run never used

/**
 * One unit of a manifest declaration that a handler must be seen using, so that an unused one is an over-grant: each
 * item action on the table, each query target (the table, or one index: a function that queries gsi1 and gsi3 has
 * two units), each queue sent to, and the parts of the queue bundles.
 */
export interface DeclaredUse {
  handler: string;
  /**
   * How the manifest declares it: `table: dynamodb:GetItem`, `query: gsi1`, `sendTo: orders`,
   * `queueAdmin: sqs:ReceiveMessage`.
   */
  declaration: string;
  satisfiedBy: (use: Access) => boolean;
}

const onQueue = (use: Access) => use.resource.startsWith('queue/');
const onDlq = (use: Access) => use.resource.startsWith('dlq/');

/** The declared units of every function of the manifest. */
export function declaredUses(specs: readonly FunctionSpec[]): DeclaredUse[] {
  return specs.flatMap((spec) => {
    const p = spec.permissions;
    const units: DeclaredUse[] = [];
    const unit = (declaration: string, satisfiedBy: (use: Access) => boolean) =>
      units.push({ handler: spec.handler, declaration, satisfiedBy });
    for (const action of new Set(p.table ?? []))
      unit(`table: ${action}`, (u) => u.action === action && u.resource === 'table');
    for (const target of new Set(p.query ?? [])) {
      unit(`query: ${target}`, (u) => u.action === 'dynamodb:Query' && u.resource === queryResource(target));
    }
    for (const q of new Set(p.sendTo ?? []))
      unit(`sendTo: ${q}`, (u) => u.action === 'sqs:SendMessage' && u.resource === `queue/${q}`);
    for (const action of new Set(p.bucket ?? []))
      unit(`bucket: ${action}`, (u) => u.action === action && u.resource === 'bucket');
    if (p.queueStats) unit('queueStats: sqs:GetQueueAttributes', (u) => u.action === 'sqs:GetQueueAttributes');
    if (p.queueAdmin) {
      unit('queueAdmin: sqs:ReceiveMessage', (u) => u.action === 'sqs:ReceiveMessage' && onDlq(u));
      unit('queueAdmin: sqs:DeleteMessage', (u) => u.action === 'sqs:DeleteMessage' && onDlq(u));
      unit('queueAdmin: sqs:SendMessage', (u) => u.action === 'sqs:SendMessage' && onQueue(u));
    }
    if (p.cursorKey)
      unit('cursorKey: secretsmanager:GetSecretValue', (u) => accessKey(u) === accessKey(CURSOR_KEY_READ));
    return units;
  });
}

/**
 * Declared units no test exercises although the grant is right, each with the reason; the report lists them on every
 * run so they stay visible. Keep this short: the fix for an entry here is a test that uses the grant, or a grant the
 * infrastructure can express more narrowly.
 */
export const ACCEPTED_UNUSED: readonly { handler: string; declaration: string; reason: string }[] = [];

export interface UsageReport {
  /** Declared units no handler invocation used, minus the accepted ones. */
  unused: DeclaredUse[];
  /** Accepted units that indeed went unused this run. */
  accepted: (typeof ACCEPTED_UNUSED)[number][];
  /** Handlers the run never invoked. */
  notInvoked: string[];
}

/**
 * Compares what each handler was seen doing (`uses` by handler, an entry for every handler invoked, even one that made
 * no request) with what the manifest declares for it.
 */
export function usageReport(specs: readonly FunctionSpec[], uses: ReadonlyMap<string, readonly Access[]>): UsageReport {
  const unusedAll = declaredUses(specs).filter((d) => !(uses.get(d.handler) ?? []).some(d.satisfiedBy));
  const isAccepted = (d: DeclaredUse) =>
    ACCEPTED_UNUSED.some((a) => a.handler === d.handler && a.declaration === d.declaration);
  return {
    unused: unusedAll.filter((d) => !isAccepted(d)),
    accepted: ACCEPTED_UNUSED.filter((a) =>
      unusedAll.some((d) => d.handler === a.handler && d.declaration === a.declaration),
    ),
    notInvoked: specs.map((s) => s.handler).filter((h) => !uses.has(h)),
  };
}
