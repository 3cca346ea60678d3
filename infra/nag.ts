import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AwsSolutions pack when the app synthesizes. cdk-nag 3 is a CDK policy-validation plugin: every
 * finding not acknowledged with `Validations.of(construct).acknowledge({ id, reason })` is a violation, and any
 * violation fails synthesis (`cdk synth` exits non-zero, `app.synth()` throws in tests).
 */
export function enforceAwsSolutions(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
