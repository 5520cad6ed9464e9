/**
 * GitHub's OpenAPI description (`@octokit/openapi`, `generated/api.github.com.json`), loaded once per process and
 * rewritten from OpenAPI 3.0 schema dialect into plain JSON Schema that Ajv understands.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cachedDerivation } from './derived-cache.js';

/** The parts of an OpenAPI document the emulator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, OpenApiResponse>;
    parameters: Record<string, OpenApiParameter>;
  };
}

/** An operation (`paths[template][method]`). */
export interface OpenApiOperation {
  operationId?: string;
  externalDocs?: { url?: string };
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown; examples?: unknown }> };
  responses?: Record<string, OpenApiResponse | { $ref: string }>;
}

/** A response object. */
export interface OpenApiResponse {
  content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }>;
  headers?: Record<string, unknown>;
}

/** A parameter object. */
export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

/** How long the last load took, for diagnostics. */
export interface OpenApiLoadTiming {
  readMilliseconds: number;
  normalizeMilliseconds: number;
}

/** The documents loaded in this process, by the paths they keep. */
const cached = new Map<string, { document: OpenApiDocument; timing: OpenApiLoadTiming }>();

/** The path of GitHub's OpenAPI description for api.github.com inside `@octokit/openapi`. */
export function openApiDocumentPath(): string {
  const require = createRequire(import.meta.url);
  // Resolve the package's directory through its package.json, without loading the package itself.
  const packageJson = require.resolve('@octokit/openapi/package.json');
  return join(dirname(packageJson), 'generated', 'api.github.com.json');
}

/**
 * Loads (once per process) and normalizes GitHub's OpenAPI description. With `paths`, only those paths are kept,
 * with every component they reach (and the components named in `components`, e.g. `#/components/schemas/x`):
 * what is left answers every question about those paths as the whole document does, and normalizing it and
 * handing it to Ajv costs a fraction.
 */
export function loadOpenApiDocument(
  paths?: readonly string[],
  components: readonly string[] = [],
): OpenApiDocument {
  return loadOpenApiDocumentWithTiming(paths, components).document;
}

/** Like {@link loadOpenApiDocument}, also telling how long the first load took. */
export function loadOpenApiDocumentWithTiming(
  paths?: readonly string[],
  components: readonly string[] = [],
): { document: OpenApiDocument; timing: OpenApiLoadTiming } {
  const key = JSON.stringify([paths ?? null, components]);
  const known = cached.get(key);
  if (known) return known;
  const started = performance.now();
  let normalizeMilliseconds = 0;
  const derive = (): OpenApiDocument => {
    const whole = JSON.parse(readFileSync(openApiDocumentPath(), 'utf8')) as OpenApiDocument;
    const document = paths ? keepPaths(whole, paths, components) : whole;
    const read = performance.now();
    normalizeSchemas(document.components);
    normalizeSchemas(document.paths);
    normalizeMilliseconds = performance.now() - read;
    return document;
  };
  // The whole document is never saved (13 MB); the part the emulator serves is, for the next processes.
  const document = paths
    ? cachedDerivation(
        'openapi',
        {
          files: [openApiDocumentPath()],
          other: [
            paths,
            components,
            keepPaths.toString(),
            collectRefs.toString(),
            normalizeSchemas.toString(),
          ],
        },
        derive,
      )
    : derive();
  const loaded = {
    document,
    timing: {
      readMilliseconds: performance.now() - started - normalizeMilliseconds,
      normalizeMilliseconds,
    },
  };
  cached.set(key, loaded);
  return loaded;
}

/** The document with only `paths` and the components they (or `components`) reach, directly or not. */
function keepPaths(
  whole: OpenApiDocument,
  paths: readonly string[],
  components: readonly string[],
): OpenApiDocument {
  const kept: OpenApiDocument = {
    openapi: whole.openapi,
    paths: {},
    components: { schemas: {}, responses: {}, parameters: {} },
  };
  const pending: string[] = [...components];
  const keep = (node: unknown) => collectRefs(node, pending);
  for (const path of paths) {
    const item = whole.paths[path];
    if (item === undefined) continue;
    kept.paths[path] = item;
    keep(item);
  }
  const reached = new Set<string>();
  for (let pointer = pending.pop(); pointer !== undefined; pointer = pending.pop()) {
    const [, kind, name] = /^#\/components\/([^/]+)\/([^/]+)/.exec(pointer) ?? [];
    if (kind === undefined || name === undefined || reached.has(`${kind}/${name}`)) continue;
    reached.add(`${kind}/${name}`);
    const source = (whole.components as unknown as Record<string, Record<string, unknown>>)[kind];
    const entry = source?.[unescapePointerToken(name)];
    if (entry === undefined) continue;
    const target = ((kept.components as unknown as Record<string, Record<string, unknown>>)[kind] ??= {});
    target[unescapePointerToken(name)] = entry;
    keep(entry);
  }
  return kept;
}

/** Adds every local `$ref` found in `node` (at any depth) to `into`. */
function collectRefs(node: unknown, into: string[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) into.push(value);
    else collectRefs(value, into);
  }
}

/** Resolves a local JSON pointer (`#/components/schemas/deployment`) in the document. */
export function resolvePointer(document: OpenApiDocument, pointer: string): unknown {
  let node: unknown = document;
  for (const token of pointer.replace(/^#\//, '').split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[unescapePointerToken(token)];
  }
  return node;
}

/** Escapes a string for use as one JSON pointer token (`/` → `~1`, `~` → `~0`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Rewrites OpenAPI 3.0 schema idioms in place:
 * - `nullable: true` becomes a `null` member of `type` (or an `anyOf` with `{type: 'null'}` when there is no
 *   `type`, as next to `$ref`/`oneOf`), since Ajv refuses `nullable` without `type`;
 * - a `format: uri` string whose `default` is `''` also accepts `''` (GitHub sends `""` for unset URLs such as a
 *   deployment status's `target_url`).
 */
function normalizeSchemas(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) normalizeSchemas(item);
    return;
  }
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) {
    // Examples are data, not schemas.
    if (key !== 'example' && key !== 'examples') normalizeSchemas(value);
  }
  if (schema.format === 'uri' && schema.default === '' && schema.anyOf === undefined) {
    delete schema.format;
    schema.anyOf = [{ const: '' }, { format: 'uri' }];
  }
  if (!('nullable' in schema)) return;
  const nullable = schema.nullable === true;
  delete schema.nullable;
  if (!nullable) return;
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
    return;
  }
  const inner = { ...schema };
  for (const key of Object.keys(schema)) delete schema[key];
  schema.anyOf = [{ type: 'null' }, inner];
}
