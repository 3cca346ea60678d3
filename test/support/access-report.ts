/**
 * The over-grant half of the least-privilege check, run by `global-setup.ts` once the integration and e2e files are
 * done: reads what every test file recorded (`access-recorder.ts`), takes the union per handler and lists each
 * declared action (each query target on its own) no invocation used. On a run of the whole suite an unused
 * declaration fails `npm test`; on a partial run (a file filter, `-t`, `--project`, a skipped test) it is only
 * printed, since the tests that use it may not have run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { functionSpecs, realManifest } from '#infra/manifest.ts';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import type { FileRecord } from './access-recorder.ts';
import { accessKey, usageReport, type Access } from './grants.ts';

/** The folders whose test files run with the recorder (the integration and e2e projects of vitest.config.ts). */
export const RECORDED_TEST_DIRS = ['test/integration', 'test/e2e'] as const;

/** Every test file of the recorded projects, relative to the project root. */
export function recordedTestFiles(root = PROJECT_ROOT): string[] {
  return RECORDED_TEST_DIRS.flatMap((dir) =>
    (readdirSync(join(root, dir), { recursive: true }) as string[])
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(dir, name)),
  ).sort();
}

export interface RunVerdict {
  /** True when the check is enforced: the whole suite ran, or CI, where a partial run is itself a failure. */
  failed: boolean;
  lines: string[];
}

/**
 * Judges a run from the records in `runDir`. The run is the whole suite when every test file under
 * `RECORDED_TEST_DIRS` reached its end (its `afterAll` wrote a record) with no test skipped or filtered out.
 */
export function judgeRun(runDir: string, env: NodeJS.ProcessEnv = process.env): RunVerdict {
  const records = readdirSync(runDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(runDir, name), 'utf8')) as FileRecord);
  if (records.length === 0) return { failed: false, lines: [] };

  const ran = new Set(records.map((r) => relative(PROJECT_ROOT, r.file)));
  const missing = recordedTestFiles().filter((file) => !ran.has(file));
  const skipped = records.filter((r) => r.tests.skipped > 0).map((r) => relative(PROJECT_ROOT, r.file));
  const whole = missing.length === 0 && skipped.length === 0;
  const ci = env.CI === 'true' || env.CI === '1';

  const uses = new Map<string, Access[]>();
  for (const record of records) {
    for (const [handler, accesses] of Object.entries(record.uses))
      uses.set(handler, [...(uses.get(handler) ?? []), ...accesses]);
  }
  const specs = functionSpecs(realManifest);
  const report = usageReport(specs, uses);
  const unused = whole ? report.unused : report.unused.filter((d) => uses.has(d.handler));
  const violations = records.flatMap((r) => r.violations);

  const lines: string[] = [];
  const skippedNote = skipped.length ? `, tests skipped in ${skipped.length}` : '';
  const scope = whole
    ? `the whole suite (${records.length} files)`
    : `a partial run (${records.length} of ${records.length + missing.length} files${skippedNote})`;
  lines.push(`Least privilege: ${uses.size} of ${specs.length} handlers invoked in ${scope}.`);
  if (violations.length > 0) lines.push(`  ${violations.length} request(s) refused as ungranted (their tests failed).`);
  if (unused.length > 0) {
    lines.push(
      whole
        ? '  Declared in shared/manifest.ts but never used by the handler anywhere in the suite ' +
            '(remove the grant, or add a test that needs it):'
        : '  Declared but not used by the handlers this run invoked (not enforced on a partial run):',
    );
    for (const d of unused) lines.push(`    - ${d.handler}: ${d.declaration}`);
  } else if (whole) {
    lines.push('  Every declared table action, query target and queue was used by its handler.');
  }
  for (const a of report.accepted.filter((a) => whole || uses.has(a.handler)))
    lines.push(`  Accepted unused: ${a.handler}: ${a.declaration} (${a.reason}).`);
  if (!whole) {
    lines.push(
      `  Not the whole suite, so over-grants are not enforced: ${[
        ...(missing.length
          ? [
              `${missing.length} file(s) did not run (to the end) ` +
                `(${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
            ]
          : []),
        ...(skipped.length
          ? [`skipped tests in ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}`]
          : []),
      ].join('; ')}.`,
    );
    if (ci)
      lines.push(
        '  CI=true: CI must run the whole suite, so a partial run fails here (see docs/deploy.md, least privilege).',
      );
  }
  if (env.LEAST_PRIVILEGE_REPORT === 'verbose') {
    lines.push('  Used, per handler:');
    for (const [handler, accesses] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`    ${handler}: ${[...new Set(accesses.map(accessKey))].sort().join(', ') || '(no requests)'}`);
    }
  }
  return { failed: (whole && unused.length > 0) || (!whole && ci), lines };
}
