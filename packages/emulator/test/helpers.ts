/** Shared helpers of the emulator's tests: a small fetch-based client. */
import type { Emulator } from '../src/index.js';

/** A decoded JSON body; tests read fields freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A response as the tests see it. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Json;
}

/** Options of one call. */
export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no `authorization` header. */
  anonymous?: boolean;
}

/**
 * Returns `api(method, path, options)`. A path not starting with `/` is relative to the repository
 * (`'deployments'` → `/repos/octo-org/shop/deployments`).
 */
export function apiClient(emulator: Emulator) {
  return async function api(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const url = path.startsWith('http')
      ? path
      : `${emulator.url}${path.startsWith('/') ? path : `/repos/${emulator.fullName}/${path}`}`;
    const headers: Record<string, string> = { accept: 'application/vnd.github+json', ...options.headers };
    if (!options.anonymous) headers.authorization = 'token test-token';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
    return {
      status: response.status,
      headers: response.headers,
      body: isJson && text ? JSON.parse(text) : text,
    };
  };
}

/** The `rel` → URL map of a `Link` header. */
export function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[1] && match[2]) links[match[2]] = match[1];
  }
  return links;
}

/** Problems in the emulator's own answers (as opposed to deliberately invalid requests). */
export function responseProblems(emulator: Emulator) {
  return emulator.problems.filter((problem) => problem.kind === 'response' || problem.kind === 'route');
}
