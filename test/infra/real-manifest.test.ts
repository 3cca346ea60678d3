import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { describeStackContract } from './support/contract.ts';
import { expectBundledHandlers } from './support/bundle.ts';
import { synth, type Synthesized } from './support/synth.ts';

/**
 * The deployable stack: `#shared/manifest.ts` with every handler really bundled by esbuild and cdk-nag enforced —
 * what `cdk synth` does. It fails, naming the files, while a declared handler does not exist yet.
 */
let outdir: string;
let s: Synthesized;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'back-office-synth-'));
  s = synth(undefined, { bundle: true, outdir });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describeStackContract('real manifest', () => s);

describe('real manifest bundles', () => {
  it('bundles every handler as minified ESM with the require banner and a source map, AWS SDK included', () => {
    expectBundledHandlers(s);
  });
});
