/**
 * GitHub's OpenAPI description (`@octokit/openapi`, `generated/api.github.com.json`), loaded once per process and
 * rewritten from OpenAPI 3.0 schema dialect into plain JSON Schema that Ajv understands.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

let cached: { document: OpenApiDocument; timing: OpenApiLoadTiming } | undefined;

/** The path of GitHub's OpenAPI description for api.github.com inside `@octokit/openapi`. */
export function openApiDocumentPath(): string {
  const require = createRequire(import.meta.url);
  // Resolve the package's directory through its package.json, without loading the package itself.
  const packageJson = require.resolve('@octokit/openapi/package.json');
  return join(dirname(packageJson), 'generated', 'api.github.com.json');
}

/** Loads (once per process) and normalizes GitHub's OpenAPI description. */
export function loadOpenApiDocument(): OpenApiDocument {
  return loadOpenApiDocumentWithTiming().document;
}

/** Like {@link loadOpenApiDocument}, also telling how long the first load took. */
export function loadOpenApiDocumentWithTiming(): { document: OpenApiDocument; timing: OpenApiLoadTiming } {
  if (cached) return cached;
  const started = performance.now();
  const document = JSON.parse(readFileSync(openApiDocumentPath(), 'utf8')) as OpenApiDocument;
  const read = performance.now();
  normalizeSchemas(document.components);
  normalizeSchemas(document.paths);
  cached = {
    document,
    timing: { readMilliseconds: read - started, normalizeMilliseconds: performance.now() - read },
  };
  return cached;
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
