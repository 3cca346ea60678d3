import type { Context } from 'aws-lambda';
import type { ScheduleDecl } from '#shared/manifest.ts';
import { JOB_TIMEOUT_SECONDS } from '#infra/manifest.ts';
import { lambdaContext, scheduledEvent, type ScheduledEvent } from './events.ts';
import { nextRun, parseSchedule, type Schedule } from './schedule.ts';

export type JobHandler = (event: ScheduledEvent, context: Context) => Promise<unknown> | unknown;

export interface SchedulerOptions {
  schedules: readonly ScheduleDecl[];
  loadHandler: (decl: ScheduleDecl) => Promise<JobHandler>;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

export interface Scheduler {
  /** When each schedule fires next. */
  next(): { name: string; at: Date | undefined }[];
  /** Runs one job now, as `npm run job` does; rejects when the job throws. */
  run(name: string, detail?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

/** Invokes a job handler with an EventBridge Scheduled Event. */
export async function invokeJob(
  decl: ScheduleDecl,
  handler: JobHandler,
  detail: Record<string, unknown> = {},
  time = new Date(),
): Promise<unknown> {
  return handler(scheduledEvent({ detail, time }), lambdaContext(`local-${decl.name}`, JOB_TIMEOUT_SECONDS * 1000));
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs every manifest schedule on time (UTC), like EventBridge: rates count from start, crons fire on the minute.
 * A job that throws is logged (EventBridge would retry the asynchronous invocation; locally the next run does).
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const startedAt = new Date();
  const running = new Set<Promise<unknown>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date | undefined>();
  let stopped = false;
  const parsed = options.schedules.map((decl) => ({ decl, schedule: parseSchedule(decl.schedule) as Schedule }));

  function track<T>(promise: Promise<T>): Promise<T> {
    running.add(promise);
    void promise.finally(() => running.delete(promise)).catch(() => undefined);
    return promise;
  }

  async function runDecl(decl: ScheduleDecl, detail: Record<string, unknown> = {}, time = new Date()) {
    const handler = await options.loadHandler(decl);
    return invokeJob(decl, handler, detail, time);
  }

  function arm(decl: ScheduleDecl, schedule: Schedule, after: Date): void {
    if (stopped) return;
    const at = nextRun(schedule, after, startedAt);
    upcoming.set(decl.name, at);
    if (!at) return;
    const delay = at.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        if (delay > MAX_TIMER_MS) {
          arm(decl, schedule, after);
          return;
        }
        const started = Date.now();
        options.log?.(`job ${decl.name} started`);
        track(runDecl(decl, {}, at)).then(
          () => options.log?.(`job ${decl.name} finished`, { ms: Date.now() - started }),
          (error: unknown) =>
            options.log?.(`job ${decl.name} failed`, {
              error: error instanceof Error ? error.stack : String(error),
            }),
        );
        arm(decl, schedule, at);
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    timer.unref();
    timers.set(decl.name, timer);
  }

  for (const { decl, schedule } of parsed) arm(decl, schedule, startedAt);

  return {
    next: () => parsed.map(({ decl }) => ({ name: decl.name, at: upcoming.get(decl.name) })),
    run(name, detail) {
      const decl = options.schedules.find((s) => s.name === name);
      if (!decl) return Promise.reject(new Error(`Unknown job ${name}`));
      return track(runDecl(decl, detail));
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
