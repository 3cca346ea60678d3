import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ESM_REQUIRE_BANNER } from '#infra/constructs/function.ts';
import { functionSpecs } from '#infra/manifest.ts';
import { logicalId, type Synthesized } from './synth.ts';
import { resource } from './template.ts';

/** The staged asset directory of a handler's bundle: the Lambda code's S3 key is `<asset hash>.zip`. */
export function assetDir(s: Synthesized, handler: string): string {
  const fn = resource(s.template, logicalId(s.stack.functions.get(handler)!.fn));
  const key = fn.Properties?.Code?.S3Key as string;
  expect(key, handler).toMatch(/^[0-9a-f]{64}\.zip$/);
  return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

/**
 * Checks what esbuild produced for every function: an ESM `index.mjs` opening with the `require` banner, minified,
 * with an external source map (mappings only), and no import left for the AWS SDK — it is inside the bundle.
 */
export function expectBundledHandlers(s: Synthesized): void {
  for (const spec of functionSpecs(s.manifest)) {
    const fn = resource(s.template, logicalId(s.stack.functions.get(spec.handler)!.fn));
    expect(fn.Properties?.Handler).toBe('index.handler');
    const dir = assetDir(s, spec.handler);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    // Booleans, not the code itself, so a failure does not print a megabyte of bundle.
    expect(code.startsWith(`${ESM_REQUIRE_BANNER}\n`), `${spec.handler} starts with the require banner`).toBe(true);
    expect(/export\{[^}\n]*\bhandler[,}]/.test(code), `${spec.handler} is minified ESM exporting handler`).toBe(true);
    expect(/from\s*"@aws-sdk\//.test(code), `${spec.handler} imports an AWS SDK package at run time`).toBe(false);
    expect(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/.test(code), `${spec.handler} links its source map`).toBe(true);
    expect(existsSync(join(dir, 'index.mjs.map')), spec.handler).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')).sourcesContent).toBeUndefined();
  }
}
