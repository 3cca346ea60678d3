import * as manifest from '#shared/manifest.ts';
import type { BucketAction, QueryTarget, TableAction } from '#shared/manifest.ts';

/**
 * The parts of `#shared/manifest.ts` the stack reads, typed loosely enough (queue names are plain strings) that a
 * template test can hand the stack a small fixture manifest. The real manifest is assignable to it unchanged.
 */
export interface InfraPermissions {
  readonly table?: readonly TableAction[];
  readonly query?: readonly QueryTarget[];
  readonly sendTo?: readonly string[];
  readonly bucket?: readonly BucketAction[];
  readonly queueStats?: boolean;
  readonly queueAdmin?: boolean;
  readonly cursorKey?: boolean;
}

export interface InfraRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly handler: string;
  readonly roles: readonly string[] | 'public';
  readonly permissions: InfraPermissions;
}

/** The `$default` route's handler: answers signed-in staff asking for what no route matches. */
export interface InfraUnmatchedRoute {
  readonly handler: string;
  readonly permissions: InfraPermissions;
}

export interface InfraQueue {
  readonly name: string;
  readonly processor: string;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly permissions: InfraPermissions;
}

export interface InfraSchedule {
  readonly name: string;
  readonly schedule: string;
  readonly handler: string;
  readonly description: string;
  readonly permissions: InfraPermissions;
}

export interface InfraManifest {
  readonly roles: readonly string[];
  readonly routes: readonly InfraRoute[];
  /** Optional so small fixture manifests need none; without it API Gateway answers unmatched requests itself. */
  readonly unmatchedRoute?: InfraUnmatchedRoute;
  readonly queues: readonly InfraQueue[];
  readonly schedules: readonly InfraSchedule[];
}

/** The real declaration every deployment is built from. */
export const realManifest: InfraManifest = {
  roles: manifest.ROLES,
  routes: manifest.routes,
  unmatchedRoute: manifest.unmatchedRoute,
  queues: manifest.queues,
  schedules: manifest.schedules,
};

/** What kind of work a function does; it decides the timeout and which alarms watch it. */
export type FunctionKind = 'route' | 'processor' | 'job';

/** One Lambda function to build: a handler module with the permissions its manifest entry declares. */
export interface FunctionSpec {
  readonly kind: FunctionKind;
  readonly handler: string;
  readonly permissions: InfraPermissions;
  /** Where the entry came from, for error messages and the function description. */
  readonly source: string;
}

/** The route key API Gateway gives the catch-all route, and the `source` of its function spec. */
export const DEFAULT_ROUTE_KEY = '$default';

/**
 * Every handler in the manifest with its kind and permissions, in declaration order; the `$default` route's handler
 * is a route function like the others (route timeout, no alarms), right after the declared routes.
 */
export function functionSpecs(m: InfraManifest): FunctionSpec[] {
  return [
    ...m.routes.map((r) => ({
      kind: 'route' as const,
      handler: r.handler,
      permissions: r.permissions,
      source: `${r.method} ${r.path}`,
    })),
    ...(m.unmatchedRoute
      ? [
          {
            kind: 'route' as const,
            handler: m.unmatchedRoute.handler,
            permissions: m.unmatchedRoute.permissions,
            source: DEFAULT_ROUTE_KEY,
          },
        ]
      : []),
    ...m.queues.map((q) => ({
      kind: 'processor' as const,
      handler: q.processor,
      permissions: q.permissions,
      source: `queue ${q.name}`,
    })),
    ...m.schedules.map((s) => ({
      kind: 'job' as const,
      handler: s.handler,
      permissions: s.permissions,
      source: `schedule ${s.name}`,
    })),
  ];
}

/**
 * Refuses a manifest the stack cannot build faithfully: a handler used twice (one function per handler file, so a
 * permission can never be granted to the wrong entry), a duplicate queue or schedule name, a send to an undeclared
 * queue, or settings Lambda and SQS would reject.
 */
export function checkManifest(m: InfraManifest): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const spec of functionSpecs(m)) {
    const first = seen.get(spec.handler);
    if (first) problems.push(`handler ${spec.handler} is used by both ${first} and ${spec.source}`);
    else seen.set(spec.handler, spec.source);
    for (const q of spec.permissions.sendTo ?? []) {
      if (!m.queues.some((d) => d.name === q)) problems.push(`${spec.source} sends to undeclared queue ${q}`);
    }
  }
  duplicates(m.queues.map((q) => q.name)).forEach((n) => problems.push(`queue ${n} is declared twice`));
  duplicates(m.schedules.map((s) => s.name)).forEach((n) => problems.push(`schedule ${n} is declared twice`));
  duplicates(m.routes.map((r) => `${r.method} ${r.path}`)).forEach((n) =>
    problems.push(`route ${n} is declared twice`),
  );
  for (const q of m.queues) {
    if (!/^[a-z][a-z0-9-]*$/.test(q.name)) problems.push(`queue name ${q.name} must be lower-case kebab-case`);
    if (q.batchSize < 1 || q.batchSize > 10)
      problems.push(`queue ${q.name}: batchSize must be 1..10 without a batching window`);
    if (q.maxReceiveCount < 1) problems.push(`queue ${q.name}: maxReceiveCount must be at least 1`);
    if (q.visibilityTimeoutSeconds < 6 * MIN_PROCESSOR_TIMEOUT_SECONDS || q.visibilityTimeoutSeconds > 43_200) {
      problems.push(`queue ${q.name}: visibilityTimeoutSeconds must be ${6 * MIN_PROCESSOR_TIMEOUT_SECONDS}..43200`);
    }
  }
  for (const r of m.routes) {
    if (r.roles !== 'public') {
      for (const role of r.roles)
        if (!m.roles.includes(role)) problems.push(`${r.method} ${r.path}: unknown role ${role}`);
    }
  }
  if (problems.length > 0) throw new Error(`The manifest cannot be deployed:\n  - ${problems.join('\n  - ')}`);
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/**
 * A route function's timeout. API Gateway gives up on an HTTP API integration after 30 s; a route that needs 10 s is
 * already broken. The local gateway gives handlers the same time (here, not in the CDK constructs, so the local
 * runtime can read it without loading aws-cdk-lib).
 */
export const ROUTE_TIMEOUT_SECONDS = 10;

/**
 * A scheduled job's timeout: jobs page through the table; two minutes is far beyond today's volumes and well inside
 * 5-minute rates.
 */
export const JOB_TIMEOUT_SECONDS = 120;

/** The shortest processor timeout the stack will set; a queue needs six times this as its visibility timeout. */
export const MIN_PROCESSOR_TIMEOUT_SECONDS = 3;

/**
 * A processor's function timeout: one sixth of its queue's visibility timeout, as AWS recommends for SQS event
 * sources (the poller may retry a throttled batch while the messages stay invisible), capped at 5 minutes.
 */
export function processorTimeoutSeconds(visibilityTimeoutSeconds: number): number {
  return Math.min(300, Math.floor(visibilityTimeoutSeconds / 6));
}

/** A stable construct id for a handler: `functions/orders/submit-order` → `OrdersSubmitOrder`. */
export function handlerId(handler: string): string {
  return handler
    .replace(/^functions\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** A stable construct id for a kebab-case name: `sweep-submissions` → `SweepSubmissions`. */
export function nameId(name: string): string {
  return handlerId(name);
}
