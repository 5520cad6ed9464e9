/**
 * The probe's HTTP client: one request to GitHub's REST or GraphQL API, answered as status, headers and parsed
 * body. No retries and no Octokit: the probe records what GitHub answers, exactly, and fails loudly otherwise.
 */

/** Where and as whom the probe asks. */
export interface Endpoint {
  /** REST base, `https://api.github.com` (or an emulator's URL). */
  apiUrl: string;
  /** GraphQL URL, `https://api.github.com/graphql`. */
  graphqlUrl: string;
  token: string;
}

/** A REST request; `path` starts with `/` and is relative to {@link Endpoint.apiUrl}. */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** A GraphQL request, sent as `POST` to {@link Endpoint.graphqlUrl}. */
export interface GraphqlRequest {
  graphql: string;
  variables?: Record<string, unknown>;
}

export type ProbeRequest = RestRequest | GraphqlRequest;

/** An answer: its status, every header (names lower-cased) and its JSON body (`null` when there is none). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const TIMEOUT_MS = 30_000;

/** Whether a request is a GraphQL one. */
export function isGraphql(request: ProbeRequest): request is GraphqlRequest {
  return 'graphql' in request;
}

/** The REST base and GraphQL URL for an API base: `/api/v3` (GitHub Enterprise Server) maps to `/api/graphql`. */
export function endpointUrls(apiUrl: string, graphqlUrl?: string): { apiUrl: string; graphqlUrl: string } {
  const base = apiUrl.replace(/\/+$/, '');
  const graphql =
    graphqlUrl ?? (base.endsWith('/api/v3') ? `${base.slice(0, -3)}graphql` : `${base}/graphql`);
  return { apiUrl: base, graphqlUrl: graphql };
}

/** Sends one request and returns the answer, whatever its status. Throws only when no answer came. */
export async function send(endpoint: Endpoint, request: ProbeRequest): Promise<HttpAnswer> {
  const url = isGraphql(request) ? endpoint.graphqlUrl : `${endpoint.apiUrl}${request.path}`;
  const method = isGraphql(request) ? 'POST' : request.method;
  const body = isGraphql(request)
    ? { query: request.graphql, ...(request.variables ? { variables: request.variables } : {}) }
    : request.body;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${endpoint.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'release-promotion-probe',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: parseBody(text) };
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Sends a request that must succeed with `expected`; throws a readable error otherwise. */
export async function sendExpecting(
  endpoint: Endpoint,
  request: ProbeRequest,
  expected: number[],
): Promise<HttpAnswer> {
  const answer = await send(endpoint, request);
  const graphqlErrors = isGraphql(request) ? (answer.body as { errors?: unknown } | null)?.errors : undefined;
  if (!expected.includes(answer.status) || graphqlErrors !== undefined) {
    const what = isGraphql(request) ? 'POST graphql' : `${request.method} ${request.path}`;
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
  return answer;
}

/** Every item of a paginated REST list (following `link: <...>; rel="next"`), at most `maxPages` pages. */
export async function getAll(endpoint: Endpoint, path: string, maxPages = 10): Promise<unknown[]> {
  const items: unknown[] = [];
  let next: string | undefined = path;
  for (let page = 0; next !== undefined && page < maxPages; page++) {
    const answer = await sendExpecting(endpoint, { method: 'GET', path: next }, [200]);
    if (!Array.isArray(answer.body)) throw new Error(`GET ${next} did not answer a list`);
    items.push(...(answer.body as unknown[]));
    next = nextPage(answer.headers.link, endpoint.apiUrl);
  }
  return items;
}

function nextPage(link: string | undefined, apiUrl: string): string | undefined {
  const url = /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1];
  if (url === undefined) return undefined;
  return url.startsWith(apiUrl) ? url.slice(apiUrl.length) : new URL(url).pathname + new URL(url).search;
}
