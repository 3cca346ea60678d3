import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';

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
      const invoke = perInvocation(module.handler as (event: unknown, context: Context) => unknown);
      loaded.set(handler, invoke);
      return invoke as T;
    },
  };
}

/** Lambda's per-invocation context store (`globalThis.awslambda.InvokeStore`), one async context per invocation. */
class LocalInvokeStore extends InvokeStoreBase {
  readonly #contexts = new AsyncLocalStorage<Record<string | symbol, unknown>>();
  getContext() {
    return this.#contexts.getStore();
  }
  hasContext() {
    return this.#contexts.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.#contexts.getStore()?.[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    const context = this.#contexts.getStore();
    if (this.isProtectedKey(key) || !context)
      throw new Error(`Cannot set ${String(key)} outside an invocation, or a protected field`);
    context[key] = value;
  }
  run<T>(context: Record<string | symbol, unknown>, fn: () => T): T {
    return this.#contexts.run(context, fn);
  }
}

/**
 * Runs each invocation in its own async context, as Lambda's Node.js runtime does when one environment serves
 * several requests at once (AWS_LAMBDA_MAX_CONCURRENCY): Powertools then keeps a request's log keys, Lambda context
 * and batch state to that request. Without it, a route answering while a processor works on a batch in this one
 * process put its function name on the processor's log lines and could strip their correlation ids.
 *
 * The store is installed in place of any the SDK made on its first call (its recursion-detection middleware makes
 * a single-context one, whose `run` only swaps one global context: Powertools batch state kept there would leak
 * between two batches at once). From then on, this process must call every handler through this loader: Powertools
 * batch state set outside a context throws (tests that import a processor directly run without the loader).
 */
function perInvocation<E, R>(handler: (event: E, context: Context) => R): (event: E, context: Context) => R {
  const lambda = ((globalThis as { awslambda?: { InvokeStore?: unknown } }).awslambda ??= {});
  if (!(lambda.InvokeStore instanceof LocalInvokeStore)) lambda.InvokeStore = new LocalInvokeStore();
  const store = lambda.InvokeStore as LocalInvokeStore;
  // Powertools consults the store only when this is set.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  return (event, context) =>
    store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
}
