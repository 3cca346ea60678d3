/**
 * EventBridge schedule expressions, evaluated in UTC: `rate(N minute|minutes|hour|hours|day|days)` and
 * `cron(minutes hours day-of-month month day-of-week year)` with `*`, `?`, lists, ranges, `/` steps, month and day
 * names, `L` (last day of month, or `5L` last Thursday), `#` (`2#1` first Monday) and `W` (nearest weekday).
 * Day-of-week counts 1 = Sunday … 7 = Saturday, as in EventBridge (not 0 = Sunday as in Unix cron).
 */

export type Schedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; expression: string; fields: CronFields };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | null;
  dayOfMonth: DayOfMonthRule;
  dayOfWeek: DayOfWeekRule;
}

type DayOfMonthRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last'; offset: number }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

type DayOfWeekRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'nth'; day: number; nth: number }
  | { kind: 'last'; day: number };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class ScheduleExpressionError extends Error {
  override name = 'ScheduleExpressionError';
}

function fail(expression: string, why: string): never {
  throw new ScheduleExpressionError(`Invalid schedule expression "${expression}": ${why}`);
}

function parseValue(token: string, names: string[] | null, min: number, max: number, expr: string): number {
  const upper = token.toUpperCase();
  const named = names ? names.indexOf(upper) : -1;
  const value = named >= 0 ? named + min : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) fail(expr, `"${token}" is not in ${min}-${max}`);
  return value;
}

function parseSet(field: string, names: string[] | null, min: number, max: number, expr: string): Set<number> {
  const result = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail(expr, `bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = parseValue(a, names, min, max, expr);
      to = parseValue(b, names, min, max, expr);
    } else {
      from = parseValue(range, names, min, max, expr);
      to = stepText === undefined ? from : max;
    }
    if (from <= to) {
      for (let v = from; v <= to; v += step) result.add(v);
    } else {
      // Wrapping range, e.g. FRI-MON or NOV-FEB.
      const span = max - min + 1;
      for (let v = from; v <= to + span; v += step) result.add(((v - min) % span) + min);
    }
  }
  return result;
}

function parseDayOfMonth(field: string, expr: string): DayOfMonthRule {
  if (field === '?' || field === '*') return { kind: 'any' };
  if (field === 'L') return { kind: 'last', offset: 0 };
  if (/^L-\d+$/.test(field)) return { kind: 'last', offset: Number(field.slice(2)) };
  if (field === 'LW') return { kind: 'lastWeekday' };
  if (/^\d+W$/.test(field)) return { kind: 'nearestWeekday', day: parseValue(field.slice(0, -1), null, 1, 31, expr) };
  return { kind: 'set', days: parseSet(field, null, 1, 31, expr) };
}

function parseDayOfWeek(field: string, expr: string): DayOfWeekRule {
  if (field === '?' || field === '*') return { kind: 'any' };
  const nth = /^(\w+)#(\d)$/.exec(field);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(expr, `"${field}": # must be 1-5`);
    return { kind: 'nth', day: parseValue(nth[1] ?? '', DAYS, 1, 7, expr), nth: n };
  }
  const last = /^(\w+)L$/.exec(field);
  if (last) return { kind: 'last', day: parseValue(last[1] ?? '', DAYS, 1, 7, expr) };
  if (field === 'L') return { kind: 'last', day: 7 };
  return { kind: 'set', days: parseSet(field, DAYS, 1, 7, expr) };
}

/** Parses an EventBridge schedule expression; throws `ScheduleExpressionError` for anything EventBridge refuses. */
export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (value < 1) fail(expression, 'the rate must be positive');
    if ((value === 1) === unit.endsWith('s')) fail(expression, 'the unit is singular for 1 and plural otherwise');
    const unitMs = unit.startsWith('minute') ? 60_000 : unit.startsWith('hour') ? 3_600_000 : 86_400_000;
    return { kind: 'rate', everyMs: value * unitMs };
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) fail(expression, 'expected rate(...) or cron(...)');
  const parts = (cron[1] ?? '').trim().split(/\s+/);
  if (parts.length !== 6) fail(expression, 'cron needs six fields: minutes hours day-of-month month day-of-week year');
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = parts;
  if ((dom === '?') === (dow === '?')) fail(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  return {
    kind: 'cron',
    expression,
    fields: {
      minutes: parseSet(min, null, 0, 59, expression),
      hours: parseSet(hour, null, 0, 23, expression),
      months: parseSet(month, MONTHS, 1, 12, expression),
      years: year === '*' ? null : parseSet(year, null, 1970, 2199, expression),
      dayOfMonth: parseDayOfMonth(dom, expression),
      dayOfWeek: parseDayOfWeek(dow, expression),
    },
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(fields: CronFields, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1; // 1 = Sunday
  const dom = fields.dayOfMonth;
  switch (dom.kind) {
    case 'set':
      if (!dom.days.has(day)) return false;
      break;
    case 'last':
      if (day !== last - dom.offset) return false;
      break;
    case 'lastWeekday': {
      let d = last;
      while ([1, 7].includes(new Date(Date.UTC(year, month - 1, d)).getUTCDay() + 1)) d--;
      if (day !== d) return false;
      break;
    }
    case 'nearestWeekday': {
      const target = Math.min(dom.day, last);
      const targetWeekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay() + 1;
      let d = target;
      if (targetWeekday === 7) d = target === 1 ? target + 2 : target - 1;
      else if (targetWeekday === 1) d = target === last ? target - 2 : target + 1;
      if (day !== d) return false;
      break;
    }
    case 'any':
      break;
  }
  const dow = fields.dayOfWeek;
  switch (dow.kind) {
    case 'set':
      return dow.days.has(weekday);
    case 'nth':
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
    case 'last':
      return weekday === dow.day && day + 7 > last;
    case 'any':
      return true;
  }
}

/** The first time strictly after `after` at which the schedule fires (cron: whole minutes, UTC). */
export function nextRun(schedule: Schedule, after: Date, startedAt: Date = after): Date | undefined {
  if (schedule.kind === 'rate') {
    const elapsed = after.getTime() - startedAt.getTime();
    const periods = Math.floor(elapsed / schedule.everyMs) + 1;
    return new Date(startedAt.getTime() + periods * schedule.everyMs);
  }
  const f = schedule.fields;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getUTCFullYear() + 200;
  while (t.getUTCFullYear() <= limit) {
    const year = t.getUTCFullYear();
    if (f.years && !f.years.has(year)) {
      if (![...f.years].some((y) => y > year)) return undefined;
      t.setUTCFullYear(year + 1, 0, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const month = t.getUTCMonth() + 1;
    if (!f.months.has(month)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(f, year, month, t.getUTCDate())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!f.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!f.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return undefined;
}
