import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpCheckSpec } from '../src/checks/check-spec.js';
import { MAX_BODY_BYTES, runHttpCheck } from '../src/checks/http-check.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const seenUserAgents: string[] = [];
const routes: Record<string, Handler> = {
  '/ok': (_request, response) => response.end('{"status": "up", "text": "all ok"}'),
  '/unavailable': (_request, response) => {
    response.statusCode = 503;
    response.end('down for maintenance');
  },
  '/no-content': (_request, response) => {
    response.statusCode = 204;
    response.end();
  },
  '/redirect': (_request, response) => {
    response.writeHead(302, { location: '/ok' });
    response.end();
  },
  '/redirect-to-ftp': (_request, response) => {
    response.writeHead(302, { location: 'ftp://127.0.0.1/secret' });
    response.end();
  },
  '/slow': (_request, response) => {
    setTimeout(() => response.end('ok'), 300);
  },
  '/hang': () => undefined,
  '/stall-body': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('partial ');
  },
  '/huge': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('start ');
    response.write('x'.repeat(3 * MAX_BODY_BYTES));
    response.end(' needle-at-the-end');
  },
  '/user-agent': (request, response) => {
    seenUserAgents.push(request.headers['user-agent'] ?? '');
    response.end('ok');
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const handler = routes[request.url ?? ''];
    if (handler) handler(request, response);
    else {
      response.statusCode = 404;
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function check(path: string, extra: Partial<HttpCheckSpec> = {}): HttpCheckSpec {
  return { kind: 'http', url: `${base}${path}`, ...extra };
}

describe('runHttpCheck against a local server', () => {
  it('passes on a 2xx by default and reports status and latency', async () => {
    const result = await runHttpCheck(check('/ok'), { timeoutMs: 5000 });
    expect(result.passed).toBe(true);
    expect(result.status).toBe(200);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(5000);
    expect(result.message).toBe(`status 200 in ${result.latencyMs} ms`);
  });

  it('fails on a non-2xx by default', async () => {
    const result = await runHttpCheck(check('/unavailable'), { timeoutMs: 5000 });
    expect(result).toMatchObject({ passed: false, status: 503, message: 'expected a 2xx status, got 503' });
  });

  it('compares the status with the expected list', async () => {
    expect(await runHttpCheck(check('/unavailable', { status: [200] }), { timeoutMs: 5000 })).toMatchObject({
      passed: false,
      message: 'expected status 200, got 503',
    });
    expect(await runHttpCheck(check('/unavailable', { status: [503] }), { timeoutMs: 5000 })).toMatchObject({
      passed: true,
      status: 503,
    });
    expect(await runHttpCheck(check('/ok', { status: [201, 204] }), { timeoutMs: 5000 })).toMatchObject({
      passed: false,
      message: 'expected status 201 or 204, got 200',
    });
    expect(await runHttpCheck(check('/no-content', { status: [204] }), { timeoutMs: 5000 })).toMatchObject({
      passed: true,
      status: 204,
    });
  });

  it('follows redirects and judges the final answer', async () => {
    const result = await runHttpCheck(check('/redirect', { status: [200], bodyContains: 'all ok' }), {
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ passed: true, status: 200 });
  });

  it('does not follow a redirect to another scheme', async () => {
    const result = await runHttpCheck(check('/redirect-to-ftp'), { timeoutMs: 5000 });
    expect(result.passed).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.message).toBe('redirected to a URL that is not http or https');
  });

  it('checks that the body contains a text', async () => {
    expect(await runHttpCheck(check('/ok', { bodyContains: 'all ok' }), { timeoutMs: 5000 })).toMatchObject({
      passed: true,
    });
    expect(await runHttpCheck(check('/ok', { bodyContains: 'ready' }), { timeoutMs: 5000 })).toMatchObject({
      passed: false,
      status: 200,
      message: "body does not contain 'ready'",
    });
  });

  it('checks that the body matches a regular expression', async () => {
    expect(
      await runHttpCheck(check('/ok', { bodyMatches: '"status":\\s*"up"' }), { timeoutMs: 5000 }),
    ).toMatchObject({ passed: true });
    expect(
      await runHttpCheck(check('/ok', { bodyMatches: '"status":\\s*"down"' }), { timeoutMs: 5000 }),
    ).toMatchObject({ passed: false, message: 'body does not match /"status":\\s*"down"/' });
  });

  it('reports every problem of one answer', async () => {
    const result = await runHttpCheck(check('/unavailable', { status: [200], bodyContains: 'ok' }), {
      timeoutMs: 5000,
    });
    expect(result.message).toBe("expected status 200, got 503; body does not contain 'ok'");
  });

  it('fails an answer slower than max-latency', async () => {
    const result = await runHttpCheck(check('/slow', { maxLatencyMs: 100 }), { timeoutMs: 5000 });
    expect(result.passed).toBe(false);
    expect(result.status).toBe(200);
    expect(result.latencyMs).toBeGreaterThanOrEqual(250);
    expect(result.message).toBe(`answered in ${result.latencyMs} ms, over the 100 ms limit`);
    expect(await runHttpCheck(check('/slow', { maxLatencyMs: 4000 }), { timeoutMs: 5000 })).toMatchObject({
      passed: true,
    });
  });

  it('measures latency with the injected clock', async () => {
    let nowMs = 1_000_000;
    const fakeFetch = (async () => {
      nowMs += 812;
      return new Response('ok', { status: 200 });
    }) as typeof fetch;
    const result = await runHttpCheck(check('/anything', { maxLatencyMs: 500 }), {
      timeoutMs: 5000,
      fetch: fakeFetch,
      clock: { now: () => nowMs, sleep: async () => undefined },
    });
    expect(result).toEqual({
      passed: false,
      status: 200,
      latencyMs: 812,
      message: 'answered in 812 ms, over the 500 ms limit',
    });
  });

  it('times out when no answer comes', async () => {
    const started = Date.now();
    const result = await runHttpCheck(check('/hang'), { timeoutMs: 300 });
    expect(result).toMatchObject({ passed: false, message: 'timed out after 300 ms' });
    expect(result.status).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out when the body stalls', async () => {
    const result = await runHttpCheck(check('/stall-body', { bodyContains: 'never' }), { timeoutMs: 1000 });
    expect(result).toMatchObject({ passed: false, message: 'timed out after 1 s' });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runHttpCheck(
      { kind: 'http', url: `http://127.0.0.1:${port}/` },
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ passed: false, message: 'connection refused' });
  });

  it('reads no more than 1 MB of the body', async () => {
    const start = await runHttpCheck(check('/huge', { bodyContains: 'start' }), { timeoutMs: 10_000 });
    expect(start.passed).toBe(true);
    const end = await runHttpCheck(check('/huge', { bodyContains: 'needle-at-the-end' }), {
      timeoutMs: 10_000,
    });
    expect(end).toMatchObject({
      passed: false,
      message: "body does not contain 'needle-at-the-end' (first 1 MB read)",
    });
  });

  it('identifies itself', async () => {
    await runHttpCheck(check('/user-agent'), { timeoutMs: 5000 });
    expect(seenUserAgents).toEqual(['release-promotion-verify']);
  });
});
