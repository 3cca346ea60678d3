import type { RouteDecl } from '#shared/manifest.ts';

export interface MatchedRoute {
  route: RouteDecl;
  /** API Gateway's route key: `GET /v1/orders/{orderId}`. */
  routeKey: string;
  pathParameters: Record<string, string>;
}

type Segment = { literal: string } | { param: string; greedy: boolean };

interface CompiledRoute {
  route: RouteDecl;
  segments: Segment[];
}

function compile(path: string): Segment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const match = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(part);
      if (!match) return { literal: part };
      return { param: match[1] ?? '', greedy: match[2] === '+' };
    });
}

/** Literal segments outrank parameters, which outrank greedy parameters, left to right (API Gateway's priority). */
function rank(segments: Segment[]): number[] {
  return segments.map((s) => ('literal' in s ? 0 : s.greedy ? 2 : 1));
}

function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const ra = rank(a.segments);
  const rb = rank(b.segments);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const diff = (ra[i] ?? 0) - (rb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return rb.length - ra.length;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Matches requests to manifest routes the way API Gateway HTTP APIs do (path parameters in braces, `{name+}`). */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly RouteDecl[]) {
    this.#routes = routes.map((route) => ({ route, segments: compile(route.path) })).sort(compareRoutes);
  }

  match(method: string, rawPath: string): MatchedRoute | undefined {
    const parts = rawPath.split('/').filter(Boolean);
    const upper = method.toUpperCase();
    for (const { route, segments } of this.#routes) {
      if (route.method !== upper) continue;
      const params = matchSegments(segments, parts);
      if (params) return { route, routeKey: `${route.method} ${route.path}`, pathParameters: params };
    }
    return undefined;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!segment) return undefined;
    if ('literal' in segment) {
      if (parts[i] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      if (i >= parts.length) return undefined;
      params[segment.param] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    params[segment.param] = safeDecode(part);
  }
  return parts.length === segments.length ? params : undefined;
}
