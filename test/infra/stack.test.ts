import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkManifest, type InfraManifest } from '#infra/manifest.ts';
import { PROJECT_ROOT } from '#infra/stack.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { describeStackContract } from './support/contract.ts';
import { synth, type Synthesized } from './support/synth.ts';

/** Wiring tests on a small fixture manifest; esbuild is skipped (bundling.test.ts covers it). */
let s: Synthesized;
beforeAll(() => {
  s = synth(fixtureManifest, { bundle: false });
});

describeStackContract('fixture manifest', () => s);

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    // A public route that can read the table is not excused by the stack, so AwsSolutions-APIG4 stays a violation.
    const leaky: InfraManifest = {
      ...fixtureManifest,
      routes: fixtureManifest.routes.map((r) =>
        r.roles === 'public' ? { ...r, permissions: { table: ['dynamodb:GetItem'] } } : r,
      ),
    };
    expect(() => synth(leaky, { bundle: false })).toThrow(/AwsSolutions-APIG4/);
  });

  it('fails synthesis on a public route that can only query an index: a query is table access too', () => {
    const querying: InfraManifest = {
      ...fixtureManifest,
      routes: fixtureManifest.routes.map((r) =>
        r.roles === 'public' ? { ...r, permissions: { query: ['gsi2'] } } : r,
      ),
    };

    expect(() => synth(querying, { bundle: false })).toThrow(/AwsSolutions-APIG4/);
  });

  it('needs no cdk-nag acknowledgement for the $default route: it sits behind the JWT authorizer', () => {
    const fallback = { handler: 'test/infra/fixtures/handlers/not-found', permissions: {} };
    const withFallback: InfraManifest = { ...fixtureManifest, unmatchedRoute: fallback };

    const synthesized = synth(withFallback, { bundle: false });
    const route = synthesized.stack.api.routes.get('$default')!;
    expect(route.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toEqual(
      [],
    );
  });

  it('gives every acknowledgement a specific reason, and docs/deploy.md explains each acknowledged rule', () => {
    const acknowledged = new Map<string, string>();
    for (const construct of s.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          // A granular acknowledgement (`AwsSolutions-IAM5[Resource::…]`) counts under its rule.
          acknowledged.set(id.replace(/^[A-Za-z]+::/, '').replace(/\[.*\]$/, ''), reason);
        }
      }
    }
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-COG2',
      // The fixture grants no bucket actions, so no IAM5 for document objects here (the real stack has it).
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
    ]);
    const deployDoc = readFileSync(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
    for (const [id, reason] of acknowledged) {
      expect(reason.length, id).toBeGreaterThan(80);
      expect(deployDoc, `docs/deploy.md mentions ${id}`).toContain(id);
    }
  });
});

describe('manifest checks', () => {
  it('refuses a handler file used by two entries', () => {
    const twice: InfraManifest = {
      ...fixtureManifest,
      schedules: [{ ...fixtureManifest.schedules[0]!, handler: fixtureManifest.routes[1]!.handler }],
    };
    expect(() => checkManifest(twice)).toThrow(/is used by both POST \/v1\/widgets and schedule nightly-report/);
  });

  it('refuses a $default route handler that a declared route already uses', () => {
    const shared: InfraManifest = {
      ...fixtureManifest,
      unmatchedRoute: { handler: fixtureManifest.routes[0]!.handler, permissions: {} },
    };
    expect(() => checkManifest(shared)).toThrow(/is used by both GET \/health and \$default/);
  });

  it('refuses a send to a queue the manifest does not declare', () => {
    const stray: InfraManifest = {
      ...fixtureManifest,
      routes: [{ ...fixtureManifest.routes[2]!, permissions: { sendTo: ['nowhere'] } }],
    };
    expect(() => checkManifest(stray)).toThrow(/sends to undeclared queue nowhere/);
  });

  it('refuses a visibility timeout too short for a processor timeout a sixth of it', () => {
    const hasty: InfraManifest = {
      ...fixtureManifest,
      queues: [{ ...fixtureManifest.queues[0]!, visibilityTimeoutSeconds: 10 }, fixtureManifest.queues[1]!],
    };
    expect(() => checkManifest(hasty)).toThrow(/visibilityTimeoutSeconds must be 18\.\.43200/);
  });
});
