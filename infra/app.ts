import { App } from 'aws-cdk-lib';
import { enforceAwsSolutions } from '#infra/nag.ts';
import { BackOfficeStack } from '#infra/stack.ts';

/** The CDK app `cdk.json` runs: one stack built from `#shared/manifest.ts`, checked by cdk-nag on every synth. */
const app = new App();
new BackOfficeStack(app, 'BackOffice', {
  description: 'Back Office: HTTP intake, SQS back-office processors, one DynamoDB table, scheduled reports',
});
enforceAwsSolutions(app);
app.synth();
