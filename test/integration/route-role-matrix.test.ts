import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/local/paths.ts';
import { ROLES, routes, type Role, type RouteDecl } from '#shared/manifest.ts';
import { REPORTS } from '#shared/reports/registry.ts';
import type { ApiEventOptions } from '../support/index.ts';
import { call } from './orders-inventory-fixtures.ts';
import { ticketBody } from './support-fixtures.ts';

/**
 * Who may call what, generated from `shared/manifest.ts` `routes`, so a new route cannot skip it: for every route,
 * every role alone, no token, a token with no groups, an empty group list, and tokens whose odd group names look like
 * `admin` (`ops,admin`, `admin `, `"admin"`). The answer is what the manifest's `roles` say and nothing more: a role
 * not listed gets 403 (admin is always admitted), no token 401, and a listed role is admitted.
 *
 * What it asserts: the authorization outcome only, with minimal requests. Path parameters are well-formed
 * placeholders and bodies are left out, so an admitted caller gets whatever the route answers such a request (400 for
 * a missing body, 404 for an unknown id, 200 for a list): never 401 or 403, and never a 5xx. Report routes are asked
 * for a type that does not exist, so the route's own role check is what answers; the readers of each report type are
 * a second matrix below. Where ownership matters (`GET /v1/it-tickets/{ticketId}`) a real ticket is filed and read by
 * its filer, by another employee (404, as for an unknown ticket), by `it` and by `admin`.
 */

type Handler = Parameters<typeof call>[0];
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  for (const route of routes as readonly RouteDecl[]) {
    const module = (await import(/* @vite-ignore */ join(PROJECT_ROOT, `${route.handler}.ts`))) as { handler: Handler };
    handlers.set(route.handler, module.handler);
  }
});

/** A request path with each `{param}` filled by a well-formed placeholder. */
function concrete(route: RouteDecl): string {
  return route.path
    .replace('{type}', 'no-such-report')
    .replace('{period}', '2026-01-01')
    .replace('{task}', 'accounts')
    .replace(/\{[^}]+\}/g, 'matrix-0');
}

function request(route: RouteDecl, caller: Partial<ApiEventOptions>) {
  return call(handlers.get(route.handler)!, { method: route.method, path: concrete(route), ...caller });
}

const ODD_GROUPS = ['ops,admin', 'admin ', '"admin"'];

/** Callers that hold no role: each is refused every route but public ones. */
const roleless: [string, Partial<ApiEventOptions>][] = [
  ['a token with no groups', { sub: 'matrix-nobody' }],
  ['a token with an empty group list', { sub: 'matrix-nobody', roles: [] }],
  ...ODD_GROUPS.map((group): [string, Partial<ApiEventOptions>] => [
    `a token whose group is ${JSON.stringify(group)}`,
    { sub: 'matrix-odd', claims: { 'cognito:groups': [group] } },
  ]),
];

function admitted(status: number): boolean {
  return status !== 401 && status !== 403 && status < 500;
}

describe('every route answers each caller as its manifest roles say', () => {
  for (const route of routes as readonly RouteDecl[]) {
    const key = `${route.method} ${route.path}`;
    it(key, async () => {
      const outcomes: Record<string, number> = {};
      const expected: Record<string, string> = {};
      const record = async (who: string, caller: Partial<ApiEventOptions>, expect: 'admitted' | 401 | 403) => {
        const { status } = await request(route, caller);
        outcomes[who] = expect === 'admitted' ? (admitted(status) ? 0 : status) : status;
        expected[who] = expect === 'admitted' ? '0' : String(expect);
      };

      if (route.roles === 'public') {
        for (const role of ROLES) await record(role, { roles: [role] }, 'admitted');
        await record('no token', {}, 'admitted');
        for (const [who, caller] of roleless) await record(who, caller, 'admitted');
      } else {
        const allowed = route.roles as readonly Role[];
        for (const role of ROLES) {
          await record(role, { roles: [role] }, role === 'admin' || allowed.includes(role) ? 'admitted' : 403);
        }
        await record('no token', {}, 401);
        for (const [who, caller] of roleless) await record(who, caller, 403);
        // A listed role beside odd names is still itself, no more.
        if (!allowed.includes('ops')) {
          await record(
            'ops with "ops,admin"',
            { sub: 'matrix-odd', claims: { 'cognito:groups': ['ops', 'ops,admin'] } },
            403,
          );
        }
      }
      expect(Object.fromEntries(Object.entries(outcomes).map(([who, status]) => [who, String(status)]))).toEqual(
        expected,
      );
    });
  }
});

describe('each report type answers its readers only', () => {
  for (const report of REPORTS) {
    it(report.type, async () => {
      const period = report.periodKind === 'month' ? '2026-01' : '2026-01-01';
      const run = routes.find((r) => r.method === 'POST' && r.path === '/v1/reports/{type}/{period}/run')!;
      const get = routes.find((r) => r.method === 'GET' && r.path === '/v1/reports/{type}/{period}')!;
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of ROLES) {
        const readable = role === 'admin' || report.readers.includes(role);
        for (const route of [run, get] as RouteDecl[]) {
          const path = `/v1/reports/${report.type}/${period}${route.method === 'POST' ? '/run' : ''}`;
          // GET only: a run queues a report; refused callers change nothing, admitted ones are only checked on GET.
          if (route.method === 'POST' && readable) continue;
          const { status } = await call(handlers.get(route.handler)!, { method: route.method, path, roles: [role] });
          outcomes[`${route.method} ${role}`] = readable ? String(admitted(status)) : String(status);
          expected[`${route.method} ${role}`] = readable ? 'true' : '403';
        }
      }
      expect(outcomes).toEqual(expected);
    });
  }
});

describe('an IT ticket is read by it, admin and the employee who filed it', () => {
  it('answers its filer, it and admin; another employee gets the 404 of an unknown ticket', async () => {
    const submit = routes.find((r) => r.method === 'POST' && r.path === '/v1/it-tickets')!;
    const get = routes.find((r) => r.method === 'GET' && r.path === '/v1/it-tickets/{ticketId}')!;
    const filed = await call(handlers.get(submit.handler)!, {
      method: 'POST',
      path: '/v1/it-tickets',
      roles: ['employee'],
      sub: 'matrix-filer',
      body: ticketBody(),
    });
    expect(filed.status).toBe(202);
    const read = (caller: Partial<ApiEventOptions>) =>
      call(handlers.get(get.handler)!, { path: `/v1/it-tickets/${filed.body.ticketId}`, ...caller });

    const answers = {
      filer: (await read({ roles: ['employee'], sub: 'matrix-filer' })).status,
      filerAsAccounting: (await read({ roles: ['accounting'], sub: 'matrix-filer' })).status,
      it: (await read({ roles: ['it'], sub: 'matrix-it' })).status,
      admin: (await read({ roles: ['admin'], sub: 'matrix-admin' })).status,
      anotherEmployee: (await read({ roles: ['employee'], sub: 'matrix-other' })).status,
      anotherHr: (await read({ roles: ['hr'], sub: 'matrix-other' })).status,
      filerWithoutGroups: (await read({ sub: 'matrix-filer' })).status,
      filerWithOddGroup: (await read({ sub: 'matrix-filer', claims: { 'cognito:groups': ['"it"'] } })).status,
      unknownTicketForAnother: (
        await call(handlers.get(get.handler)!, { path: '/v1/it-tickets/matrix-0', roles: ['employee'], sub: 'x' })
      ).status,
    };

    expect(answers).toEqual({
      filer: 200,
      filerAsAccounting: 200,
      it: 200,
      admin: 200,
      anotherEmployee: 404,
      anotherHr: 404,
      filerWithoutGroups: 403,
      filerWithOddGroup: 403,
      unknownTicketForAnother: 404,
    });
  });
});

describe('the manifest keeps to the contract of who may read what', () => {
  const staffRoutes = (routes as readonly RouteDecl[]).filter((route) => route.roles !== 'public');
  const rolesOf = (key: string) => {
    const route = (routes as readonly RouteDecl[]).find((r) => `${r.method} ${r.path}` === key);
    expect(route, key).toBeDefined();
    return route!.roles;
  };

  it('serves nothing without a token but the health check', () => {
    expect((routes as readonly RouteDecl[]).filter((r) => r.roles === 'public').map((r) => r.path)).toEqual([
      '/health',
    ]);
  });

  it('lets front-office staff read any order, invoice, payment, case and appointment by id', () => {
    for (const key of [
      'GET /v1/orders/{orderId}',
      'GET /v1/invoices/{invoiceId}',
      'GET /v1/payments/{paymentId}',
      'GET /v1/cases/{caseId}',
      'GET /v1/appointments/{appointmentId}',
    ]) {
      expect(rolesOf(key), key).toContain('front-office');
    }
  });

  it('gives employees (no staff role) only their own IT tickets, and the documents of records they may read', () => {
    const withEmployee = staffRoutes.filter((r) => (r.roles as readonly Role[]).includes('employee'));
    // The documents routes admit every staff role; the service then lets an employee reach only the documents of
    // records they may read: their own IT tickets (test/integration/documents.test.ts).
    expect(withEmployee.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'DELETE /v1/documents/{documentId}',
      'GET /v1/documents',
      'GET /v1/documents/{documentId}',
      'GET /v1/it-tickets/{ticketId}',
      'POST /v1/documents',
      'POST /v1/it-tickets',
    ]);
  });

  it("keeps employees' salary and personal data to hr (and admin)", () => {
    const employeeRoutes = staffRoutes.filter((r) => r.path.startsWith('/v1/hr/employees'));
    expect(employeeRoutes.length).toBeGreaterThan(0);
    for (const route of employeeRoutes) expect(route.roles, `${route.method} ${route.path}`).toEqual(['hr']);
  });
});
