import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '#shared/errors.ts';
import { errorToResponse } from '#shared/http/problem.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every TypeScript file under a folder of the project, as a path from the project root (`shared/data/orders.ts`). */
function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => posix.join(folder, name.split('\\').join('/')));
}

/**
 * What a file imports (static imports, re-exports, dynamic `import()`), each as written and, for project modules
 * (`#shared/...` or a relative path), as a path from the project root.
 */
function importsOf(file: string): { specifier: string; target: string }[] {
  const source = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.map((specifier) => {
    if (specifier.startsWith('#shared/')) return { specifier, target: specifier.slice(1) };
    if (specifier.startsWith('.'))
      return {
        specifier,
        target: relative(root, join(root, dirname(file), specifier))
          .split('\\')
          .join('/'),
      };
    return { specifier, target: specifier };
  });
}

/** The imports of every file under `folder` that `forbidden` refuses, as `file -> specifier`. */
function violations(folder: string, forbidden: (target: string) => boolean): string[] {
  return filesUnder(folder).flatMap((file) =>
    importsOf(file)
      .filter(({ target }) => forbidden(target))
      .map(({ specifier }) => `${file} -> ${specifier}`),
  );
}

describe('the layers (README, Architecture)', () => {
  it('finds the imports it checks', () => {
    // Guards the checks below against a parser that silently finds nothing.
    expect(importsOf('shared/data/orders.ts').map((i) => i.target)).toEqual(
      expect.arrayContaining([
        '@aws-sdk/lib-dynamodb',
        'shared/keys.ts',
        'shared/domain/orders.ts',
        'shared/data/query.ts',
      ]),
    );
    expect(filesUnder('shared/domain')).toContain('shared/domain/desk.ts');
  });

  it('keeps shared/data free of HTTP: no module of shared/data imports shared/http', () => {
    expect(violations('shared/data', (target) => target.startsWith('shared/http/'))).toEqual([]);
  });

  it('keeps shared/domain pure: no data access, use cases, HTTP, platform or AWS', () => {
    const impure = (target: string) =>
      ['shared/data/', 'shared/services/', 'shared/http/', 'shared/platform/'].some((layer) =>
        target.startsWith(layer),
      ) ||
      target.startsWith('@aws-sdk/') ||
      target.startsWith('@aws-lambda-powertools/') ||
      target === 'aws-lambda';
    expect(violations('shared/domain', impure)).toEqual([]);
  });
});

describe('errors of the lower layers', () => {
  it('answer a cursor not made for the list with the 400 every list route gives', () => {
    const { response, expected } = errorToResponse(new InvalidCursorError());

    expect(expected).toBe(true);
    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(JSON.parse(response.body as string)).toEqual({
      type: 'urn:back-office:problem:bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'The cursor is not valid for this list.',
      errors: [{ path: 'cursor', message: 'Invalid cursor' }],
    });
  });
});
