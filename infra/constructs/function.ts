import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { dlqUrlEnv, queueUrlEnv } from '#shared/manifest.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import {
  JOB_TIMEOUT_SECONDS,
  ROUTE_TIMEOUT_SECONDS,
  type FunctionKind,
  type InfraPermissions,
} from '#infra/manifest.ts';
import type { BackOfficeTable } from '#infra/constructs/table.ts';
import type { WorkQueue } from '#infra/constructs/queue.ts';
import type { DocumentsBucket } from '#infra/constructs/documents.ts';
import { DOCUMENTS_BUCKET_ENV } from '#shared/platform/config.ts';
import { WORK_METRICS_TARGET } from '#shared/queue/work-metrics.ts';
import { AUDIT_KEY_PREFIX } from '#shared/keys.ts';

/** Settings every Back Office function shares; see docs/deploy.md for why each was chosen. */
export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  logRetention: logs.RetentionDays.ONE_MONTH,
  routeTimeoutSeconds: ROUTE_TIMEOUT_SECONDS,
  jobTimeoutSeconds: JOB_TIMEOUT_SECONDS,
  logLevel: 'INFO',
} as const;

/**
 * esbuild's import banner: AWS SDK v3 and some of its dependencies still call `require` for Node built-ins, which an
 * ESM bundle does not define.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface BackOfficeFunctionProps {
  readonly kind: FunctionKind;
  /** Module path from the project root without extension, as written in the manifest. */
  readonly handler: string;
  readonly permissions: InfraPermissions;
  readonly projectRoot: string;
  readonly table: BackOfficeTable;
  /** Every queue of the stack by manifest name. */
  readonly queues: ReadonlyMap<string, WorkQueue>;
  /** The documents bucket, for functions granted `bucket` actions. */
  readonly documents?: DocumentsBucket;
  /**
   * The stack's one log group for every function (`FunctionLogs`): Lambda names each stream
   * `YYYY/MM/DD/<function name>[<version>]<environment id>`, so a function's lines stay apart, and the stack keeps
   * one resource instead of one per function (a CloudFormation stack holds at most 500; docs/decisions.md).
   */
  readonly logGroup: logs.ILogGroup;
  /** The list-cursor signing key; read only by functions whose entry declares `cursorKey`. */
  readonly cursorKey: secretsmanager.ISecret;
  readonly timeout: Duration;
  readonly description: string;
}

/**
 * One Lambda function for one manifest handler, with the house defaults (Node.js 22 on arm64, an ESM bundle built
 * locally by esbuild, the stack's log group with retention) and a role that holds exactly what the manifest entry
 * declares: its table actions, `dynamodb:Query` on the table and indexes it names, `sqs:SendMessage` on the queues it
 * sends to, its S3 actions on the document objects, queue administration when asked, and writing to its own log
 * group. No managed policies.
 */
export class BackOfficeFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.ILogGroup;
  readonly handler: string;
  readonly kind: FunctionKind;
  readonly permissions: InfraPermissions;

  constructor(scope: Construct, id: string, props: BackOfficeFunctionProps) {
    super(scope, id);
    this.handler = props.handler;
    this.kind = props.kind;
    this.permissions = props.permissions;
    const entry = join(props.projectRoot, `${props.handler}.ts`);
    if (!existsSync(entry)) {
      throw new Error(`Handler ${props.handler} (${props.description}) has no file at ${entry}`);
    }

    this.logGroup = props.logGroup;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.handler}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        CURRENCY: 'USD',
        POWERTOOLS_SERVICE_NAME: WORK_METRICS_TARGET.service,
        POWERTOOLS_METRICS_NAMESPACE: WORK_METRICS_TARGET.namespace,
        LOG_LEVEL: FUNCTION_DEFAULTS.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        // Signs list cursors: the secret generated at deploy, read by list routes only
        // (docs/decisions.md#cursors-are-signed).
        ...(props.permissions.cursorKey ? { CURSOR_KEY_SECRET_ARN: props.cursorKey.secretArn } : {}),
        ...queueEnvironment(props.permissions, props.queues),
        ...((props.permissions.bucket ?? []).length > 0
          ? { [DOCUMENTS_BUCKET_ENV]: documentsOf(props).bucket.bucketName }
          : {}),
        ...slaPolicyEnvironment(scope),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        keepNames: true,
        // Linked source map (index.mjs.map plus a sourceMappingURL comment) that NODE_OPTIONS=--enable-source-maps
        // applies to stack traces; mappings only, the sources stay out of the deployment package.
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundle everything, the AWS SDK included, so the deployed code runs the SDK versions package-lock.json pins
        // and that the tests ran against, not whatever the Lambda runtime happens to ship.
        externalModules: [],
        // esbuild's per-bundle size summary is noise at synth time; warnings and errors still print.
        logLevel: LogLevel.WARNING,
      },
    });
    this.grant(props);
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the architecture fixes (docs/contract.md#architecture): ' +
        'the handlers, their bundled AWS SDK and the local runtime are tested on it. ' +
        'Moving to a newer Node.js line is a deliberate upgrade across all of them.',
    });
  }

  private grant(props: BackOfficeFunctionProps): void {
    const { permissions, table, queues, cursorKey } = props;
    // Audit events are append-only whatever the manifest says (docs/decisions.md#audit-events): an explicit Deny wins
    // over any Allow, so no function can update or delete an item whose partition key is an audit key.
    this.role.addToPolicy(auditEventsImmutable(table.table.tableArn));
    if (permissions.cursorKey) {
      // GetSecretValue alone (no DescribeSecret, no other secret); the AWS managed key needs no KMS grant.
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [cursorKey.secretArn] }),
      );
    }
    const itemActions = [...new Set(permissions.table ?? [])];
    if (itemActions.length > 0) {
      this.role.addToPolicy(new iam.PolicyStatement({ actions: itemActions, resources: [table.table.tableArn] }));
    }
    const queryTargets = [...new Set(permissions.query ?? [])];
    if (queryTargets.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: queryTargets.map((t) => table.queryResource(t)),
        }),
      );
    }
    const sendTo = [...new Set(permissions.sendTo ?? [])].map((name) => queueNamed(queues, name));
    if (sendTo.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: sendTo.map((q) => q.queue.queueArn) }),
      );
    }
    const bucketActions = [...new Set(permissions.bucket ?? [])];
    if (bucketActions.length > 0) {
      const documents = documentsOf(props);
      this.role.addToPolicy(new iam.PolicyStatement({ actions: bucketActions, resources: [documents.objectsArn()] }));
      const bucketId = Stack.of(documents).getLogicalId(documents.bucket.node.defaultChild as CfnElement);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/documents/*]`,
        reason:
          'Object actions are granted on the document objects (`documents/*`), the narrowest resource S3 offers: ' +
          'object keys are document ids minted at run time. Only the actions the function uses are granted.',
      });
    }
    const all = [...queues.values()];
    if (permissions.queueStats) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['sqs:GetQueueAttributes'],
          resources: all.flatMap((q) => [q.queue.queueArn, q.deadLetterQueue.queueArn]),
        }),
      );
    }
    if (permissions.queueAdmin) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
          resources: all.map((q) => q.deadLetterQueue.queueArn),
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: all.map((q) => q.queue.queueArn) }),
      );
    }
  }
}

function documentsOf(props: BackOfficeFunctionProps): DocumentsBucket {
  if (!props.documents) throw new Error(`${props.handler} is granted bucket actions but the stack has no bucket`);
  return props.documents;
}

/** The actions that could change or remove a stored item, denied on every `AUDIT#` partition of the table. */
export const AUDIT_DENIED_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

/**
 * The statement every function's role carries: Deny `AUDIT_DENIED_ACTIONS` on the table when any leading (partition)
 * key of the request matches `AUDIT#*`. `dynamodb:LeadingKeys` is multivalued, hence `ForAnyValue`; inside a
 * `TransactWriteItems` IAM authorizes each item's own action with its own key, so a transaction's Update or Delete of
 * an event is refused too. A `BatchWriteItem` (whose deletes and puts are unconditional) is refused on audit keys
 * outright. IAM cannot refuse a `PutItem` that would overwrite an event (no condition key reads a
 * ConditionExpression); every event is written with `attribute_not_exists` under a fresh event id instead.
 */
export function auditEventsImmutable(tableArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    actions: [...AUDIT_DENIED_ACTIONS],
    resources: [tableArn],
    conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_KEY_PREFIX}*`] } },
  });
}

function queueNamed(queues: ReadonlyMap<string, WorkQueue>, name: string): WorkQueue {
  const queue = queues.get(name);
  if (!queue) throw new Error(`No queue named ${name}`);
  return queue;
}

/** `QUEUE_URL_<NAME>` for each queue the function sends to; every queue and dead-letter queue URL for ops functions. */
function queueEnvironment(
  permissions: InfraPermissions,
  queues: ReadonlyMap<string, WorkQueue>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of permissions.sendTo ?? []) env[queueUrlEnv(name)] = queueNamed(queues, name).queue.queueUrl;
  if (permissions.queueAdmin || permissions.queueStats) {
    for (const [name, q] of queues) {
      env[queueUrlEnv(name)] = q.queue.queueUrl;
      env[dlqUrlEnv(name)] = q.deadLetterQueue.queueUrl;
    }
  }
  return env;
}

/**
 * `SLA_POLICY` for the service desk when the deployment sets one (`cdk deploy -c slaPolicy='{"urgent":...}'`), checked
 * at synth so a malformed policy never reaches a function; absent, the functions use the contract's hours.
 */
function slaPolicyEnvironment(scope: Construct): Record<string, string> {
  const raw: unknown = scope.node.tryGetContext('slaPolicy');
  if (raw === undefined) return {};
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  slaPolicyFromEnv({ SLA_POLICY: text });
  return { SLA_POLICY: text };
}
