import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ControlApi, faultRuleOf } from '../src/control-api.js';
import { controlRequestRefusal, openFrontDoor, type FrontDoor } from '../src/front-door.js';
import { startEmulator, type Emulator } from '../src/index.js';
import type { Json } from './helpers.js';

let emulator: Emulator;
let door: FrontDoor;

beforeAll(async () => {
  emulator = await startEmulator();
  door = await openFrontDoor({ target: emulator.url, control: new ControlApi(emulator), port: 0 });
});
afterAll(async () => {
  await door.close();
  await emulator.close();
});
afterEach(async () => {
  await fetch(`${door.url}/_emulator/faults`, { method: 'DELETE' });
});

/** A request to the front door; GitHub routes get a token, control routes none. */
async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${door.url}${path}`, {
    method,
    headers: path.startsWith('/_emulator') ? {} : { authorization: 'token any-value' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const REPOSITORY = '/repos/octo-org/shop';

describe('the front door', () => {
  it('passes GitHub routes on, with its own address in bodies and link headers', async () => {
    emulator.git.commits(3);
    const repository = await call('GET', REPOSITORY);
    expect(repository.status).toBe(200);
    expect(repository.body.url).toBe(`${door.url}${REPOSITORY}`);
    const page = await call('GET', `${REPOSITORY}/commits?per_page=1`);
    expect(page.headers.get('link')).toContain(`<${door.url}${REPOSITORY}/commits?per_page=1&page=2>`);
    expect(JSON.stringify(page.body)).not.toContain(emulator.url);
  });

  it('serves control routes without a token and keeps them out of the request log', async () => {
    const before = emulator.requests.length;
    const index = await call('GET', '/_emulator');
    expect(index.status).toBe(200);
    expect(index.body.repository).toBe('octo-org/shop');
    expect(emulator.requests.length).toBe(before);
  });
});

describe('POST /_emulator/runs/{run_id}/approvals', () => {
  it('records a review the GitHub route then serves for that run only', async () => {
    const recorded = await call('POST', '/_emulator/runs/42/approvals', {
      environment: 'production',
      user: 'mona',
      comment: 'Ship it',
    });
    expect(recorded).toMatchObject({ status: 201, body: { run_id: 42, state: 'approved', user: 'mona' } });
    const approvals = await call('GET', `${REPOSITORY}/actions/runs/42/approvals`);
    expect(approvals.body).toHaveLength(1);
    expect(approvals.body[0]).toMatchObject({
      state: 'approved',
      comment: 'Ship it',
      user: { login: 'mona' },
    });
    expect(approvals.body[0].environments[0].name).toBe('production');
    expect((await call('GET', `${REPOSITORY}/actions/runs/43/approvals`)).body).toEqual([]);
  });

  it.each([
    {
      path: '/_emulator/runs/abc/approvals',
      body: { environment: 'e', user: 'u' },
      status: 422,
      says: 'run_id',
    },
    {
      path: '/_emulator/runs/1/approvals',
      body: { user: 'u' },
      status: 422,
      says: '"environment" is required',
    },
    {
      path: '/_emulator/runs/1/approvals',
      body: { environment: 'e' },
      status: 422,
      says: '"user" is required',
    },
    {
      path: '/_emulator/runs/1/approvals',
      body: { environment: 'e', user: 'u', state: 'maybe' },
      status: 422,
      says: 'state',
    },
    { path: '/_emulator/runs/1/approvals', body: '[1]', status: 400, says: 'JSON object' },
    { path: '/_emulator/runs/1/approvals', body: '{oops', status: 400, says: 'not JSON' },
  ])('refuses $body at $path ($status)', async ({ path, body, status, says }) => {
    const answer = await call('POST', path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(says);
  });
});

describe('POST /_emulator/faults', () => {
  it('answers a status with retry-after the given number of times, then lets requests through', async () => {
    const added = await call('POST', '/_emulator/faults', {
      route: '/repos/{owner}/{repo}',
      method: 'get',
      status: 503,
      retryAfter: 2,
      times: 2,
    });
    expect(added.status).toBe(201);
    const first = await call('GET', REPOSITORY);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await call('GET', REPOSITORY)).status).toBe(503);
    expect((await call('GET', REPOSITORY)).status).toBe(200);
    expect((await call('GET', '/_emulator/faults')).body.faults).toHaveLength(1);
  });

  it('drops the connection, and DELETE clears the rule', async () => {
    await call('POST', '/_emulator/faults', { route: 'GET /repos/{owner}/{repo}', drop: true, times: 5 });
    await expect(call('GET', REPOSITORY)).rejects.toThrow();
    const cleared = await call('DELETE', '/_emulator/faults');
    expect(cleared.body).toEqual({ cleared: 1 });
    expect((await call('GET', REPOSITORY)).status).toBe(200);
  });

  it('delays an answer by delayMs', async () => {
    await call('POST', '/_emulator/faults', { route: 'GET /repos/{owner}/{repo}', delayMs: 300 });
    const started = Date.now();
    expect((await call('GET', REPOSITORY)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('never faults the control routes themselves, even with a rule for every route', async () => {
    await call('POST', '/_emulator/faults', { status: 500, times: 100 });
    expect((await call('GET', REPOSITORY)).status).toBe(500);
    expect((await call('DELETE', '/_emulator/faults')).status).toBe(200);
    expect((await call('GET', REPOSITORY)).status).toBe(200);
  });
});

describe('faultRuleOf', () => {
  it.each([
    {
      fields: { route: 'GET /repos/{owner}/{repo}', status: 502 },
      rule: { route: 'GET /repos/{owner}/{repo}', status: 502 },
    },
    {
      fields: { route: '/graphql', method: 'post', drop: true },
      rule: { route: 'POST /graphql', drop: true },
    },
    { fields: { status: 429, retryAfter: 1 }, rule: { status: 429, headers: { 'retry-after': '1' } } },
    {
      fields: { route: '/repos/{owner}/{repo}/deployments', afterHandling: true, nth: 2 },
      rule: { route: '/repos/{owner}/{repo}/deployments', afterHandling: true, nth: 2 },
    },
  ])('reads $fields', ({ fields, rule }) => {
    expect(faultRuleOf(fields)).toEqual(rule);
  });

  it.each([
    {
      fields: { route: 'GET /repos/{owner}/{repo}/nothing', status: 500 },
      says: 'not served by the emulator',
    },
    { fields: { method: 'GET', status: 500 }, says: '"method" needs a "route"' },
    { fields: { status: '500' }, says: '"status" must be a number' },
    { fields: { status: 700 }, says: 'not an HTTP status' },
    { fields: { times: 0, status: 500 }, says: '"times" must be a whole number of 1 or more' },
    { fields: { statuss: 500 }, says: 'Unknown fault field "statuss"' },
    { fields: { route: '/graphql' }, says: 'The fault does nothing' },
  ])('refuses $fields', ({ fields, says }) => {
    expect(() => faultRuleOf(fields)).toThrow(says);
  });
});

describe('the request log', () => {
  it('lists requests from a position, counts them per route, and is cleared by DELETE', async () => {
    expect((await call('DELETE', '/_emulator/requests')).status).toBe(204);
    await call('GET', REPOSITORY);
    await call('GET', `${REPOSITORY}/git/ref/heads/main`);
    const log = await call('GET', '/_emulator/requests?since=1');
    expect(log.body).toMatchObject({ total: 2, since: 1 });
    expect(log.body.requests).toEqual([
      expect.objectContaining({ method: 'GET', route: '/repos/{owner}/{repo}/git/ref/{ref}', status: 200 }),
    ]);
    expect((await call('GET', '/_emulator/requests/counts')).body).toEqual({
      'GET /repos/{owner}/{repo}': 1,
      'GET /repos/{owner}/{repo}/git/ref/{ref}': 1,
    });
    expect((await call('GET', '/_emulator/problems')).body).toEqual({ problems: [] });
  });

  it('answers 404 naming the index for an unknown control route', async () => {
    const answer = await call('GET', '/_emulator/nothing');
    expect(answer.status).toBe(404);
    expect(answer.body.message).toContain('GET /_emulator lists them');
  });
});

describe('controlRequestRefusal: only scripts on this machine reach the control API', () => {
  it.each([
    { headers: { host: '127.0.0.1:4000' }, refused: undefined },
    { headers: { host: 'localhost:4000' }, refused: undefined },
    { headers: { host: '[::1]:4000' }, refused: undefined },
    { headers: { host: 'evil.example:4000' }, refused: /127\.0\.0\.1:4000 or localhost:4000 only/ },
    { headers: { host: '127.0.0.1:4001' }, refused: /not '127\.0\.0\.1:4001'/ },
    { headers: {}, refused: /only, not ''/ },
    { headers: { host: '127.0.0.1:4000', origin: 'http://evil.example' }, refused: /Origin header/ },
  ])('$headers', ({ headers, refused }) => {
    const refusal = controlRequestRefusal(headers, 4000);
    if (refused) expect(refusal).toMatch(refused);
    else expect(refusal).toBeUndefined();
  });
});
