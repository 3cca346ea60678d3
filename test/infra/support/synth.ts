import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { InfraManifest } from '#infra/manifest.ts';
import { enforceAwsSolutions } from '#infra/nag.ts';
import { BackOfficeStack, PROJECT_ROOT } from '#infra/stack.ts';

export interface Synthesized {
  readonly app: App;
  readonly stack: BackOfficeStack;
  readonly template: Template;
  readonly manifest: InfraManifest;
  /** The cloud assembly directory (bundled assets live here when bundling ran). */
  readonly outdir: string;
}

/** The context `cdk.json` gives the CLI, so the tests see the template `cdk synth` produces. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the stack the way `cdk synth` does — cdk.json context, cdk-nag's AwsSolutions pack enforced — so an
 * unacknowledged finding throws here. `bundle: false` sets CDK's standard `aws:cdk:bundling-stacks` context to no
 * stacks, which skips esbuild (the handler files must still exist) for tests that only look at wiring.
 */
export function synth(manifest: InfraManifest | undefined, options: { bundle: boolean; outdir?: string }): Synthesized {
  const context: Record<string, unknown> = { ...cdkJsonContext() };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const stack = new BackOfficeStack(app, 'BackOffice', manifest ? { manifest } : {});
  enforceAwsSolutions(app);
  const assembly = app.synth();
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    manifest: manifest ?? stack.manifest,
    outdir: assembly.directory,
  };
}

/** The logical id CloudFormation sees for a construct's L1 resource. */
export function logicalId(construct: IConstruct): string {
  const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(Stack.of(construct).getLogicalId(cfn)) as string;
}
