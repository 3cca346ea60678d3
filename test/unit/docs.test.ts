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

    const declared = Object.fromEntries(functionSpecs(realManifest)
      .filter((spec) => (spec.permissions.query ?? []).length > 0)
      .map((spec) => [spec.handler, [...new Set(spec.permissions.query)].sort()]));
    expect(documented).toEqual(declared);
  });
});
