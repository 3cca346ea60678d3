import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { loadOrCreateSigningKeys, verifyToken } from '../../scripts/local/auth.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'back-office-cli-'));

async function cli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_DATA_DIR: dataDir, DYNAMODB_PORT: '0', SQS_PORT: '0' };
  delete env.NODE_EXTRA_CA_CERTS;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
      { cwd: PROJECT_ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('token CLI', () => {
  it('prints only a signed JWT carrying the roles, subject and a one-hour lifetime', async () => {
    const { code, stdout } = await cli('scripts/token.ts', ['--role', 'ops', '--role', 'support', '--sub', 'alice']);
    const token = stdout.trim();
    const claims = decodeJwt(token);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(claims).toMatchObject({ sub: 'alice', 'cognito:groups': ['ops', 'support'], token_use: 'access' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(await verifyToken(await loadOrCreateSigningKeys(dataDir), token)).toMatchObject({ ok: true });
  });

  it('refuses an unknown role on stderr with exit code 1', async () => {
    const { code, stdout, stderr } = await cli('scripts/token.ts', ['--role', 'wizard']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Unknown role wizard');
  });
});

describe('job CLI', () => {
  it('runs a job by name with --date and exits 0, bringing up what it needs', async () => {
    const { code, stderr } = await cli('scripts/job.ts', ['sweep-submissions', '--date', '2026-01-15']);

    expect(stderr).toContain('sweep-submissions succeeded');
    expect(code).toBe(0);
  });

  it(
    'runs a job as if its schedule fired at --at: ' + 'daily-reports then reports the day before that instant',
    async () => {
      const { code, stdout, stderr } = await cli('scripts/job.ts', ['daily-reports', '--at', '2026-03-10T00:15:00Z']);

      expect(stderr).toContain('daily-reports succeeded');
      expect(code).toBe(0);
      // stdout carries the job's own JSON log lines too, then the result, pretty-printed.
      expect(stdout).toContain('"period": "2026-03-09"');
    },
  );

  it('exits 1 for an unknown job, a bad date or an instant without its offset', async () => {
    const unknown = await cli('scripts/job.ts', ['no-such-job']);
    const badDate = await cli('scripts/job.ts', ['sweep-submissions', '--date', '2026-02-30']);
    const badInstant = await cli('scripts/job.ts', ['sla-monitor', '--at', '2026-03-10 00:15']);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown job');
    expect(badDate.code).toBe(1);
    expect(badInstant.code).toBe(1);
    expect(badInstant.stderr).toContain('--at must be an ISO 8601 instant');
  });
});
