import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class HandlerNotFoundError extends Error {
  override name = 'HandlerNotFoundError';
}

export interface HandlerLoader {
  /** The file a manifest `handler` entry points at (`functions/orders/submit-order` → `<root>/functions/….ts`). */
  file(handler: string): string;
  exists(handler: string): boolean;
  /** Imports the module (once; later calls reuse it, as a warm Lambda does) and returns its `handler` export. */
  load<T>(handler: string): Promise<T>;
}

/**
 * Imports handler modules straight from TypeScript source (tsx or vitest compile them), unchanged from what esbuild
 * bundles for Lambda. All handlers share this one process and its module cache, unlike separate Lambda functions.
 */
export function handlerLoader(root: string): HandlerLoader {
  const loaded = new Map<string, unknown>();
  const file = (handler: string) => join(root, `${handler}.ts`);
  return {
    file,
    exists: (handler) => existsSync(file(handler)),
    async load<T>(handler: string): Promise<T> {
      if (loaded.has(handler)) return loaded.get(handler) as T;
      const path = file(handler);
      if (!existsSync(path)) throw new HandlerNotFoundError(`Handler module ${handler}.ts does not exist`);
      const module = (await import(path)) as { handler?: unknown };
      if (typeof module.handler !== 'function') {
        throw new HandlerNotFoundError(`Handler module ${handler}.ts does not export a function named handler`);
      }
      loaded.set(handler, module.handler);
      return module.handler as T;
    },
  };
}
