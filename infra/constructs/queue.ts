import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraQueue } from '#infra/manifest.ts';
import { processorTimeoutSeconds } from '#infra/manifest.ts';
import { ALARM_PERIOD, type AlarmTopic } from '#infra/constructs/alarms.ts';
import { BackOfficeFunction, type BackOfficeFunctionProps } from '#infra/constructs/function.ts';
import { WORK_METRICS_TARGET, workKindOf } from '#shared/queue/work-metrics.ts';

export interface WorkQueueProps {
  readonly decl: InfraQueue;
  readonly alarms: AlarmTopic;
}

/**
 * One back-office work queue from the manifest: the SQS queue, its dead-letter queue (14 days to investigate and
 * redrive), an alarm on the first dead letter, and — once every queue exists — the processor function that drains
 * it. Both queues use SQS-managed encryption and refuse plain-HTTP requests.
 */
export class WorkQueue extends Construct {
  readonly decl: InfraQueue;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  private readonly alarms: AlarmTopic;
  processor?: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.decl = props.decl;
    this.alarms = props.alarms;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.decl.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.decl.maxReceiveCount },
    });
    props.alarms.alarmOnAny(
      this,
      'DeadLettersAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      `Messages reached the ${props.decl.name} dead-letter queue: the processor gave up on them after ` +
        `${props.decl.maxReceiveCount} attempts. Inspect, fix, then POST /v1/ops/queues/${props.decl.name}/redrive.`,
    );
  }

  /**
   * Builds the processor: its timeout is a sixth of the visibility timeout (AWS's recommendation for SQS event
   * sources), it reports partial batch failures so one bad message does not redeliver the whole batch. Two alarms
   * watch it: one on any invocation error (a crash, a timeout), and one on any message it failed, counted by the
   * processor itself (`WorkFailed`), because a failed message inside a batch that reported it as a partial failure
   * never counts in Lambda's `Errors`.
   */
  attachProcessor(
    props: Omit<BackOfficeFunctionProps, 'kind' | 'handler' | 'permissions' | 'timeout' | 'description'>,
  ): BackOfficeFunction {
    const { decl } = this;
    const processor = new BackOfficeFunction(this, 'Processor', {
      ...props,
      kind: 'processor',
      handler: decl.processor,
      permissions: decl.permissions,
      timeout: Duration.seconds(processorTimeoutSeconds(decl.visibilityTimeoutSeconds)),
      description: `Processes the ${decl.name} queue (${decl.processor})`,
    });
    processor.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: decl.batchSize, reportBatchItemFailures: true }),
    );
    this.alarms.alarmOnAny(
      this,
      'ProcessorErrorsAlarm',
      processor.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `The ${decl.name} processor (${decl.processor}) threw. Its messages are retried and, after ` +
        `${decl.maxReceiveCount} receives, dead-lettered. Check the function's log group.`,
    );
    this.alarms.alarmOnAny(
      this,
      'WorkFailedAlarm',
      this.metricWorkFailed(),
      `The ${decl.name} processor (${decl.processor}) failed a message (WorkFailed, kind ` +
        `${workKindOf(decl.name)}). It is retried; after ${decl.maxReceiveCount} receives it is dead-lettered. ` +
        `Search the function's log group for "message failed".`,
    );
    this.processor = processor;
    return processor;
  }

  /** Messages this queue's processor failed, per five minutes, as the processor counts them (embedded metrics). */
  metricWorkFailed(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: WORK_METRICS_TARGET.namespace,
      metricName: 'WorkFailed',
      dimensionsMap: { service: WORK_METRICS_TARGET.service, kind: workKindOf(this.decl.name) },
      period: ALARM_PERIOD,
      statistic: 'Sum',
    });
  }
}
