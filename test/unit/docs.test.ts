import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes, schedules } from '#shared/manifest.ts';

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
