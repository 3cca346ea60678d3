import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BackOfficeStack } from '#infra/stack.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { cdkJsonContext } from './support/synth.ts';

function functionEnvironments(context: Record<string, unknown>): Record<string, unknown>[] {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new BackOfficeStack(app, 'BackOffice', { manifest: fixtureManifest });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.values(functions).map((fn) => fn.Properties?.Environment?.Variables ?? {});
}

describe('SLA policy at deploy time', () => {
  it('passes the slaPolicy context to the functions as SLA_POLICY', () => {
    const policy = '{"urgent":{"firstResponseHours":0.5,"resolutionHours":2}}';

    for (const env of functionEnvironments({ slaPolicy: policy })) expect(env.SLA_POLICY).toBe(policy);
  });

  it("sets nothing without the context, so the functions use the contract's hours", () => {
    for (const env of functionEnvironments({})) expect(env).not.toHaveProperty('SLA_POLICY');
  });

  it('refuses a malformed policy at synth', () => {
    expect(() => functionEnvironments({ slaPolicy: '{"urgent":{"firstResponseHours":-1}}' })).toThrow();
  });
});
