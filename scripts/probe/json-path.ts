/**
 * The paths fixtures name the fields that matter with: `status`, `headers.x-accepted-github-permissions`,
 * `body.errors[0].message`, `body[*].id` (`[*]` maps over a list). A missing field reads as `undefined`.
 */

type Segment = string | number | '*';

/** Splits `body.errors[*].message` into `['body', 'errors', '*', 'message']`. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[(?:\d+|\*)\])*)$/.exec(part);
    if (!match) throw new Error(`Bad path ${path}`);
    if (match[1]) segments.push(match[1]);
    for (const [, index] of (match[2] ?? '').matchAll(/\[(\d+|\*)\]/g)) {
      segments.push(index === '*' ? '*' : Number(index));
    }
  }
  return segments;
}

/** The value at `path` in `value`. */
export function select(value: unknown, path: string): unknown {
  return selectSegments(value, parsePath(path));
}

function selectSegments(value: unknown, segments: Segment[]): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  if (head === '*') {
    return Array.isArray(value) ? value.map((item) => selectSegments(item, rest)) : undefined;
  }
  if (typeof head === 'number') return Array.isArray(value) ? selectSegments(value[head], rest) : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return selectSegments((value as Record<string, unknown>)[head], rest);
}

/** Sets the value at a path without `[*]`, creating missing objects on the way (for tests that alter fixtures). */
export function assign(value: unknown, path: string, replacement: unknown): void {
  const segments = parsePath(path);
  const last = segments.pop();
  if (last === undefined || last === '*' || segments.includes('*')) throw new Error(`Cannot assign ${path}`);
  let parent = value as Record<string | number, unknown>;
  for (const segment of segments) {
    const next = parent[segment];
    if (next === null || typeof next !== 'object') parent[segment] = {};
    parent = parent[segment] as Record<string | number, unknown>;
  }
  parent[last] = replacement;
}

/** JSON text with object keys sorted, so equal values print equally; `undefined` prints as `(absent)`. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
