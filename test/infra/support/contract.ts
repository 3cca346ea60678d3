import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dlqUrlEnv, queueUrlEnv } from '#shared/manifest.ts';
import { TABLE, indexKeys } from '#shared/table.ts';
import { functionSpecs, type FunctionSpec } from '#infra/manifest.ts';
import type { BackOfficeFunction } from '#infra/constructs/function.ts';
import { grantsOf } from '../../support/grants.ts';
import { logicalId, type Synthesized } from './synth.ts';
import { deniesOfRole, grantSet, grantsOfRole, resource, resourcesOfType } from './template.ts';

function functionOf(s: Synthesized, spec: FunctionSpec): BackOfficeFunction {
  const fn = s.stack.functions.get(spec.handler);
  if (!fn) throw new Error(`No function for ${spec.handler}`);
  return fn;
}

/**
 * Every `action on resource` a function's role must hold for `spec`'s permissions, in the template's terms: the
 * least-privilege model the integration tests enforce (`test/support/grants.ts`: `table`, `table/index/gsi1` for
 * each index the entry queries, `queue/orders`, `dlq/orders`) mapped to logical ids, plus writing to its own log
 * group.
 */
export function expectedGrants(s: Synthesized, spec: FunctionSpec): string[] {
  const table = logicalId(s.stack.table.table);
  const resourceId = (resource: string): string => {
    const [kind, name, ...rest] = resource.split('/');
    if (kind === 'table') return [table, name, ...rest].filter(Boolean).join('/');
    if (kind === 'bucket') return `${logicalId(s.stack.documents.bucket)}/documents/*`;
    if (kind === 'secret') return `Ref:${logicalId(s.stack.cursorKey)}`;
    const queue = s.stack.queues.get(name!);
    if (!queue) throw new Error(`No queue ${name} in the stack`);
    return logicalId(kind === 'dlq' ? queue.deadLetterQueue : queue.queue);
  };
  const out = grantSet(['logs:CreateLogStream', 'logs:PutLogEvents'], [logicalId(functionOf(s, spec).logGroup)]);
  for (const access of grantsOf(s.manifest, spec)) out.push(`${access.action} on ${resourceId(access.resource)}`);
  return [...new Set(out)].sort();
}

/** Every `action on resource` the function's role really holds in the template. */
export function actualGrants(s: Synthesized, spec: FunctionSpec): string[] {
  return [...grantsOfRole(s.template, logicalId(functionOf(s, spec).role))].sort();
}

/**
 * The promises the stack makes for any manifest, asserted against the synthesized template: least privilege per
 * function, queue and event-source settings, alarms, the table's durability, the runtime, the API's authorization,
 * and cdk-nag. Both the fixture-manifest tests and the real-manifest test run it.
 */
export function describeStackContract(label: string, get: () => Synthesized): void {
  const fnOf = functionOf;

  describe(`${label}: least privilege`, () => {
    it('builds exactly one function per manifest handler and no helper functions', () => {
      const s = get();
      const specs = functionSpecs(s.manifest);
      expect(Object.keys(resourcesOfType(s.template, 'AWS::Lambda::Function'))).toHaveLength(specs.length);
      for (const spec of specs)
        expect(resource(s.template, logicalId(fnOf(s, spec).fn)).Type).toBe('AWS::Lambda::Function');
    });

    it('gives each function exactly its declared table actions and queues, and nothing else', () => {
      const s = get();
      for (const spec of functionSpecs(s.manifest)) {
        expect({ handler: spec.handler, grants: actualGrants(s, spec) }).toEqual({
          handler: spec.handler,
          grants: expectedGrants(s, spec),
        });
      }
    });

    it(
      "denies every function's role UpdateItem, DeleteItem and BatchWriteItem on the table's AUDIT# partitions " +
        '(audit events cannot be changed or deleted, whatever the manifest grants)',
      () => {
        const s = get();
        const table = logicalId(s.stack.table.table);
        for (const spec of functionSpecs(s.manifest)) {
          expect({ handler: spec.handler, denies: deniesOfRole(s.template, logicalId(fnOf(s, spec).role)) }).toEqual({
            handler: spec.handler,
            denies: [
              {
                actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
                resources: [table],
                condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
              },
            ],
          });
        }
      },
    );

    it('lets each function Query exactly the table and indexes its entry names, each by its own ARN', () => {
      const s = get();
      const table = logicalId(s.stack.table.table);
      for (const spec of functionSpecs(s.manifest)) {
        const queries = actualGrants(s, spec).filter((g) => g.startsWith('dynamodb:Query '));
        const named = [...new Set(spec.permissions.query ?? [])].map(
          (target) => `dynamodb:Query on ${target === 'table' ? table : `${table}/index/${target}`}`,
        );
        expect({ handler: spec.handler, queries }).toEqual({ handler: spec.handler, queries: named.sort() });
      }
    });

    it('uses one role per function with no managed or inline role policies', () => {
      const s = get();
      const roles = resourcesOfType(s.template, 'AWS::IAM::Role');
      const fnRoles = functionSpecs(s.manifest).map((spec) => logicalId(fnOf(s, spec).role));
      expect(new Set(fnRoles).size).toBe(fnRoles.length);
      for (const id of fnRoles) {
        expect(roles[id]?.Properties?.ManagedPolicyArns).toBeUndefined();
        expect(roles[id]?.Properties?.Policies).toBeUndefined();
      }
      expect(resourcesOfType(s.template, 'AWS::IAM::ManagedPolicy')).toEqual({});
    });

    it('grants no wildcard resources anywhere', () => {
      const s = get();
      for (const policy of Object.values(resourcesOfType(s.template, 'AWS::IAM::Policy'))) {
        // One wildcard is allowed: the document objects (`<documents bucket>/documents/*`, cdk-nag IAM5 acknowledged).
        const text = JSON.stringify(policy.Properties?.PolicyDocument).replace(
          /\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["Documents[A-Za-z0-9]*","Arn"\]\},"\/documents\/\*"\]\]\}/g,
          '"<document objects>"',
        );
        expect(text).not.toMatch(/"\*"|\/\*"/);
      }
    });
  });

  describe(`${label}: functions`, () => {
    it('runs every function on Node.js 22, arm64, with an explicit one-month log group', () => {
      const s = get();
      for (const [id, fn] of Object.entries(resourcesOfType(s.template, 'AWS::Lambda::Function'))) {
        expect({ id, runtime: fn.Properties?.Runtime, arch: fn.Properties?.Architectures }).toEqual({
          id,
          runtime: 'nodejs22.x',
          arch: ['arm64'],
        });
        expect(fn.Properties?.MemorySize).toBeGreaterThanOrEqual(256);
        expect(fn.Properties?.MemorySize).toBeLessThanOrEqual(1024);
        const logGroup = resource(s.template, fn.Properties?.LoggingConfig?.LogGroup?.Ref);
        expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
        expect(logGroup.Properties?.RetentionInDays).toBe(30);
        expect(logGroup.DeletionPolicy).toBe('Retain');
      }
    });

    it('passes the table name, house settings and exactly the queue URLs each function may use', () => {
      const s = get();
      const queueNames = s.manifest.queues.map((q) => q.name);
      for (const spec of functionSpecs(s.manifest)) {
        const vars = resource(s.template, logicalId(fnOf(s, spec).fn)).Properties?.Environment?.Variables as Record<
          string,
          unknown
        >;
        expect(vars).toMatchObject({
          TABLE_NAME: { Ref: logicalId(s.stack.table.table) },
          CURRENCY: 'USD',
          POWERTOOLS_SERVICE_NAME: 'back-office',
          POWERTOOLS_METRICS_NAMESPACE: 'BackOffice',
          LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        });
        // Cursors are signed with the generated secret, named to list routes only; no key is ever in the environment.
        expect(vars.CURSOR_SECRET).toBeUndefined();
        expect({ handler: spec.handler, secret: vars.CURSOR_KEY_SECRET_ARN }).toEqual({
          handler: spec.handler,
          secret: spec.permissions.cursorKey ? { Ref: logicalId(s.stack.cursorKey) } : undefined,
        });
        const queueVars = Object.keys(vars)
          .filter((k) => k.startsWith('QUEUE_URL_') || k.startsWith('DLQ_URL_'))
          .sort();
        const expected =
          spec.permissions.queueAdmin || spec.permissions.queueStats
            ? queueNames.flatMap((n) => [queueUrlEnv(n), dlqUrlEnv(n)])
            : (spec.permissions.sendTo ?? []).map(queueUrlEnv);
        expect({ handler: spec.handler, queueVars }).toEqual({
          handler: spec.handler,
          queueVars: [...new Set(expected)].sort(),
        });
        for (const name of spec.permissions.sendTo ?? []) {
          expect(vars[queueUrlEnv(name)]).toEqual({ Ref: logicalId(s.stack.queues.get(name)!.queue) });
        }
      }
    });
  });

  describe(`${label}: queues`, () => {
    it('encrypts every queue and dead-letter queue and refuses requests without TLS', () => {
      const s = get();
      const queues = resourcesOfType(s.template, 'AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(2 * s.manifest.queues.length);
      const policies = Object.values(resourcesOfType(s.template, 'AWS::SQS::QueuePolicy'));
      for (const [id, q] of Object.entries(queues)) {
        expect({ id, sse: q.Properties?.SqsManagedSseEnabled }).toEqual({ id, sse: true });
        const denies = policies.filter(
          (p) =>
            JSON.stringify(p.Properties?.Queues) === JSON.stringify([{ Ref: id }]) &&
            (p.Properties?.PolicyDocument?.Statement as any[]).some(
              (st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
            ),
        );
        expect({ id, denies: denies.length }).toEqual({ id, denies: 1 });
      }
    });

    it('redrives to the dead-letter queue after the declared receive count and keeps dead letters 14 days', () => {
      const s = get();
      for (const decl of s.manifest.queues) {
        const wq = s.stack.queues.get(decl.name)!;
        const queue = resource(s.template, logicalId(wq.queue));
        expect(queue.Properties?.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(wq.deadLetterQueue), 'Arn'] },
          maxReceiveCount: decl.maxReceiveCount,
        });
        expect(queue.Properties?.VisibilityTimeout).toBe(decl.visibilityTimeoutSeconds);
        expect(resource(s.template, logicalId(wq.deadLetterQueue)).Properties?.MessageRetentionPeriod).toBe(
          14 * 24 * 3600,
        );
      }
    });

    it('feeds each processor from its queue with the declared batch size and partial batch failures', () => {
      const s = get();
      const mappings = Object.values(resourcesOfType(s.template, 'AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(s.manifest.queues.length);
      for (const decl of s.manifest.queues) {
        const wq = s.stack.queues.get(decl.name)!;
        s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [logicalId(wq.queue), 'Arn'] },
          FunctionName: { Ref: logicalId(wq.processor!.fn) },
          BatchSize: decl.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });

    it('times each processor out within a sixth of its queue visibility timeout', () => {
      const s = get();
      for (const decl of s.manifest.queues) {
        const fn = resource(s.template, logicalId(s.stack.queues.get(decl.name)!.processor!.fn));
        const timeout = fn.Properties?.Timeout as number;
        expect(timeout).toBeGreaterThanOrEqual(3);
        expect(6 * timeout).toBeLessThanOrEqual(decl.visibilityTimeoutSeconds);
      }
    });
  });

  describe(`${label}: alarms`, () => {
    const topicRef = (s: Synthesized) => ({ Ref: logicalId(s.stack.alarms.topic) });

    it('alarms on the first message in every dead-letter queue, to the alarm topic', () => {
      const s = get();
      for (const decl of s.manifest.queues) {
        s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [
            {
              Name: 'QueueName',
              Value: { 'Fn::GetAtt': [logicalId(s.stack.queues.get(decl.name)!.deadLetterQueue), 'QueueName'] },
            },
          ],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicRef(s)],
        });
      }
    });

    it('alarms on errors of every processor and every scheduled job, to the alarm topic', () => {
      const s = get();
      for (const spec of functionSpecs(s.manifest).filter((f) => f.kind !== 'route')) {
        s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fnOf(s, spec).fn) } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicRef(s)],
        });
      }
    });

    it('encrypts the alarm topic with a rotating key CloudWatch may use, and requires TLS to publish', () => {
      const s = get();
      const topic = resource(s.template, logicalId(s.stack.alarms.topic));
      const keyId = topic.Properties?.KmsMasterKeyId?.['Fn::GetAtt']?.[0] as string;
      const key = resource(s.template, keyId);
      expect(key.Properties?.EnableKeyRotation).toBe(true);
      expect(JSON.stringify(key.Properties?.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
      s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef(s)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe(`${label}: table`, () => {
    it('is on-demand with point-in-time recovery, TTL, encryption, deletion protection and retained on delete', () => {
      const s = get();
      const tables = resourcesOfType(s.template, 'AWS::DynamoDB::Table');
      expect(Object.keys(tables)).toEqual([logicalId(s.stack.table.table)]);
      const table = Object.values(tables)[0]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
      });
    });

    it('declares every generic index with string keys and all attributes projected', () => {
      const s = get();
      const table = resource(s.template, logicalId(s.stack.table.table));
      const gsis = table.Properties?.GlobalSecondaryIndexes as any[];
      expect(gsis.map((g) => g.IndexName)).toEqual([...TABLE.indexes]);
      for (const index of TABLE.indexes) {
        const { pk, sk } = indexKeys(index);
        expect(gsis.find((g) => g.IndexName === index)).toMatchObject({
          KeySchema: [
            { AttributeName: pk, KeyType: 'HASH' },
            { AttributeName: sk, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        });
      }
      const attrs = table.Properties?.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
      expect(attrs.every((a) => a.AttributeType === 'S')).toBe(true);
    });
  });

  describe(`${label}: API and users`, () => {
    it(
      'puts the JWT authorizer on every route except public ones, ' +
        'each with its own Lambda integration (payload 2.0)',
      () => {
        const s = get();
        const routes = resourcesOfType(s.template, 'AWS::ApiGatewayV2::Route');
        expect(Object.keys(routes)).toHaveLength(s.manifest.routes.length + (s.manifest.unmatchedRoute ? 1 : 0));
        const authorizers = resourcesOfType(s.template, 'AWS::ApiGatewayV2::Authorizer');
        expect(Object.values(authorizers).map((a) => a.Properties?.AuthorizerType)).toEqual(['JWT']);
        const authorizerId = Object.keys(authorizers)[0]!;
        for (const decl of s.manifest.routes) {
          const route = Object.values(routes).find((r) => r.Properties?.RouteKey === `${decl.method} ${decl.path}`);
          expect(route, `${decl.method} ${decl.path}`).toBeDefined();
          if (decl.roles === 'public') {
            expect(route!.Properties?.AuthorizationType).toBe('NONE');
            expect(route!.Properties?.AuthorizerId).toBeUndefined();
          } else {
            expect({
              route: decl.path,
              auth: route!.Properties?.AuthorizationType,
              id: route!.Properties?.AuthorizerId,
            }).toEqual({
              route: decl.path,
              auth: 'JWT',
              id: { Ref: authorizerId },
            });
          }
          const integrationId = (route!.Properties?.Target['Fn::Join'][1] as any[])[1].Ref as string;
          expect(resource(s.template, integrationId).Properties).toMatchObject({
            IntegrationType: 'AWS_PROXY',
            PayloadFormatVersion: '2.0',
            IntegrationUri: { 'Fn::GetAtt': [logicalId(s.stack.functions.get(decl.handler)!.fn), 'Arn'] },
          });
        }
      },
    );

    it(
      'answers what no route matches through a $default route behind the JWT authorizer, ' +
        'when the manifest names its handler',
      () => {
        const s = get();
        const defaults = Object.values(resourcesOfType(s.template, 'AWS::ApiGatewayV2::Route')).filter(
          (r) => r.Properties?.RouteKey === '$default',
        );
        if (!s.manifest.unmatchedRoute) {
          // API Gateway then answers unmatched requests itself.
          expect(defaults).toEqual([]);
          return;
        }
        expect(defaults).toHaveLength(1);
        const route = defaults[0]!;
        const authorizerId = Object.keys(resourcesOfType(s.template, 'AWS::ApiGatewayV2::Authorizer'))[0]!;
        expect(route.Properties?.AuthorizationType).toBe('JWT');
        expect(route.Properties?.AuthorizerId).toEqual({ Ref: authorizerId });
        const fn = s.stack.functions.get(s.manifest.unmatchedRoute.handler)!;
        const integrationId = (route.Properties?.Target['Fn::Join'][1] as any[])[1].Ref as string;
        expect(resource(s.template, integrationId).Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
          IntegrationUri: { 'Fn::GetAtt': [logicalId(fn.fn), 'Arn'] },
        });
        expect(resource(s.template, logicalId(fn.fn)).Properties?.Timeout).toBe(10);
      },
    );

    it('checks tokens from the staff user pool and its app client', () => {
      const s = get();
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(s.stack.staff.client) }],
          Issuer: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: logicalId(s.stack.staff.userPool) }])]),
          }),
        },
      });
    });

    it('logs every request of the default stage to a log group and throttles it', () => {
      const s = get();
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [logicalId(s.stack.api.accessLogs), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
        DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
      });
    });

    it('creates an admin-only user pool with a strong password policy and one group per role', () => {
      const s = get();
      s.template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: Match.anyValue(),
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        UserPoolTier: 'PLUS',
        DeletionProtection: 'ACTIVE',
      });
      const pool = resource(s.template, logicalId(s.stack.staff.userPool));
      expect(pool.Properties?.Policies?.PasswordPolicy?.MinimumLength).toBeGreaterThanOrEqual(12);
      const groups = Object.values(resourcesOfType(s.template, 'AWS::Cognito::UserPoolGroup'));
      expect(groups.map((g) => g.Properties?.GroupName).sort()).toEqual([...s.manifest.roles].sort());
      s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
    });
  });

  describe(`${label}: schedules and outputs`, () => {
    it('invokes each job on its schedule', () => {
      const s = get();
      const rules = Object.values(resourcesOfType(s.template, 'AWS::Events::Rule'));
      expect(rules).toHaveLength(s.manifest.schedules.length);
      for (const decl of s.manifest.schedules) {
        s.template.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: decl.schedule,
          State: 'ENABLED',
          Targets: [
            Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(s.stack.functions.get(decl.handler)!.fn), 'Arn'] } }),
          ],
        });
      }
    });

    it('outputs the API URL, user pool, client, table, documents bucket and alarm topic', () => {
      const s = get();
      expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual([
        'AlarmTopicArn',
        'ApiUrl',
        'DocumentsBucketName',
        'TableName',
        'UserPoolClientId',
        'UserPoolId',
      ]);
    });
  });
}
