/**
 * `npm start`: the whole back office on this machine. Environment: PORT (3000), LOCAL_DATA_DIR (.local),
 * DYNAMODB_PORT (8000 if free), SQS_PORT (9324 if free), LOCAL_VISIBILITY_TIMEOUT_SECONDS, LOCAL_SCHEDULES=off.
 */
import { startLocalStack, type LocalStack } from './stack.ts';
import { StackAlreadyRunningError } from './state.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let stack: LocalStack | undefined;
let stoppingSince: number | undefined;

/**
 * One Ctrl-C often arrives twice: the terminal signals the whole foreground process group and `npm` relays the
 * signal to its child as well. A second signal within this window is that echo; a later one is someone pressing
 * Ctrl-C again because the stop hangs, and exits at once.
 */
const SIGNAL_ECHO_MS = 2000;

async function shutdown(signal: string): Promise<void> {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < SIGNAL_ECHO_MS) return;
    process.stderr.write(`[local] ${signal} again: exiting now\n`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  process.stderr.write(`[local] ${signal}: stopping\n`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await stack?.stop();
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

// `npm start` execs this process (the script starts with `exec`), so the SIGTERM npm relays from a supervisor lands
// here rather than on a shell that would die and leave the stack running. If the launcher dies without relaying
// anything (kill -9 of npm alone), this process is re-parented: stop as if told to.
const launcher = process.ppid;
setInterval(() => {
  if (process.ppid !== launcher) void shutdown('launcher gone');
}, 500).unref();

try {
  const started = Date.now();
  stack = await startLocalStack();
  if (stoppingSince !== undefined) await stack.stop();
  const next = stack.scheduler?.next() ?? [];
  process.stdout.write(
    [
      '',
      `  Back Office is running on ${stack.url}  (ready in ${Date.now() - started} ms)`,
      '',
      `  Get a token:   TOKEN=$(npm run --silent token -- --role ops)`,
      `  Call the API:  curl -H "Authorization: Bearer $TOKEN" ${stack.url}/v1/ops/queues`,
      `  Health:        curl ${stack.url}/health`,
      `  Run a job:     npm run job -- <${next.map((n) => n.name).join('|') || 'name'}> [--date YYYY-MM-DD]`,
      '',
      `  DynamoDB Local ${stack.dynamoEndpoint} (table ${stack.tableName}, data in ${stack.dataDir})`,
      `  SQS            ${stack.sqsEndpoint} (messages in memory only)`,
      ...next.map((n) => `  schedule       ${n.name} next at ${n.at?.toISOString() ?? 'never'}`),
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
} catch (error) {
  if (error instanceof StackAlreadyRunningError) process.stderr.write(`[local] ${error.message}\n`);
  else process.stderr.write(`[local] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
