import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ROLES, type Role } from '#shared/manifest.ts';
import { HttpProblem } from '#shared/http/problem.ts';

export interface Caller {
  sub: string;
  roles: Role[];
}

/**
 * Reads `cognito:groups` in the one form API Gateway's JWT authorizer hands it to a Lambda function in an HTTP API
 * payload 2.0 event: the token's array claim flattened to a string, its names joined by single spaces in brackets
 * (`["ops","admin"]` arrives as `[ops admin]`). Names are compared exactly with the roles; nothing is split on
 * commas, trimmed, unquoted or JSON-parsed, so a group named `ops,admin` or `"admin"` is no role. A Cognito group
 * name holds no whitespace, so a claim that does not split cleanly (an empty name: `[admin ]`, `[ ops]`,
 * `[ops  admin]`) was not made from Cognito groups and grants nothing; so does anything but such a string (a bare
 * string, an array, a number). Unknown names are ignored (docs/decisions.md#role-names-are-compared-exactly).
 */
export function parseGroups(raw: unknown): Role[] {
  if (typeof raw !== 'string' || !raw.startsWith('[') || !raw.endsWith(']') || raw.length < 2) return [];
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  const names = inner.split(' ');
  if (names.some((name) => name === '')) return [];
  return names.filter((name): name is Role => (ROLES as readonly string[]).includes(name));
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
