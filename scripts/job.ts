/**
 * `npm run job -- <name> [--date YYYY-MM-DD] [--at <ISO instant>]` runs one scheduled job now, with an EventBridge
 * Scheduled Event whose `detail` is `{ date }` when --date is given and whose `time` is --at when given (the job then
 * runs as if its schedule had fired at that instant: the SLA monitor sees what is due then, the sweeper what was
 * stuck 5 minutes before it). Against a running `npm start` it uses that stack's DynamoDB Local and
 * SQS; otherwise it brings the stack up without HTTP (DynamoDB Local on the same data, SQS, pollers), runs the job,
 * waits for the queues it fed to drain, and stops. Exit code 0 when the job succeeded.
 */
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { queueUrlEnv, schedules, type ScheduleDecl } from '#shared/manifest.ts';
import { applyEnv } from './local/env.ts';
import { waitForDynamoDb } from './local/dynamodb.ts';
import { handlerLoader } from './local/handlers.ts';
import { defaultDataDir, PROJECT_ROOT } from './local/paths.ts';
import { invokeJob, type JobHandler } from './local/scheduler.ts';
import { localSqsClient } from './local/sqs.ts';
import { isAlive, readState } from './local/state.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run job -- <name> [--date YYYY-MM-DD] [--at 2026-12-01T00:05:00Z]
Jobs: ${schedules.map((s) => s.name).join(', ')}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(1);
}

function parseDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = new Date(`${value}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    fail(`--date must be a calendar date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function parseInstant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(at.getTime())
  ) {
    fail(`--at must be an ISO 8601 instant with its offset, e.g. 2026-12-01T00:05:00Z, got "${value}"`);
  }
  return at;
}

async function queuesIdle(env: Record<string, string>, names: string[]): Promise<boolean> {
  const sqs = localSqsClient(env.AWS_ENDPOINT_URL_SQS ?? '');
  try {
    const urls = names.map((name) => env[queueUrlEnv(name)]).filter((url): url is string => Boolean(url));
    const counts = await Promise.all(
      urls.map(async (QueueUrl) => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
        );
      }),
    );
    return counts.every((n) => n === 0);
  } finally {
    sqs.destroy();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { date: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${usage}\n`);
    return 0;
  }
  const [name, ...rest] = positionals;
  if (!name || rest.length > 0) fail('Give exactly one job name.');
  const decl: ScheduleDecl | undefined = schedules.find((s) => s.name === name);
  if (!decl) fail(`Unknown job "${name}".`);
  const date = parseDate(values.date);
  const detail = date ? { date } : {};
  const at = parseInstant(values.at);

  const dataDir = defaultDataDir();
  const state = readState(dataDir);
  let stop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let polled: string[] = [];
  if (state?.env && isAlive(state.ownerPid) && state.dynamoEndpoint) {
    await waitForDynamoDb(state.dynamoEndpoint, 5000);
    env = state.env;
    applyEnv(env);
    process.stderr.write(`[job] using the running local stack (pid ${state.ownerPid})\n`);
  } else {
    process.stderr.write('[job] no local stack running; starting DynamoDB Local, SQS and the pollers for this job\n');
    const { startLocalStack } = await import('./local/stack.ts');
    const stack = await startLocalStack({ http: false, scheduler: false, preload: false, recordState: true });
    env = stack.env;
    polled = stack.polledQueues;
    stop = () => stack.stop();
  }

  let code = 0;
  const started = Date.now();
  try {
    const handler = await handlerLoader(PROJECT_ROOT).load<JobHandler>(decl.handler);
    const result = await invokeJob(decl, handler, detail, at);
    process.stderr.write(`[job] ${decl.name} succeeded in ${Date.now() - started} ms\n`);
    if (result !== undefined) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`[job] ${decl.name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    code = 1;
  }
  if (stop) {
    // The work the job queued is processed before this process (and the in-memory queues) go away.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(await queuesIdle(env, polled))) await new Promise((r) => setTimeout(r, 200));
    await stop();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[job] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
