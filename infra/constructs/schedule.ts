import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { InfraSchedule } from '#infra/manifest.ts';
import { ALARM_PERIOD, type AlarmTopic } from '#infra/constructs/alarms.ts';
import { BackOfficeFunction, FUNCTION_DEFAULTS, type BackOfficeFunctionProps } from '#infra/constructs/function.ts';

export interface ScheduledJobProps extends Omit<
  BackOfficeFunctionProps,
  'kind' | 'handler' | 'permissions' | 'timeout' | 'description'
> {
  readonly decl: InfraSchedule;
  readonly alarms: AlarmTopic;
}

/**
 * One scheduled job from the manifest: an EventBridge rule on its expression (UTC), the job function, an error alarm.
 */
export class ScheduledJob extends Construct {
  readonly job: BackOfficeFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { decl, alarms, ...functionProps } = props;
    this.job = new BackOfficeFunction(this, 'Job', {
      ...functionProps,
      kind: 'job',
      handler: decl.handler,
      permissions: decl.permissions,
      timeout: Duration.seconds(FUNCTION_DEFAULTS.jobTimeoutSeconds),
      description: `${decl.name}: ${decl.description}`.slice(0, 256),
    });
    this.rule = new events.Rule(this, 'Rule', {
      schedule: events.Schedule.expression(decl.schedule),
      description: `${decl.name}: ${decl.description}`.slice(0, 512),
      targets: [new targets.LambdaFunction(this.job.fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    alarms.alarmOnAny(
      this,
      'ErrorsAlarm',
      this.job.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `The scheduled job ${decl.name} (${decl.handler}) failed. ` +
        'See its log group; rerun it as docs/deploy.md shows once fixed.',
    );
  }
}
