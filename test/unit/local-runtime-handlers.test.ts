import { beforeAll, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InvokeStore } from '@aws/lambda-invoke-store';
import { handlerLoader } from '../../scripts/local/handlers.ts';
import { lambdaContext, sqsEventFromMessages } from '../../scripts/local/events.ts';
import { captureJsonLines } from '../support/output.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';

type LogKeysHandler = (
  event: { correlationId: string; waitMs: number },
  context: ReturnType<typeof lambdaContext>,
) => Promise<void>;
type Processor = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

const batchOf = (id: string, waitMs: number): SQSEvent =>
  sqsEventFromMessages(
    [
      {
        MessageId: `msg-${id}`,
        ReceiptHandle: `rh-${id}`,
        Body: JSON.stringify({
          type: 'fixture',
          id,
          correlationId: `corr-${id}`,
          sentAt: new Date().toISOString(),
          detail: { waitMs },
        }),
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      },
    ],
    'arn:aws:sqs:us-east-1:123456789012:fixture',
  );

describe('the local handler loader, serving several invocations at once in one process', () => {
  // As in `npm start` and the e2e tests, the SDK has made its call before any handler loads: its first call makes a
  // store whose run() swaps one global context, which the loader must replace.
  beforeAll(async () => {
    await InvokeStore.getInstanceAsync();
  });

  it("keeps each invocation's log keys and Lambda context to its own lines", async () => {
    const invoke = await handlerLoader(PROJECT_ROOT).load<LogKeysHandler>('test/fixtures/local-runtime/log-keys');

    // The slow one sets its keys first and logs last, after the quick one has set, logged and removed its own.
    const { lines } = await captureJsonLines(() =>
      Promise.all([
        invoke({ correlationId: 'corr-slow', waitMs: 60 }, lambdaContext('local-slow-function')),
        invoke({ correlationId: 'corr-quick', waitMs: 5 }, lambdaContext('local-quick-function')),
      ]),
    );
    const done = lines.filter((line) => line.message === 'fixture done');

    expect(done.map((line) => [line.function_name, line.correlationId])).toEqual([
      ['local-quick-function', 'corr-quick'],
      ['local-slow-function', 'corr-slow'],
    ]);
  });

  it("keeps each batch's failures to its own answer", async () => {
    const process = await handlerLoader(PROJECT_ROOT).load<Processor>('test/fixtures/local-runtime/slow-processor');

    const {
      result: [failing, passing],
    } = await captureJsonLines(() =>
      Promise.all([
        process(batchOf('fail-slow', 60), lambdaContext('local-fixture-processor')),
        process(batchOf('ok-quick', 5), lambdaContext('local-fixture-processor')),
      ]),
    );

    expect(failing).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-fail-slow' }] });
    expect(passing).toEqual({ batchItemFailures: [] });
  });
});
