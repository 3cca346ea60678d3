/** (a) Every manifest handler's bundle size, built by esbuild with the settings the CDK stack uses. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  queues as manifestQueues,
  routes as manifestRoutes,
  schedules as manifestSchedules,
  unmatchedRoute,
} from '#shared/manifest.ts';
import { ROOT, table } from './shared.ts';

export interface BundleSize {
  handler: string;
  /** Minified ESM bundle (`index.mjs`), source map excluded; undefined when the handler file does not exist yet. */
  bytes?: number;
}

/**
 * Every handler module the manifest declares (routes, the `$default` route, processors, schedules), once each, in
 * declaration order: each is a function that gets deployed.
 */
export function manifestHandlers(): string[] {
  return [
    ...new Set([
      ...manifestRoutes.map((r) => r.handler),
      unmatchedRoute.handler,
      ...manifestQueues.map((q) => q.processor),
      ...manifestSchedules.map((s) => s.handler),
    ]),
  ];
}

/**
 * Bundles each handler exactly as `infra/constructs/function.ts` has `NodejsFunction` do it (ESM, platform node,
 * target node22, mainFields module/main, the createRequire banner, minify, keepNames, external source map, nothing
 * external) and reports the size of the code file Lambda loads.
 */
export async function bundleSizes(handlers: string[] = manifestHandlers()): Promise<BundleSize[]> {
  const esbuild = await import('esbuild');
  const { ESM_REQUIRE_BANNER } = await import('#infra/constructs/function.ts');
  const sizes: BundleSize[] = [];
  for (const handler of handlers) {
    const entry = join(ROOT, `${handler}.ts`);
    if (!existsSync(entry)) {
      sizes.push({ handler });
      continue;
    }
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      outfile: join(ROOT, 'cdk.out', 'bench', 'index.mjs'),
      format: 'esm',
      platform: 'node',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      keepNames: true,
      sourcemap: 'external',
      sourcesContent: false,
      external: [],
      logLevel: 'error',
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    sizes.push({ handler, bytes: code?.contents.byteLength ?? 0 });
  }
  return sizes;
}

export function printBundleSizes(sizes: BundleSize[]): void {
  console.log(
    '(a) Bundle sizes (esbuild as the CDK stack bundles: ESM, node22, minified, keepNames, AWS SDK included)\n',
  );
  console.log(
    table([
      ['handler', 'bytes', 'KiB'],
      ...sizes.map((s) => [
        s.handler,
        s.bytes === undefined ? 'missing' : String(s.bytes),
        s.bytes === undefined ? '' : (s.bytes / 1024).toFixed(1),
      ]),
    ]),
  );
}
