import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { queues as manifestQueues } from '#shared/manifest.ts';
import { workKindOf } from '#shared/queue/work-metrics.ts';
import type { WorkQueue } from '#infra/constructs/queue.ts';
import { PROJECT_ROOT } from '#infra/stack.ts';
import { sqsEvent, lambdaContext } from '../support/index.ts';
import { logicalId, synth, type Synthesized } from './support/synth.ts';
import { resource, resourcesOfType, type CfnResourceJson } from './support/template.ts';
import { captureJsonLines } from '../support/output.ts';

/**
 * The processor alarms of the deployable stack (real manifest, esbuild skipped): a processor fails messages inside a
 * batch that reports them as partial failures, so Lambda's `Errors` never sees them; the `WorkFailed` alarm must watch
 * the metric the processor really emits, and both alarms must reach the alarm topic.
 */
let s: Synthesized;
beforeAll(() => {
  s = synth(undefined, { bundle: false });
});

type Processor = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

interface EmfLine {
  _aws: {
    Namespace?: string;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** What the real processor emits when it fails a message: namespace, dimension names and values of `WorkFailed`. */
async function emittedWorkFailed(processorModule: string, queueName: string) {
  const url = pathToFileURL(join(PROJECT_ROOT, `${processorModule}.ts`)).href;
  const { handler } = (await import(/* @vite-ignore */ url)) as { handler: Processor };
  // A body that is not an envelope fails before any table or queue is touched (this project has no network).
  const { lines } = await captureJsonLines(() =>
    handler(sqsEvent(['not json'], queueName), lambdaContext(`${queueName}-processor`)),
  );
  const emf = lines.filter((line): line is EmfLine => '_aws' in line && 'WorkFailed' in line);
  expect(emf, `${processorModule} emits one WorkFailed line`).toHaveLength(1);
  const directive = emf[0]!._aws.CloudWatchMetrics[0]!;
  expect(directive.Metrics).toEqual([{ Name: 'WorkFailed', Unit: 'Count' }]);
  expect(directive.Dimensions).toHaveLength(1);
  return {
    namespace: directive.Namespace,
    // CloudWatch matches a dimension set regardless of order.
    dimensions: byName(directive.Dimensions[0]!.map((name) => ({ Name: name, Value: emf[0]![name] }))),
  };
}

const byName = <T extends { Name: string }>(dims: T[]): T[] => [...dims].sort((a, b) => a.Name.localeCompare(b.Name));

function alarmOf(wq: WorkQueue, id: string): CfnResourceJson {
  const alarm = resource(s.template, logicalId(wq.node.findChild(id)));
  expect(alarm.Type).toBe('AWS::CloudWatch::Alarm');
  return alarm;
}

const topicRef = () => ({ Ref: logicalId(s.stack.alarms.topic) });

/** Any datapoint ≥ 1 in one five-minute period; no data is healthy; ALARM and OK both reach the alarm topic. */
function expectAlarmOnAny(alarm: CfnResourceJson): void {
  expect(alarm.Properties).toMatchObject({
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Period: 300,
    Statistic: 'Sum',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicRef()],
    OKActions: [topicRef()],
  });
}

describe('processor alarms', () => {
  it('covers every queue of the manifest', () => {
    expect([...s.stack.queues.keys()].sort()).toEqual(manifestQueues.map((q) => q.name).sort());
  });

  it("alarms on each processor's WorkFailed exactly as the processor emits it, to the alarm topic", async () => {
    for (const decl of manifestQueues) {
      const wq = s.stack.queues.get(decl.name)!;
      const alarm = alarmOf(wq, 'WorkFailedAlarm');
      const emitted = await emittedWorkFailed(decl.processor, decl.name);

      expectAlarmOnAny(alarm);
      expect({
        queue: decl.name,
        metric: alarm.Properties?.MetricName,
        namespace: alarm.Properties?.Namespace,
      }).toEqual({
        queue: decl.name,
        metric: 'WorkFailed',
        namespace: emitted.namespace,
      });
      expect({ queue: decl.name, dimensions: byName(alarm.Properties?.Dimensions ?? []) }).toEqual({
        queue: decl.name,
        dimensions: emitted.dimensions,
      });
      expect(emitted.dimensions.find((d) => d.Name === 'kind')?.Value).toBe(workKindOf(decl.name));
    }
  });

  it("watches the namespace and service the stack gives the processor's Powertools", () => {
    for (const decl of manifestQueues) {
      const wq = s.stack.queues.get(decl.name)!;
      const vars = resource(s.template, logicalId(wq.processor!.fn)).Properties?.Environment?.Variables as Record<
        string,
        unknown
      >;
      const alarm = alarmOf(wq, 'WorkFailedAlarm');
      expect(alarm.Properties?.Namespace).toBe(vars.POWERTOOLS_METRICS_NAMESPACE);
      expect(alarm.Properties?.Dimensions).toContainEqual({ Name: 'service', Value: vars.POWERTOOLS_SERVICE_NAME });
    }
  });

  it("keeps the alarm on each processor function's Lambda Errors (crashes, timeouts), to the alarm topic", () => {
    for (const decl of manifestQueues) {
      const wq = s.stack.queues.get(decl.name)!;
      const alarm = alarmOf(wq, 'ProcessorErrorsAlarm');
      expectAlarmOnAny(alarm);
      expect({
        queue: decl.name,
        metric: alarm.Properties?.MetricName,
        namespace: alarm.Properties?.Namespace,
      }).toEqual({
        queue: decl.name,
        metric: 'Errors',
        namespace: 'AWS/Lambda',
      });
      expect(alarm.Properties?.Dimensions).toEqual([
        { Name: 'FunctionName', Value: { Ref: logicalId(wq.processor!.fn) } },
      ]);
    }
  });

  it('tells the on-call reader which queue failed and where to look', () => {
    for (const decl of manifestQueues) {
      const description = alarmOf(s.stack.queues.get(decl.name)!, 'WorkFailedAlarm').Properties
        ?.AlarmDescription as string;
      expect(description).toContain(`The ${decl.name} processor`);
      expect(description).toContain(`after ${decl.maxReceiveCount} receives`);
    }
  });

  it('has exactly a dead-letter, an errors and a work-failed alarm per queue, plus the job alarms', () => {
    const alarms = Object.keys(resourcesOfType(s.template, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(3 * manifestQueues.length + s.manifest.schedules.length);
  });
});
