/**
 * The clock of a scheduled run: the EventBridge event's `time` (when the schedule meant it to run), so a test or a
 * replay can run a job "at" any instant without waiting, and a late retry sees no more as due than the run it
 * repeats; the wall clock when the event carries no usable time (a job started by hand).
 */
export function scheduledTime(event: unknown): Date {
  const time = (event as { time?: unknown } | null | undefined)?.time;
  const at = typeof time === 'string' ? new Date(time) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}
