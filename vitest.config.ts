import { defineConfig } from 'vitest/config';

// The SDK's "node >= 22 soon" notice, once per worker, drowns test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Four projects, mirroring test/:
 * - unit: no network (AWS endpoints point at a closed port);
 * - infra: CDK template assertions, no network, slower synths;
 * - integration and e2e: one DynamoDB Local + one SQS server per run (globalSetup), and a fresh table and queues
 *   per test file with process.env set before the file imports handlers (setupFiles).
 */
const awsProject = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/setup-quiet.ts', 'test/support/setup-aws.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    pool: 'forks',
    // One test file at a time, as vitest's default gives on the 2 cores these runs are measured on. Pinned, because
    // the default follows the CPUs the machine shows, not its quota: a CI container showing 16 host CPUs would run
    // 15 forks and their handlers against one DynamoDB Local, and every deadline in the e2e tests would be tighter.
    maxWorkers: 1,
    passWithNoTests: true,
    // What a passing test logs (its handlers' JSON lines included: test/support/setup-quiet.ts) is not printed; a
    // failing test's logs are, after its error.
    silent: 'passed-only',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/setup-quiet.ts', 'test/support/setup-unit.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          setupFiles: ['test/support/setup-quiet.ts', 'test/support/setup-unit.ts'],
          testTimeout: 120_000,
          // Bundling every handler for the real stack takes about 60 s alone and past 120 s on a loaded 2-core machine;
          // a timeout is not a finding, so the synth hook gets room (each handler added adds ~1.5 s).
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...awsProject },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...awsProject, testTimeout: 60_000 },
      },
    ],
  },
});
