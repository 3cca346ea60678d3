import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { functionSpecs, type InfraPermissions } from '#infra/manifest.ts';
import type { BucketAction, QueryTarget, TableAction } from '#shared/manifest.ts';
import { actualGrants, describeStackContract, expectedGrants } from './support/contract.ts';
import { expectBundledHandlers } from './support/bundle.ts';
import { logicalId, synth, type Synthesized } from './support/synth.ts';
import { grantsOfRole, resource, resourcesOfType } from './support/template.ts';

/**
 * The deployable stack: `#shared/manifest.ts` with every handler really bundled by esbuild and cdk-nag enforced —
 * what `cdk synth` does. It fails, naming the files, while a declared handler does not exist yet.
 */
let outdir: string;
let s: Synthesized;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'back-office-synth-'));
  s = synth(undefined, { bundle: true, outdir });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describeStackContract('real manifest', () => s);

/**
 * What each deployed function may do, written out here rather than read from the manifest: the DynamoDB item actions
 * its handler calls (a transaction's items counted as PutItem/UpdateItem), what it queries (`Query:table` for the
 * table's own key, `Query:gsi1` for an index, each granted on that ARN alone) and the queues it sends to, as its code
 * paths make them and the integration and e2e tests record them (test/support/access-recorder.ts), and `cursorKey`
 * (reading the list-cursor signing key). Changing a function's permissions means changing this list too, in the same
 * review.
 */
const EXACT: Record<string, string> = {
  'functions/ops/health': '',
  'functions/orders/submit-order': 'GetItem PutItem sendTo:orders',
  'functions/orders/get-order': 'GetItem',
  'functions/accounting/get-invoice': 'GetItem',
  'functions/inventory/put-item': 'GetItem PutItem UpdateItem',
  'functions/inventory/get-item': 'GetItem',
  'functions/inventory/list-items': 'Query:gsi1 Query:gsi2 cursorKey',
  'functions/inventory/receive-goods': 'GetItem PutItem UpdateItem sendTo:orders',
  'functions/inventory/adjust-stock': 'GetItem PutItem UpdateItem',
  'functions/inventory/list-purchase-orders': 'Query:gsi1 cursorKey',
  'functions/orders/cancel-order': 'GetItem BatchGetItem PutItem UpdateItem sendTo:orders',
  'functions/accounting/list-invoices': 'Query:gsi1 cursorKey',
  'functions/accounting/submit-payment': 'GetItem PutItem sendTo:payments',
  'functions/accounting/get-payment': 'GetItem',
  'functions/accounting/list-ledger-entries': 'Query:gsi3 cursorKey',
  'functions/accounting/post-ledger-entry': 'GetItem PutItem UpdateItem',
  'functions/accounting/get-trial-balance': 'GetItem Query:table Query:gsi3',
  'functions/reports/run-report': 'sendTo:reports',
  'functions/reports/get-report': 'GetItem',
  'functions/support/submit-case': 'GetItem PutItem sendTo:support',
  'functions/support/get-case': 'Query:table',
  'functions/support/list-cases': 'Query:gsi1 cursorKey',
  'functions/support/act-on-case': 'Query:table PutItem UpdateItem',
  'functions/support/find-customers': 'GetItem',
  'functions/support/get-customer-timeline': 'GetItem Query:gsi2 cursorKey',
  'functions/it/submit-ticket': 'GetItem PutItem sendTo:support',
  'functions/it/get-ticket': 'Query:table',
  'functions/it/list-tickets': 'Query:gsi1 cursorKey',
  'functions/it/act-on-ticket': 'GetItem Query:table PutItem UpdateItem',
  'functions/hr/hire-employee': 'GetItem PutItem ConditionCheckItem sendTo:hr',
  'functions/hr/get-employee': 'GetItem',
  'functions/hr/list-employees': 'Query:gsi1 cursorKey',
  'functions/hr/update-employee': 'GetItem PutItem UpdateItem ConditionCheckItem',
  'functions/hr/complete-onboarding-task': 'GetItem PutItem UpdateItem',
  'functions/appointments/book-appointment': 'GetItem PutItem',
  'functions/appointments/get-appointment': 'GetItem',
  'functions/appointments/list-appointments': 'Query:gsi1 cursorKey',
  'functions/appointments/cancel-appointment': 'GetItem PutItem UpdateItem DeleteItem',
  'functions/appointments/put-resource': 'GetItem PutItem UpdateItem',
  'functions/appointments/list-resources': 'Query:gsi2 cursorKey',
  'functions/compliance/list-audit-events': 'Query:table Query:gsi2 cursorKey',
  'functions/hr/request-payroll-run': 'GetItem PutItem sendTo:payroll',
  'functions/hr/get-payroll-run': 'Query:table',
  'functions/hr/list-payroll-runs': 'Query:gsi2 cursorKey',
  'functions/hr/terminate-employee': 'GetItem PutItem UpdateItem sendTo:hr',
  'functions/ops/list-queues': 'queueStats',
  'functions/ops/redrive-queue': 'queueAdmin',
  'functions/ops/get-summary': 'Query:gsi1 Query:gsi3 queueStats',
  'functions/ops/not-found': '',
  'functions/orders/process-order': 'GetItem BatchGetItem Query:gsi1 PutItem UpdateItem',
  'functions/accounting/process-payment': 'GetItem PutItem UpdateItem',
  'functions/hr/process-payroll': 'GetItem Query:gsi1 Query:gsi3 PutItem UpdateItem',
  'functions/reports/generate-report': 'GetItem Query:table Query:gsi1 Query:gsi2 Query:gsi3 PutItem',
  'functions/support/triage': 'GetItem PutItem UpdateItem',
  'functions/hr/process-hr-event': 'GetItem PutItem UpdateItem sendTo:support',
  'functions/ops/sweep-submissions': 'Query:gsi1 sendTo:orders sendTo:payments sendTo:payroll sendTo:hr',
  'functions/inventory/reorder-sweep': 'GetItem Query:gsi1 PutItem UpdateItem',
  'functions/reports/daily-reports': 'sendTo:reports',
  'functions/accounting/close-ledger': 'Query:table PutItem UpdateItem',
  'functions/support/monitor-sla': 'GetItem Query:gsi4 PutItem UpdateItem',
  'functions/hr/complete-terminations': 'GetItem Query:gsi1 PutItem UpdateItem DeleteItem',
  'functions/documents/declare-document': 'GetItem PutItem s3:PutObject',
  'functions/documents/list-documents': 'GetItem Query:gsi2 cursorKey',
  'functions/documents/get-document': 'GetItem s3:GetObject',
  'functions/documents/delete-document': 'GetItem PutItem UpdateItem s3:DeleteObject',
  'functions/documents/process-upload': 'GetItem PutItem UpdateItem s3:GetObject s3:DeleteObject',
  'functions/documents/expire-documents': 'GetItem Query:gsi1 PutItem UpdateItem',
};

function permissionsOf(words: string): InfraPermissions {
  const tokens = words.split(' ').filter(Boolean);
  const query = tokens.filter((t) => t.startsWith('Query:')).map((t) => t.slice('Query:'.length) as QueryTarget);
  const table = tokens
    .filter((t) => /^[A-Z]/.test(t) && !t.startsWith('Query:'))
    .map((t) => `dynamodb:${t}` as TableAction);
  const sendTo = tokens.filter((t) => t.startsWith('sendTo:')).map((t) => t.slice('sendTo:'.length));
  const bucket = tokens.filter((t) => t.startsWith('s3:')) as BucketAction[];
  return {
    ...(table.length ? { table } : {}),
    ...(query.length ? { query } : {}),
    ...(sendTo.length ? { sendTo } : {}),
    ...(bucket.length ? { bucket } : {}),
    ...(tokens.includes('queueStats') ? { queueStats: true } : {}),
    ...(tokens.includes('queueAdmin') ? { queueAdmin: true } : {}),
    ...(tokens.includes('cursorKey') ? { cursorKey: true } : {}),
  };
}

describe("real manifest: each function's own grants", () => {
  it('lists every deployed function here, and no other', () => {
    expect(
      functionSpecs(s.manifest)
        .map((spec) => spec.handler)
        .sort(),
    ).toEqual(Object.keys(EXACT).sort());
  });

  it(
    'grants each function exactly the actions its handler calls, Query only on the table and indexes it reads, ' +
      'and its queues',
    () => {
      for (const spec of functionSpecs(s.manifest)) {
        const expected = expectedGrants(s, { ...spec, permissions: permissionsOf(EXACT[spec.handler] ?? '') });
        expect({ handler: spec.handler, grants: actualGrants(s, spec) }).toEqual({
          handler: spec.handler,
          grants: expected,
        });
      }
    },
  );
});

describe('real manifest: requests no route matches', () => {
  it(
    'routes them to functions/ops/not-found on the $default route, behind the JWT authorizer, ' +
      'with no table or queue access',
    () => {
      const routes = Object.values(resourcesOfType(s.template, 'AWS::ApiGatewayV2::Route'));
      const fallback = routes.find((r) => r.Properties?.RouteKey === '$default');
      const fn = s.stack.functions.get('functions/ops/not-found');

      expect(fallback?.Properties?.AuthorizationType).toBe('JWT');
      expect(fallback?.Properties?.AuthorizerId).toBeDefined();
      const integrationId = (fallback!.Properties?.Target['Fn::Join'][1] as any[])[1].Ref as string;
      expect(resource(s.template, integrationId).Properties?.IntegrationUri).toEqual({
        'Fn::GetAtt': [logicalId(fn!.fn), 'Arn'],
      });
      const grants = [...grantsOfRole(s.template, logicalId(fn!.role))];
      expect(grants.filter((g) => /^(dynamodb|sqs):/.test(g))).toEqual([]);
      expect(grants.sort()).toEqual(
        ['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) => `${a} on ${logicalId(fn!.logGroup)}`),
      );
    },
  );
});

describe("real manifest: HR's queue, processor and job", () => {
  it('drains the hr queue with functions/hr/process-hr-event, dead-lettering after 5 receives, alarmed', () => {
    const hr = s.stack.queues.get('hr')!;
    const processor = s.stack.functions.get('functions/hr/process-hr-event')!;

    expect(hr.processor).toBe(processor);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(hr.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(processor.fn) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resource(s.template, logicalId(hr.queue)).Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(hr.deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(hr.deadLetterQueue), 'QueueName'] } }],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'WorkFailed',
      Dimensions: Match.arrayWith([{ Name: 'kind', Value: 'employee' }]),
    });
  });

  it('gives the hire and terminate routes and the sweeper the hr queue, and the processor the support queue', () => {
    const sendsTo = (handler: string) =>
      functionSpecs(s.manifest).find((spec) => spec.handler === handler)!.permissions.sendTo ?? [];

    expect(sendsTo('functions/hr/hire-employee')).toEqual(['hr']);
    expect(sendsTo('functions/hr/terminate-employee')).toEqual(['hr']);
    expect(sendsTo('functions/ops/sweep-submissions')).toContain('hr');
    expect(sendsTo('functions/hr/process-hr-event')).toEqual(['support']);
  });

  it('runs functions/hr/complete-terminations hourly at minute 1 (UTC), with its errors alarmed', () => {
    const job = s.stack.functions.get('functions/hr/complete-terminations')!;

    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(1 * * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(job.fn), 'Arn'] } })],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(job.fn) } }],
    });
  });
});

describe('real manifest bundles', () => {
  it('bundles every handler as minified ESM with the require banner and a source map, AWS SDK included', () => {
    expectBundledHandlers(s);
  });
});

describe('real manifest: payroll', () => {
  it('has a payroll queue: one run per batch, a 60 s processor, 360 s visibility, 5 receives, alarmed', () => {
    const payroll = s.manifest.queues.find((q) => q.name === 'payroll')!;
    const wq = s.stack.queues.get('payroll')!;
    const queue = resource(s.template, logicalId(wq.queue));
    const fn = resource(s.template, logicalId(wq.processor!.fn));

    expect(payroll).toMatchObject({ processor: 'functions/hr/process-payroll', batchSize: 1, maxReceiveCount: 5 });
    expect(queue.Properties?.VisibilityTimeout).toBe(360);
    expect(queue.Properties?.RedrivePolicy?.maxReceiveCount).toBe(5);
    expect(fn.Properties?.Timeout).toBe(60);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(wq.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(wq.deadLetterQueue), 'QueueName'] } }],
    });
  });

  it('routes the three payroll-run routes behind the JWT authorizer to their own functions', () => {
    const routes = Object.values(resourcesOfType(s.template, 'AWS::ApiGatewayV2::Route'));
    for (const key of ['POST /v1/hr/payroll-runs', 'GET /v1/hr/payroll-runs/{period}', 'GET /v1/hr/payroll-runs']) {
      const route = routes.find((r) => r.Properties?.RouteKey === key);
      expect(route?.Properties?.AuthorizationType, key).toBe('JWT');
    }
    expect(s.stack.functions.get('functions/hr/request-payroll-run')).toBeDefined();
    expect(s.stack.functions.get('functions/hr/get-payroll-run')).toBeDefined();
    expect(s.stack.functions.get('functions/hr/list-payroll-runs')).toBeDefined();
  });
});
