import * as z from 'zod';
import { NotFoundError } from '#shared/errors.ts';
import { requireRole, type Caller } from '#shared/http/auth.ts';
import { HttpProblem, fieldErrors } from '#shared/http/problem.ts';
import type { RegisteredReport } from '#shared/reports/definition.ts';
import { reportDefinition } from '#shared/reports/registry.ts';
import { reportPeriodSchema } from '#shared/reports/period.ts';

/** `{type}` and `{period}` of the report routes, checked further by `reportRequest` (type, then role, then period). */
export const reportPathSchema = z.object({
  type: z.string().min(1).max(64),
  period: z.string().min(1).max(64),
});

/**
 * Resolves a report route's path for a caller, in the order a client can act on: an unknown type is 404; a type the
 * caller's roles may not run or read is 403 (the route admits the union of every type's readers); a period that is
 * not of the type's kind (a UTC day `YYYY-MM-DD`, or a month `YYYY-MM` for a monthly type), or lies in the future, is
 * 400 naming `path.period`.
 */
export function reportRequest(
  params: z.infer<typeof reportPathSchema>,
  caller: Caller,
  now: () => Date = () => new Date(),
): { definition: RegisteredReport; period: string } {
  const definition = reportDefinition(params.type);
  if (!definition) throw new NotFoundError(`There is no report type ${params.type}.`);
  requireRole(caller, definition.readers);
  const period = reportPeriodSchema(definition.periodKind, now).safeParse(params.period);
  if (!period.success)
    throw new HttpProblem(400, 'The report period is invalid.', fieldErrors(period.error, 'path.period'));
  return { definition, period: period.data };
}

function ranges(accept: string): { type: string; q: number }[] {
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.toLowerCase().startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { type: type.toLowerCase(), q: Number.isFinite(weight) ? weight : 0 };
  });
}

/**
 * Whether a report is answered as CSV: `Accept` names `text/csv` (q > 0) and does not rate `application/json`
 * at least as high. Anything else, wildcards and no header included, gets JSON, the API's default.
 */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const listed = ranges(accept);
  const csv = Math.max(-1, ...listed.filter((r) => r.type === 'text/csv').map((r) => r.q));
  const json = Math.max(-1, ...listed.filter((r) => r.type === 'application/json').map((r) => r.q));
  return csv > 0 && csv > json;
}
