import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ROLES, type Role } from '#shared/manifest.ts';
import { HttpProblem } from '#shared/http/problem.ts';

export interface Caller {
  sub: string;
  roles: Role[];
}

/**
 * Reads `cognito:groups` as API Gateway hands it over: the JWT authorizer flattens array claims to a string such as
 * `[ops admin]`; a JSON array string or a real array are accepted too. Unknown group names are ignored.
 */
export function parseGroups(raw: unknown): Role[] {
  let names: unknown[] = [];
  if (Array.isArray(raw)) names = raw;
  else if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[') && text.includes('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) names = parsed;
      } catch {
        names = [];
      }
    } else {
      names = text.replace(/^\[|\]$/g, '').split(/[\s,]+/);
    }
  }
  return names.filter((n): n is Role => typeof n === 'string' && (ROLES as readonly string[]).includes(n));
}

/**
 * The verified caller. The token itself was checked by the API's JWT authorizer (or the local gateway); a request
 * that reaches a handler without claims is refused as unauthenticated.
 */
export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub === '') throw new HttpProblem(401, 'A valid bearer token is required.');
  return { sub, roles: parseGroups(claims['cognito:groups']) };
}

/** Refuses with 403 unless the caller holds one of `allowed` (or `admin`, which may call every route). */
export function requireRole(caller: Caller, allowed: readonly Role[]): void {
  if (caller.roles.includes('admin')) return;
  if (!caller.roles.some((role) => allowed.includes(role))) {
    throw new HttpProblem(403, `This route needs one of the roles: ${allowed.join(', ')}.`);
  }
}
