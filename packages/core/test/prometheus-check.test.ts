import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { CheckSpec, PrometheusCheckSpec } from '../src/checks/check-spec.js';
import { DEFAULT_VERIFICATION_OPTIONS } from '../src/checks/verification-options.js';
import { UserError } from '../src/errors.js';
import type { GitHubClient } from '../src/github/client.js';
import { verifyUseCase } from '../src/use-cases/verify.js';
import {
  missingHeaderVariables,
  prometheusQueryUrl,
  runPrometheusCheck,
} from '../src/checks/prometheus-check.js';
import { runContext } from './support/fixtures.js';
import { recordingLogger } from './support/loggers.js';

/** What the fake Prometheus received. */
interface SeenRequest {
  path: string;
  query: string | null;
  headers: IncomingMessage['headers'];
}

const seen: SeenRequest[] = [];

/** A fake Prometheus: answers `/api/v1/query` (under any prefix) by the query it is sent. */
function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query = url.searchParams.get('query');
  seen.push({ path: url.pathname, query, headers: request.headers });
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (!url.pathname.endsWith('/api/v1/query')) return json(404, { status: 'error', error: 'not found' });
  if (query === 'hang') return undefined;
  if (query === 'echo_auth') {
    return json(422, {
      status: 'error',
      errorType: 'execution',
      error: `rejected ${request.headers.authorization ?? ''}`,
    });
  }
  if (query === 'sum(') {
    return json(400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
  }
  const value = query === 'errors' ? '0.25' : '0.002';
  json(200, {
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: {}, value: [1, value] }] },
  });
}

let server: Server;
let base: string;
let closedPort: number;

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: bound, then closed.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function check(fields: Partial<PrometheusCheckSpec> = {}): PrometheusCheckSpec {
  return {
    kind: 'prometheus',
    server: base,
    query: 'error_ratio',
    comparison: 'below',
    threshold: 0.01,
    noData: 'fail',
    ...fields,
  };
}

describe('runPrometheusCheck', () => {
  it('sends the instant query with the headers, their variables substituted and masked first', async () => {
    const masked: string[] = [];
    const order: string[] = [];
    seen.length = 0;
    const result = await runPrometheusCheck(
      check({
        query: 'sum(rate(http_requests_total{code=~"5.."}[5m])) + 0',
        headers: { Authorization: 'Bearer ${PROM_TOKEN}', 'X-Scope-OrgID': '${TENANT}-$1' },
      }),
      {
        timeoutMs: 2000,
        env: { PROM_TOKEN: 's3cr3t-token', TENANT: 'team-a' },
        mask: (value) => {
          masked.push(value);
          order.push(`mask ${value}`);
        },
        fetch: (input, init) => {
          order.push('request');
          return fetch(input, init);
        },
      },
    );
    expect(result).toMatchObject({ passed: true, status: 200, message: '0.002 below 0.01', value: 0.002 });
    expect(masked).toEqual(['s3cr3t-token', 'team-a']);
    expect(order).toEqual(['mask s3cr3t-token', 'mask team-a', 'request']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      path: '/api/v1/query',
      query: 'sum(rate(http_requests_total{code=~"5.."}[5m])) + 0',
    });
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer s3cr3t-token',
      'x-scope-orgid': 'team-a-$1',
      accept: 'application/json',
      'user-agent': 'release-promotion-verify',
    });
  });

  it('keeps the path prefix of the server URL', async () => {
    seen.length = 0;
    const result = await runPrometheusCheck(check({ server: `${base}/prometheus/` }), { timeoutMs: 2000 });
    expect(result.passed).toBe(true);
    expect(seen[0]?.path).toBe('/prometheus/api/v1/query');
  });

  it('fails with the reading when a sample does not satisfy the comparison', async () => {
    const result = await runPrometheusCheck(check({ query: 'errors' }), { timeoutMs: 2000 });
    expect(result).toMatchObject({
      passed: false,
      status: 200,
      message: '0.25 (not below 0.01)',
      value: 0.25,
    });
  });

  it("reports Prometheus' own error for a bad query (400 bad_data)", async () => {
    const result = await runPrometheusCheck(check({ query: 'sum(' }), { timeoutMs: 2000 });
    expect(result).toMatchObject({
      passed: false,
      status: 400,
      message:
        'Prometheus answered 400 (bad_data): invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
  });

  it('never shows a substituted value, even when the server quotes it back', async () => {
    const result = await runPrometheusCheck(
      check({ query: 'echo_auth', headers: { Authorization: 'Bearer ${PROM_TOKEN}' } }),
      { timeoutMs: 2000, env: { PROM_TOKEN: 'quoted-secret' } },
    );
    expect(result.message).toBe('Prometheus answered 422 (execution): rejected Bearer ***');
  });

  it('times out like the HTTP check', async () => {
    const result = await runPrometheusCheck(check({ query: 'hang' }), { timeoutMs: 200 });
    expect(result).toMatchObject({ passed: false, message: 'timed out after 200 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('reports a refused connection like the HTTP check', async () => {
    const result = await runPrometheusCheck(check({ server: `http://127.0.0.1:${closedPort}` }), {
      timeoutMs: 2000,
    });
    expect(result).toMatchObject({ passed: false, message: 'connection refused' });
  });

  it.each([
    [
      'a variable that is not set',
      { A: 'x' },
      "the header variable PROM_TOKEN is not set (or empty): set it in the step's env:",
    ],
    [
      'a variable set to empty (a secret that does not exist)',
      { PROM_TOKEN: '' },
      "the header variable PROM_TOKEN is not set (or empty): set it in the step's env:",
    ],
    [
      'a variable holding a line break',
      { PROM_TOKEN: 'a\nb' },
      'the header variable PROM_TOKEN holds a line break, which no header value may hold',
    ],
  ])('fails without a request for %s', async (_label, env, message) => {
    seen.length = 0;
    const masked: string[] = [];
    const result = await runPrometheusCheck(check({ headers: { Authorization: 'Bearer ${PROM_TOKEN}' } }), {
      timeoutMs: 2000,
      env,
      mask: (value) => masked.push(value),
    });
    expect(result).toEqual({ passed: false, latencyMs: 0, message });
    expect(seen).toHaveLength(0);
    expect(masked).toEqual([]);
  });

  it('names every variable not set', async () => {
    const result = await runPrometheusCheck(
      check({ headers: { Authorization: 'Bearer ${PROM_TOKEN}', 'X-Org': '${ORG}${PROM_TOKEN}' } }),
      { timeoutMs: 2000, env: {} },
    );
    expect(result.message).toBe(
      "the header variables PROM_TOKEN, ORG are not set (or empty): set them in the step's env:",
    );
  });
});

describe('missingHeaderVariables', () => {
  const checks: CheckSpec[] = [
    { kind: 'http', url: 'https://x.example/${NOT_A_HEADER}' },
    check({ headers: { Authorization: 'Bearer ${PROM_TOKEN}' } }),
    check({ headers: { 'X-Org': '${ORG}', 'X-Team': '${TEAM} ${PROM_TOKEN}' } }),
    check(),
  ];

  it.each([
    ['nothing set', {}, ['PROM_TOKEN', 'ORG', 'TEAM']],
    ['some set', { PROM_TOKEN: 't', TEAM: '' }, ['ORG', 'TEAM']],
    ['all set', { PROM_TOKEN: 't', ORG: 'o', TEAM: 'x' }, []],
  ])('with %s', (_label, env, missing) => {
    expect(missingHeaderVariables(checks, env)).toEqual(missing);
  });
});

describe('prometheusQueryUrl', () => {
  it.each([
    ['http://p:9090', 'up', 'http://p:9090/api/v1/query?query=up'],
    ['http://p:9090/', 'a + b', 'http://p:9090/api/v1/query?query=a%20%2B%20b'],
    [
      'https://example.com/prom//',
      'rate(x{code=~"5.."}[5m])',
      'https://example.com/prom/api/v1/query?query=rate(x%7Bcode%3D~%225..%22%7D%5B5m%5D)',
    ],
  ])('%s with %j', (server, query, url) => {
    expect(prometheusQueryUrl(server, query)).toBe(url);
    expect(new URL(url).searchParams.get('query')).toBe(query);
  });
});

describe('verify with a header variable not set', () => {
  it('refuses before any check runs or anything is written, naming the variables and the fix', async () => {
    seen.length = 0;
    const touched: string[] = [];
    // Any use of the client (a read or a write) is recorded: the refusal must come before all of them.
    const client = new Proxy({} as GitHubClient, {
      get: (_target, property) => {
        touched.push(String(property));
        throw new Error(`the client was used (${String(property)})`);
      },
    });
    const logger = recordingLogger();
    const apply = verifyUseCase.apply(
      {
        client,
        context: runContext(),
        logger,
        config: parsePromotionConfig('environments: [production]', '.github/promotion.yml'),
        env: { ORG: 'o' },
      },
      {
        environment: 'production',
        deployment: {
          id: 7,
          sha: 'c'.repeat(40),
          environment: 'production',
          url: '',
          createdAt: '2026-01-01T00:00:00Z',
          creator: null,
          release: undefined,
        },
        checks: [
          check({ headers: { Authorization: 'Bearer ${PROM_TOKEN}', 'X-Org': '${ORG}' } }),
          check({ headers: { 'X-Team': '${TEAM}' } }),
        ],
        source: "the step's inputs",
        options: { ...DEFAULT_VERIFICATION_OPTIONS, attempts: 1 },
        dryRun: false,
      },
    );
    await expect(apply).rejects.toThrow(UserError);
    await expect(apply).rejects.toThrow(
      "The headers of the checks (the step's inputs) need the environment variables PROM_TOKEN, TEAM, which the " +
        "step does not set (or sets empty). Set them in the step's 'env:', e.g. 'PROM_TOKEN: ${{ secrets.PROM_TOKEN }}'.",
    );
    expect(touched).toEqual([]);
    expect(seen).toHaveLength(0);
    expect(logger.lines).toEqual([]);
  });
});
