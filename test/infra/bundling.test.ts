import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfraManifest } from '#infra/manifest.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { assetDir, expectBundledHandlers } from './support/bundle.ts';
import { synth, type Synthesized } from './support/synth.ts';

/** A route that sends to a queue and that queue's processor: two real esbuild bundles, quick to build. */
const sendAndProcess: InfraManifest = {
  roles: fixtureManifest.roles,
  routes: [fixtureManifest.routes[1]!],
  queues: [{ ...fixtureManifest.queues[0]!, permissions: { table: ['dynamodb:UpdateItem'] } }],
  schedules: [],
};

let outdir: string;
let s: Synthesized;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'back-office-bundling-'));
  s = synth(sendAndProcess, { bundle: true, outdir });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('esbuild bundling (fixture handlers)', () => {
  it('bundles each handler as minified ESM with the require banner and a source map, AWS SDK included', () => {
    expectBundledHandlers(s);
  });

  it('resolves #shared aliases and carries the SQS client inside the bundle', () => {
    const code = readFileSync(join(assetDir(s, sendAndProcess.routes[0]!.handler), 'index.mjs'), 'utf8');
    expect(code).toContain('QUEUE_URL_'); // from #shared/manifest.ts
    expect(code).toContain('AmazonSQS'); // the SQS client's service id
    expect(code.length).toBeGreaterThan(100_000);
  });
});
