import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { secondaryRateLimitBody, startEmulator, type Emulator } from '../src/index.js';
import { apiClient } from './helpers.js';

const CREATE_DEPLOYMENT = 'POST /repos/{owner}/{repo}/deployments';
const GET_REF = 'GET /repos/{owner}/{repo}/git/ref/{ref}';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());
afterEach(() => emulator.faults.clear());

const getRef = () => api('GET', 'git/ref/heads/main');

describe('faults', () => {
  it('answers a status for the nth matching request only', async () => {
    emulator.faults.add({ route: GET_REF, nth: 2, status: 500 });
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await getRef()).status);
    expect(statuses).toEqual([200, 500, 200, 200]);
    expect(emulator.requests.at(-3)?.fault).toBe('status 500');
  });

  it('faults `times` consecutive matching requests and leaves other routes alone', async () => {
    emulator.faults.add({ route: GET_REF, times: 2, status: 503 });
    expect((await api('GET', 'deployments')).status).toBe(200);
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await getRef()).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('sends headers such as retry-after, and a GitHub-shaped default body', async () => {
    emulator.faults.add({
      route: GET_REF,
      status: 403,
      headers: { 'Retry-After': '1' },
      body: secondaryRateLimitBody(),
    });
    emulator.faults.add({
      route: GET_REF,
      nth: 2,
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' },
    });
    const limited = await getRef();
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.message).toMatch(/secondary rate limit/);
    const exhausted = await getRef();
    expect(exhausted.status).toBe(429);
    expect(exhausted.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(exhausted.body).toEqual({
      message: 'Too Many Requests',
      documentation_url: 'https://docs.github.com/rest',
      status: '429',
    });
  });

  it('drops the connection: fetch rejects and the log shows status 0', async () => {
    emulator.faults.add({ route: GET_REF, drop: true });
    await expect(getRef()).rejects.toThrow();
    expect(emulator.requests.at(-1)).toMatchObject({
      route: '/repos/{owner}/{repo}/git/ref/{ref}',
      status: 0,
      fault: 'drop',
    });
    expect((await getRef()).status).toBe(200);
  });

  it('delays the answer, then handles the request normally', async () => {
    emulator.faults.add({ route: GET_REF, delayMs: 150 });
    const started = Date.now();
    const response = await getRef();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
  });

  it('a client giving up during a delay ends it at once: the request is dropped unhandled', async () => {
    emulator.faults.add({ route: CREATE_DEPLOYMENT, delayMs: 60_000 });
    const before = emulator.store.deployments.length;
    const started = Date.now();
    await expect(
      fetch(`${emulator.url}/repos/${emulator.fullName}/deployments`, {
        method: 'POST',
        headers: { authorization: 'token test-token', 'content-type': 'application/json' },
        body: JSON.stringify({ ref: 'main', environment: 'slow' }),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    const entry = emulator.requests.at(-1);
    const dropped = () => entry?.status === 0 && entry.fault?.includes('client gave up') === true;
    while (!dropped() && Date.now() - started < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Well before the 60 s delay: the server stopped waiting when the connection closed.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(entry).toMatchObject({ status: 0, fault: 'delay 60000ms; client gave up, not handled' });
    expect(emulator.store.deployments).toHaveLength(before);
  });

  it('afterHandling: the write happens although the client sees a 502', async () => {
    emulator.faults.add({ route: CREATE_DEPLOYMENT, afterHandling: true });
    const before = emulator.store.deployments.length;
    const response = await api('POST', 'deployments', { body: { ref: 'main', environment: 'flaky' } });
    expect(response.status).toBe(502);
    expect(emulator.store.deployments).toHaveLength(before + 1);
    expect(emulator.store.deployments.at(-1)?.environment).toBe('flaky');
    expect(emulator.requests.at(-1)).toMatchObject({ status: 502, fault: 'status 502, after handling' });
  });

  it('afterHandling with drop: the ref is created but the connection is lost', async () => {
    emulator.faults.add({ route: 'POST /repos/{owner}/{repo}/git/refs', afterHandling: true, drop: true });
    const sha = emulator.git.head();
    await expect(api('POST', 'git/refs', { body: { ref: 'refs/tags/lost-answer', sha } })).rejects.toThrow();
    expect(emulator.git.run(['rev-parse', 'refs/tags/lost-answer'])).toBe(sha);
  });

  it('matches any route when route is omitted, and bare templates on any method', async () => {
    emulator.faults.add({ status: 500 });
    expect((await api('GET', 'deployments')).status).toBe(500);
    emulator.faults.add({ route: '/repos/{owner}/{repo}/deployments', status: 418 });
    expect((await api('GET', 'deployments')).status).toBe(418);
    expect((await api('POST', 'deployments', { body: { ref: 'main' } })).status).toBe(201);
  });
});

describe('validation', () => {
  it('found no problem in any answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});
