import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freePort } from '../../scripts/local/ports.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { isAlive, readState } from '../../scripts/local/state.ts';
import { localDynamoClient } from '../../scripts/local/dynamodb.ts';
import { loadOrCreateSigningKeys, signToken } from '../../scripts/local/auth.ts';
import { eventually } from '../support/index.ts';

/**
 * `npm start` as a developer runs it, in a child process with its own process group: it must come back with the same
 * data after a hard kill of the whole group, and after a kill of the Node process alone (which orphans DynamoDB
 * Local's Java process and its lock on the database file).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'back-office-restart-'));
const children: ChildProcess[] = [];
let port = 0;

/** The stack's Node process as `npm start` runs it, or (`viaNpm`) `npm start` itself, npm being the launcher. */
function startStack({ viaNpm = false } = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TABLE_NAME') delete env[key];
  const [command, args] = viaNpm
    ? ['npm', ['start']]
    : [process.execPath, ['--import', 'tsx', 'scripts/local/start.ts']];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      PORT: String(port),
      LOCAL_DATA_DIR: dataDir,
      DYNAMODB_PORT: '0',
      SQS_PORT: '0',
      LOCAL_SCHEDULES: 'off',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  Object.defineProperty(child, 'output', { get: () => output });
  children.push(child);
  return child;
}

function outputOf(child: ChildProcess): string {
  return (child as ChildProcess & { output: string }).output;
}

/** `npm run --silent token -- ...` exactly as the banner tells a developer, against the stack's data folder. */
async function npmToken(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_DATA_DIR: dataDir };
  delete env.NODE_EXTRA_CA_CERTS;
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'token', '--', ...args], {
    cwd: PROJECT_ROOT,
    env,
  });
  return stdout;
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  const output = () => outputOf(child);
  let exitedEarly = false;
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) exitedEarly = true;
        if (exitedEarly) return true;
        const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
        return response.status === 200;
      },
      45_000,
      100,
    );
  } catch (error) {
    throw new Error(`stack not healthy: ${String(error)}\n${output()}`);
  }
  if (exitedEarly) throw new Error(`stack exited with ${child.exitCode}:\n${output()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

async function withTable<T>(fn: (doc: DynamoDBDocumentClient, table: string) => Promise<T>): Promise<T> {
  const state = readState(dataDir);
  if (!state?.dynamoEndpoint || !state.tableName) throw new Error('no runtime state');
  const client = localDynamoClient(state.dynamoEndpoint);
  try {
    return await fn(DynamoDBDocumentClient.from(client), state.tableName);
  } finally {
    client.destroy();
  }
}

async function protectedStatus(token: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/ops/queues`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

afterAll(async () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  const javaPid = readState(dataDir)?.dynamoPid;
  if (javaPid && isAlive(javaPid)) process.kill(javaPid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start across hard kills', () => {
  it(
    'keeps data and tokens across kill -9 of the process group, of the Node process alone, ' + 'and a clean stop',
    async () => {
      port = await freePort();

      // First run: write an item, mint a token.
      const first = startStack();
      await waitForHealth(first);
      const token = await signToken(await loadOrCreateSigningKeys(dataDir), { roles: ['ops'] });
      await withTable((doc, TableName) =>
        doc.send(
          new PutCommand({
            TableName,
            Item: { pk: 'RESTART#1', sk: 'A', entity: 'Probe', note: 'survives' },
          }),
        ),
      );
      expect(await protectedStatus(token)).not.toBe(401);

      // kill -9 of the whole process group.
      killGroup(first, 'SIGKILL');
      await exited(first);

      const second = startStack();
      await waitForHealth(second);
      const afterGroupKill = await withTable((doc, TableName) =>
        doc.send(
          new GetCommand({
            TableName,
            Key: { pk: 'RESTART#1', sk: 'A' },
          }),
        ),
      );
      expect(afterGroupKill.Item?.note).toBe('survives');
      expect(await protectedStatus(token)).not.toBe(401);

      // kill -9 of the Node process alone: DynamoDB Local's Java process is orphaned and still holds the database.
      const orphaned = readState(dataDir);
      expect(orphaned?.dynamoPid).toBeDefined();
      process.kill(orphaned?.ownerPid ?? 0, 'SIGKILL');
      await eventually(() => !isAlive(orphaned?.ownerPid), 5000);
      expect(isAlive(orphaned?.dynamoPid)).toBe(true);
      // The orphan stays in the same process group, so no group kill here.
      await exited(second);

      const third = startStack();
      await waitForHealth(third);
      const afterOrphan = await withTable((doc, TableName) =>
        doc.send(
          new GetCommand({
            TableName,
            Key: { pk: 'RESTART#1', sk: 'A' },
          }),
        ),
      );
      expect(afterOrphan.Item?.note).toBe('survives');
      expect(isAlive(orphaned?.dynamoPid)).toBe(false);

      // SIGTERM to the launcher alone (as a supervisor sends it) ends everything it started, Java included, and
      // clears the runtime state.
      const running = readState(dataDir);
      third.kill('SIGTERM');
      await exited(third);
      expect(third.exitCode).toBe(0);
      await eventually(() => !isAlive(running?.dynamoPid), 5000);
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    },
    120_000,
  );

  it(
    'stops everything when a supervisor sends SIGTERM to npm alone, ' + 'and when npm alone is killed with -9',
    async () => {
      port = await freePort();

      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        const npm = startStack({ viaNpm: true });
        await waitForHealth(npm);
        const running = readState(dataDir);
        expect(running?.ownerPid).not.toBe(npm.pid);

        npm.kill(signal);
        await exited(npm);

        await eventually(() => !isAlive(running?.ownerPid) && !isAlive(running?.dynamoPid), 15_000);
        expect(existsSync(join(dataDir, 'runtime.json')), signal).toBe(false);
        expect(outputOf(npm), signal).toMatch(signal === 'SIGTERM' ? /SIGTERM: stopping/ : /Back Office is running/);
      }
    },
    120_000,
  );

  it('prints the URL and how to get a token, accepts a token from npm run token, and stops on Ctrl-C', async () => {
    port = await freePort();
    const stack = startStack();
    await waitForHealth(stack);
    await eventually(() => outputOf(stack).includes('Ctrl-C stops everything'), 5000);
    expect(outputOf(stack)).toContain(`Back Office is running on http://127.0.0.1:${port}`);
    expect(outputOf(stack)).toContain('TOKEN=$(npm run --silent token -- --role ops)');

    // The token command prints the token and nothing else on stdout, so $(...) captures a usable header value.
    const printed = await npmToken(['--role', 'ops']);
    expect(printed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n?$/);
    expect(await protectedStatus(printed.trim())).toBe(200);
    expect(await protectedStatus(`${printed.trim()}x`)).toBe(401);

    // Ctrl-C in a terminal sends SIGINT to the whole foreground process group, and npm relays it to its child too:
    // the stack gets it twice and must still stop cleanly, once.
    const running = readState(dataDir);
    killGroup(stack, 'SIGINT');
    killGroup(stack, 'SIGINT');
    await exited(stack);
    expect(stack.exitCode).toBe(0);
    await eventually(() => !isAlive(running?.dynamoPid), 5000);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  }, 90_000);
});
