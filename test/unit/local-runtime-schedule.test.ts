import { afterEach, describe, expect, it, vi } from 'vitest';
import { schedules } from '#shared/manifest.ts';
import { nextRun, parseSchedule, ScheduleExpressionError } from '../../scripts/local/schedule.ts';
import { startScheduler } from '../../scripts/local/scheduler.ts';

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => nextRun(parseSchedule(expression), at(after))?.toISOString();

describe('cron schedule expressions (EventBridge, UTC)', () => {
  it('fires the nightly report schedule at 00:15 UTC, strictly after the given time', () => {
    expect(next('cron(15 0 * * ? *)', '2026-03-10T00:14:30Z')).toBe('2026-03-10T00:15:00.000Z');
    expect(next('cron(15 0 * * ? *)', '2026-03-10T00:15:00Z')).toBe('2026-03-11T00:15:00.000Z');
    expect(next('cron(15 0 * * ? *)', '2026-12-31T23:59:00Z')).toBe('2027-01-01T00:15:00.000Z');
  });

  it('supports steps, ranges and lists', () => {
    expect(next('cron(0/15 * * * ? *)', '2026-03-10T10:16:00Z')).toBe('2026-03-10T10:30:00.000Z');
    expect(next('cron(5,35 8-9 * * ? *)', '2026-03-10T08:40:00Z')).toBe('2026-03-10T09:05:00.000Z');
    expect(next('cron(5,35 8-9 * * ? *)', '2026-03-10T09:40:00Z')).toBe('2026-03-11T08:05:00.000Z');
  });

  it('counts day-of-week from 1 = Sunday and accepts day names', () => {
    expect(next('cron(0 9 ? * MON-FRI *)', '2026-03-14T12:00:00Z')).toBe('2026-03-16T09:00:00.000Z');
    expect(next('cron(0 0 ? * 1 *)', '2026-03-11T12:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
    expect(next('cron(0 0 ? * SUN *)', '2026-03-11T12:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
  });

  it('supports month names and the year field', () => {
    expect(next('cron(0 0 1 JAN ? *)', '2026-03-10T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2027)', '2026-03-10T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2027)', '2027-01-01T00:00:00Z')).toBeUndefined();
  });

  it('supports L, W and # in the day fields', () => {
    expect(next('cron(0 12 L * ? *)', '2028-02-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('cron(0 12 L * ? *)', '2027-02-01T00:00:00Z')).toBe('2027-02-28T12:00:00.000Z');
    expect(next('cron(0 10 ? * 2#1 *)', '2026-03-01T00:00:00Z')).toBe('2026-03-02T10:00:00.000Z');
    expect(next('cron(0 10 ? * 6L *)', '2026-03-01T00:00:00Z')).toBe('2026-03-27T10:00:00.000Z');
    expect(next('cron(0 8 15W * ? *)', '2026-08-01T00:00:00Z')).toBe('2026-08-14T08:00:00.000Z');
    expect(next('cron(0 8 15W * ? *)', '2026-11-01T00:00:00Z')).toBe('2026-11-16T08:00:00.000Z');
  });

  it('refuses what EventBridge refuses', () => {
    for (const bad of [
      'cron(0 0 * * * *)', // both day fields set
      'cron(0 0 ? * ? *)', // neither
      'cron(0 0 * * ?)', // five fields
      'cron(60 0 * * ? *)',
      'cron(0 24 * * ? *)',
      'cron(0 0 ? * 8 *)',
      'rate(1 minutes)',
      'rate(5 minute)',
      'rate(0 minutes)',
      'every 5 minutes',
    ]) {
      expect(() => parseSchedule(bad), bad).toThrow(ScheduleExpressionError);
    }
  });
});

describe('rate schedule expressions', () => {
  it('fires every period counted from the start', () => {
    const start = at('2026-03-10T10:00:00Z');
    const schedule = parseSchedule('rate(5 minutes)');

    expect(nextRun(schedule, start, start)?.toISOString()).toBe('2026-03-10T10:05:00.000Z');
    expect(nextRun(schedule, at('2026-03-10T10:07:00Z'), start)?.toISOString()).toBe('2026-03-10T10:10:00.000Z');
    expect(nextRun(parseSchedule('rate(1 hour)'), start, start)?.toISOString()).toBe('2026-03-10T11:00:00.000Z');
    expect(nextRun(parseSchedule('rate(2 days)'), start, start)?.toISOString()).toBe('2026-03-12T10:00:00.000Z');
  });
});

describe('the manifest', () => {
  it('declares only schedules the local scheduler can run', () => {
    for (const schedule of schedules) {
      expect(nextRun(parseSchedule(schedule.schedule), new Date()), schedule.name).toBeInstanceOf(Date);
    }
  });
});

describe('scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invokes the job on its schedule with an EventBridge Scheduled Event', async () => {
    vi.useFakeTimers({ now: at('2026-03-10T10:00:30Z') });
    const handler = vi.fn(async () => undefined);
    const scheduler = startScheduler({
      schedules: [
        { name: 'every-minute', schedule: 'rate(1 minute)', handler: 'x', description: '', permissions: {} },
        { name: 'on-the-hour', schedule: 'cron(0 * * * ? *)', handler: 'y', description: '', permissions: {} },
      ],
      loadHandler: async () => handler,
    });

    await vi.advanceTimersByTimeAsync(60_000);
    expect(handler).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(handler).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(58 * 60_000);

    expect(handler.mock.calls.length).toBe(60 + 1);
    expect(handler.mock.calls[0]).toEqual([
      expect.objectContaining({
        version: '0',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        detail: {},
        resources: [],
        time: '2026-03-10T10:01:30Z',
      }),
      expect.objectContaining({ functionName: 'local-every-minute' }),
    ]);
    await scheduler.stop();
  });

  it('keeps running after a job throws', async () => {
    vi.useFakeTimers({ now: at('2026-03-10T10:00:00Z') });
    const handler = vi.fn(async () => {
      throw new Error('job failed');
    });
    const log = vi.fn();
    const scheduler = startScheduler({
      schedules: [{ name: 'flaky', schedule: 'rate(1 minute)', handler: 'x', description: '', permissions: {} }],
      loadHandler: async () => handler,
      log,
    });

    await vi.advanceTimersByTimeAsync(3 * 60_000);

    expect(handler).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenCalledWith('job flaky failed', expect.anything());
    await scheduler.stop();
  });
});
