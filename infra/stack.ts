import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BackOfficeApi } from '#infra/constructs/api.ts';
import { AlarmTopic } from '#infra/constructs/alarms.ts';
import { StaffDirectory } from '#infra/constructs/auth.ts';
import { FUNCTION_DEFAULTS, type BackOfficeFunction } from '#infra/constructs/function.ts';
import { WorkQueue } from '#infra/constructs/queue.ts';
import { ScheduledJob } from '#infra/constructs/schedule.ts';
import { BackOfficeTable } from '#infra/constructs/table.ts';
import { DocumentsBucket } from '#infra/constructs/documents.ts';
import { checkManifest, functionSpecs, nameId, realManifest, type InfraManifest } from '#infra/manifest.ts';

/** The repository root: handler paths in the manifest are relative to it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BackOfficeStackProps extends StackProps {
  /** What to build; defaults to `#shared/manifest.ts`. Tests pass a fixture. */
  readonly manifest?: InfraManifest;
  /** Where handler paths are resolved from; defaults to the repository root. */
  readonly projectRoot?: string;
}

/**
 * The whole Back Office in one stack, built from the manifest: the table, a work queue with its dead-letter queue
 * and processor per declared queue, the documents bucket, the HTTP API with one function per route behind the staff
 * user pool, one EventBridge rule and function per scheduled job, and an alarm topic every alarm reports to.
 */
export class BackOfficeStack extends Stack {
  /** The manifest this stack was built from. */
  readonly manifest: InfraManifest;
  readonly table: BackOfficeTable;
  readonly alarms: AlarmTopic;
  readonly queues: ReadonlyMap<string, WorkQueue>;
  /** The documents bucket, notifying the `documents` queue when the manifest declares one. */
  readonly documents: DocumentsBucket;
  readonly staff: StaffDirectory;
  readonly api: BackOfficeApi;
  readonly jobs: ReadonlyMap<string, ScheduledJob>;
  /** The list-cursor signing key (a generated secret). */
  readonly cursorKey: secretsmanager.Secret;
  /** Every function by manifest handler path. */
  readonly functions: ReadonlyMap<string, BackOfficeFunction>;

  constructor(scope: Construct, id: string, props: BackOfficeStackProps = {}) {
    super(scope, id, props);
    const manifest = props.manifest ?? realManifest;
    this.manifest = manifest;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    checkManifest(manifest);
    const missing = functionSpecs(manifest).filter((spec) => !existsSync(join(projectRoot, `${spec.handler}.ts`)));
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.handler}.ts (${m.source})`).join('\n  - ');
      throw new Error(`Handler files missing under ${projectRoot}:\n  - ${list}`);
    }

    this.table = new BackOfficeTable(this, 'Data');
    this.alarms = new AlarmTopic(this, 'Alarms');
    // Queues first: any function may send to any queue, processors included.
    this.queues = new Map(
      manifest.queues.map((decl) => [
        decl.name,
        new WorkQueue(this, `Queue${nameId(decl.name)}`, { decl, alarms: this.alarms }),
      ]),
    );
    const documentsQueue = this.queues.get('documents');
    this.documents = new DocumentsBucket(this, 'Documents', documentsQueue ? { notify: documentsQueue.queue } : {});
    // One log group for every function, with retention: streams are named after their function (docs/decisions.md).
    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'Signs list cursors (docs/decisions.md#cursors-are-signed): generated at deploy, rotated by ops',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by ops (docs/operations.md, put-secret-value with a new random value), not by a rotation Lambda: ' +
        'the key only signs list cursors, functions accept the previous version, and re-read it every 10 minutes.',
    });
    const shared = {
      projectRoot,
      table: this.table,
      queues: this.queues,
      documents: this.documents,
      logGroup,
      cursorKey: this.cursorKey,
    };

    this.staff = new StaffDirectory(this, 'Staff', { roles: manifest.roles });
    this.api = new BackOfficeApi(this, 'Api', {
      ...shared,
      routes: manifest.routes,
      ...(manifest.unmatchedRoute ? { unmatchedRoute: manifest.unmatchedRoute } : {}),
      staff: this.staff,
    });
    for (const queue of this.queues.values()) queue.attachProcessor(shared);
    this.jobs = new Map(
      manifest.schedules.map((decl) => [
        decl.name,
        new ScheduledJob(this, `Schedule${nameId(decl.name)}`, { ...shared, decl, alarms: this.alarms }),
      ]),
    );

    this.functions = new Map<string, BackOfficeFunction>([
      ...this.api.functions,
      ...[...this.queues.values()].map((q) => [q.decl.processor, q.processor!] as const),
      ...[...this.jobs.values()].map((j) => [j.job.handler, j.job] as const),
    ]);

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.staff.userPool.userPoolId, description: 'Staff user pool' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.staff.client.userPoolClientId,
      description: 'App client for tokens',
    });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'DocumentsBucketName', {
      value: this.documents.bucket.bucketName,
      description: 'Objects of documents attached to records',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe ops here for alarms',
    });
  }
}
