import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running local stack records under its data folder, for `npm run job`, and for the next start. */
export interface RuntimeState {
  /** The Node process that owns the stack. */
  ownerPid: number;
  /** The DynamoDB Local Java process it spawned, if any. */
  dynamoPid?: number;
  url?: string;
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  tableName?: string;
  /** The environment handlers run with (table, queue URLs, endpoints). */
  env?: Record<string, string>;
  startedAt: string;
}

export function stateFile(dataDir: string): string {
  return join(dataDir, 'runtime.json');
}

export function readState(dataDir: string): RuntimeState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as RuntimeState;
  } catch {
    return undefined;
  }
}

export function writeState(dataDir: string, state: RuntimeState): void {
  mkdirSync(dataDir, { recursive: true });
  const temp = `${stateFile(dataDir)}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, stateFile(dataDir));
}

export function removeState(dataDir: string, ownerPid = process.pid): void {
  const state = readState(dataDir);
  if (state && state.ownerPid !== ownerPid) return;
  rmSync(stateFile(dataDir), { force: true });
}

/** Whether a process exists and is not a zombie (an orphan whose new parent has not reaped it yet). */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // No /proc (macOS): signal 0 is all there is.
  }
}

/** The command line of a process, or undefined if it is gone (works on Linux and macOS). */
export function commandLine(pid: number): string | undefined {
  const proc = `/proc/${pid}/cmdline`;
  if (existsSync(proc)) {
    try {
      return readFileSync(proc, 'utf8').split('\0').join(' ');
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export class StackAlreadyRunningError extends Error {
  override name = 'StackAlreadyRunningError';
}

/**
 * Makes the data folder usable after a crash or `kill -9`: if the recorded owner and its DynamoDB Local are both
 * alive the stack is already running (refuse); if only the Java process is left (orphaned, holding the database file
 * lock) it is killed. Only a process whose command line is DynamoDB Local on this data folder is ever killed; a
 * recycled owner pid without its Java process is not mistaken for a running stack.
 */
export async function reclaimDataDir(dataDir: string, log: (message: string) => void): Promise<void> {
  const state = readState(dataDir);
  if (!state) return;
  const pid = state.dynamoPid;
  const command = pid && isAlive(pid) ? (commandLine(pid) ?? '') : '';
  const ourJava = pid !== undefined && command.includes('DynamoDBLocal') && command.includes(join(dataDir, 'dynamodb'));
  const ownerAlive = state.ownerPid !== process.pid && isAlive(state.ownerPid);
  if (ownerAlive && ourJava) {
    throw new StackAlreadyRunningError(
      `A local stack (pid ${state.ownerPid}${state.url ? `, ${state.url}` : ''}) ` +
        `already uses ${dataDir}; stop it first.`,
    );
  }
  if (pid && ourJava) {
    log(`killing DynamoDB Local (pid ${pid}) left over from a previous run`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
    if (!(await waitForExit(pid, 5000))) throw new Error(`Could not stop the stale DynamoDB Local (pid ${pid})`);
  }
  rmSync(stateFile(dataDir), { force: true });
}
