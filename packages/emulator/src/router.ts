/**
 * Matches request paths against OpenAPI path templates (`/repos/{owner}/{repo}/git/ref/{ref}`). A template's last
 * parameter can be marked greedy so that it takes the rest of the path, slashes included (refs, file paths).
 */

/** Values of a template's parameters, URL-decoded. */
export type RouteParameters = Record<string, string>;

/** A route: a method and an OpenAPI path template, with a handler of type `H`. */
export interface RouteDefinition<H> {
  method: string;
  /** The OpenAPI path template, exactly as in GitHub's description. */
  template: string;
  /** Whether the last parameter takes the rest of the path, slashes included. */
  greedy?: boolean;
  handler: H;
}

/** A successful match. */
export interface RouteMatch<H> {
  route: RouteDefinition<H>;
  parameters: RouteParameters;
}

interface CompiledRoute<H> {
  route: RouteDefinition<H>;
  segments: Array<{ literal: string } | { parameter: string }>;
  literalCount: number;
}

/** A table of routes; when several match, the one with more literal segments wins (`/releases/latest`). */
export class Router<H> {
  private readonly routes: CompiledRoute<H>[] = [];

  /** Adds routes. */
  add(...routes: RouteDefinition<H>[]): this {
    for (const route of routes) {
      const segments = route.template
        .split('/')
        .filter(Boolean)
        .map((segment) => {
          const parameter = /^\{([^}]+)\}$/.exec(segment)?.[1];
          return parameter ? { parameter } : { literal: segment };
        });
      const literalCount = segments.filter((segment) => 'literal' in segment).length;
      this.routes.push({ route, segments, literalCount });
    }
    return this;
  }

  /** Every route added, in order. */
  list(): RouteDefinition<H>[] {
    return this.routes.map((compiled) => compiled.route);
  }

  /** Finds the route for a method (HEAD is served by GET routes) and a raw (still encoded) path. */
  match(method: string, rawPath: string): RouteMatch<H> | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    // Empty segments are kept: a greedy parameter keeps its trailing slash (`matching-refs/tags/env/`).
    const parts = rawPath.replace(/^\/+/, '').split('/');
    let best: { compiled: CompiledRoute<H>; parameters: RouteParameters } | undefined;
    for (const compiled of this.routes) {
      if (compiled.route.method !== wanted) continue;
      const parameters = matchSegments(compiled, parts);
      if (parameters && (!best || compiled.literalCount > best.compiled.literalCount))
        best = { compiled, parameters };
    }
    return best && { route: best.compiled.route, parameters: best.parameters };
  }
}

function matchSegments<H>(compiled: CompiledRoute<H>, allParts: string[]): RouteParameters | undefined {
  const { segments, route } = compiled;
  // Outside a greedy parameter, a trailing slash is ignored.
  const parts =
    !route.greedy && allParts.length > 1 && allParts.at(-1) === '' ? allParts.slice(0, -1) : allParts;
  if (route.greedy ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  const parameters: RouteParameters = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const part = parts[index];
    if (segment === undefined || part === undefined) return undefined;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
      continue;
    }
    const isLast = index === segments.length - 1;
    const raw = isLast && route.greedy ? parts.slice(index).join('/') : part;
    const value = safeDecode(raw);
    if (value === undefined || value === '') return undefined;
    parameters[segment.parameter] = value;
  }
  return parameters;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
