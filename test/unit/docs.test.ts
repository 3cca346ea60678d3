import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes, schedules } from '#shared/manifest.ts';
import { functionSpecs, realManifest } from '#infra/manifest.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('lists every declared route with its roles', () => {
    for (const route of routes) {
      const roles = route.roles === 'public' ? 'public' : route.roles.join(', ');
      expect(readme, `${route.method} ${route.path}`).toContain(`| ${route.method} | ${route.path} | ${roles} |`);
    }
  });

  it('names every scheduled job', () => {
    for (const schedule of schedules) expect(readme).toContain(`\`${schedule.name}\``);
  });

  it('opens with the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});

describe('docs/deploy.md', () => {
  const deploy = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');

  it('lists what every function may query, as the manifest declares it', () => {
    const table = deploy.split('What each function may query:')[1]!.split('\n\n')[1]!;
    const documented: Record<string, string[]> = {};
    for (const row of table.split('\n').slice(2)) {
      const [, functions = '', targets = ''] = row.split('|');
      const named = [...targets.matchAll(/`(table|gsi\d)`/g)].map((m) => m[1]!).sort();
      for (const [, fn] of functions.matchAll(/`([a-z-]+\/[a-z-]+)`/g)) documented[`functions/${fn}`] = named;
    }

    const declared = Object.fromEntries(
      functionSpecs(realManifest)
        .filter((spec) => (spec.permissions.query ?? []).length > 0)
        .map((spec) => [spec.handler, [...new Set(spec.permissions.query)].sort()]),
    );
    expect(documented).toEqual(declared);
  });
});

describe('docs/decisions.md', () => {
  const decisions = readFileSync(new URL('../../docs/decisions.md', import.meta.url), 'utf8');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  /** The architecture's own list (docs/contract.md#architecture): these need no reason. */
  const named = new Set([
    'aws-cdk-lib',
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/client-sqs',
    '@middy/core',
    'zod',
    'vitest',
  ]);

  it('gives a reason for every dependency the architecture does not name, in the table of where it is used', () => {
    const section = decisions.split("### Dependencies beyond the architecture's list")[1]!.split('\n## ')[0]!;
    const [bundled = '', devOnly = ''] = section.split('What only builds, runs locally or tests');
    const rowsOf = (text: string) =>
      new Set(
        text
          .split('\n')
          .filter((line) => line.startsWith('| `'))
          .flatMap((line) => {
            const cell = line.split('|')[1]!;
            const scope = /`(@[^/`]+)\//.exec(cell)?.[1];
            // `@aws-lambda-powertools/logger`, `/metrics` names three packages of one scope.
            return [...cell.matchAll(/`([^`]+)`/g)].map((m) =>
              m[1]!.startsWith('/') && scope ? `${scope}${m[1]}` : m[1]!,
            );
          })
          .map((name) => name.replace(/ .*$/, '')),
      );

    const documentedBundled = rowsOf(bundled);
    const documentedDev = rowsOf(devOnly);
    for (const dep of Object.keys(pkg.dependencies).filter((d) => !named.has(d)))
      expect(documentedBundled, dep).toContain(dep);
    for (const dep of Object.keys(pkg.devDependencies).filter((d) => !named.has(d)))
      expect(documentedDev, dep).toContain(dep);
  });
});
