import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withConcurrencyRetry } from '#shared/data/transact.ts';
import { ConcurrencyError } from '#shared/errors.ts';
import { DEADLINE_MARGIN_MS, withInvocationDeadline } from '#shared/platform/deadline.ts';

/** A Lambda context whose remaining time runs down with the (fake) clock from `ms`. */
function contextWith(ms: number) {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => end - Date.now() };
}

describe('retries against other writers, inside an invocation', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stop before a wait would pass the invocation's deadline, with the last ConcurrencyError", async () => {
    const started = Date.now();
    let attempts = 0;
    const losing = () => {
      attempts += 1;
      return Promise.reject(new ConcurrencyError(`lost ${attempts}`));
    };

    const outcome = withInvocationDeadline(contextWith(4_000), () => withConcurrencyRetry(losing)).catch(
      (e: unknown) => e,
    );
    await vi.runAllTimersAsync();
    const error = await outcome;

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as Error).message).toBe(`lost ${attempts}`);
    expect(attempts).toBeLessThan(25);
    expect(Date.now() - started).toBeLessThanOrEqual(4_000 - DEADLINE_MARGIN_MS);
  });

  it('run all their attempts with time to spare, and without a deadline at all', async () => {
    for (const run of [
      (fn: () => Promise<unknown>) => withInvocationDeadline(contextWith(600_000), fn),
      (fn: () => Promise<unknown>) => fn(),
    ]) {
      let attempts = 0;
      const outcome = run(() =>
        withConcurrencyRetry(() => {
          attempts += 1;
          return Promise.reject(new ConcurrencyError('lost'));
        }),
      ).catch((e: unknown) => e);
      await vi.runAllTimersAsync();

      expect(await outcome).toBeInstanceOf(ConcurrencyError);
      expect(attempts).toBe(25);
    }
  });

  it('keep the deadline to the invocation that set it', async () => {
    let attempts = 0;
    const outside = withConcurrencyRetry(() => {
      attempts += 1;
      return Promise.reject(new ConcurrencyError('lost'));
    }).catch((e: unknown) => e);
    const inside = withInvocationDeadline(contextWith(DEADLINE_MARGIN_MS), () =>
      withConcurrencyRetry(() => Promise.reject(new ConcurrencyError('at once'))),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();

    expect(((await inside) as Error).message).toBe('at once');
    expect(await outside).toBeInstanceOf(ConcurrencyError);
    expect(attempts).toBe(25);
  });
});
