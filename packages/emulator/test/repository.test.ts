import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient, responseProblems, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

describe('GET /repos/{owner}/{repo}', () => {
  it('describes the repository', async () => {
    const response = await api('GET', `/repos/${emulator.fullName}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'shop',
      full_name: 'octo-org/shop',
      default_branch: 'main',
      html_url: 'https://github.com/octo-org/shop',
      owner: { login: 'octo-org', type: 'Organization' },
    });
  });

  it('answers 404 for another repository and for unknown routes', async () => {
    const other = await api('GET', '/repos/octo-org/other/deployments');
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('Not Found');
    const unmatched = await api('GET', '/repos/octo-org/shop/nothing/here');
    expect(unmatched.status).toBe(404);
    expect(emulator.requests.at(-1)).toMatchObject({ route: 'UNMATCHED', status: 404 });
    expect(emulator.requestCounts()['GET UNMATCHED']).toBe(1);
  });

  it('requires an authorization header and records no secret', async () => {
    const anonymous = await api('GET', `/repos/${emulator.fullName}`, { anonymous: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toBe('Requires authentication');
    const bearer = await api('GET', `/repos/${emulator.fullName}`, {
      headers: { authorization: 'Bearer abc' },
    });
    expect(bearer.status).toBe(200);
    expect(JSON.stringify(emulator.requests)).not.toContain('test-token');
  });
});

describe('GET /contents/{path}', () => {
  it('serves a file at a ref as base64, and raw on request', async () => {
    const first = emulator.seed.file('config/app.json', '{"version":1}\n');
    emulator.seed.file('config/app.json', '{"version":2}\n');
    const atFirst = await api('GET', `contents/config/app.json?ref=${first}`);
    expect(atFirst.status).toBe(200);
    expect(atFirst.body).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'app.json',
      path: 'config/app.json',
    });
    expect(Buffer.from(atFirst.body.content, 'base64').toString()).toBe('{"version":1}\n');
    expect(atFirst.body.sha).toBe(emulator.git.run(['rev-parse', `${first}:config/app.json`]));
    const raw = await api('GET', 'contents/config/app.json', {
      headers: { accept: 'application/vnd.github.raw' },
    });
    expect(raw.body).toBe('{"version":2}\n');
  });

  it('lists a directory and answers 404 for missing paths and refs', async () => {
    const listing = await api('GET', 'contents/config');
    expect(listing.body.map((entry: Json) => entry.name)).toEqual(['app.json']);
    expect((await api('GET', 'contents/missing.txt')).status).toBe(404);
    expect((await api('GET', 'contents/config/app.json?ref=no-such-ref')).status).toBe(404);
  });
});

describe('environments', () => {
  it('creates, updates, lists and serves environments', async () => {
    emulator.seed.user('reviewer', 'reviewer@example.com');
    const created = await api('PUT', 'environments/production', { body: { wait_timer: 5 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'production',
      protection_rules: [{ type: 'wait_timer', wait_timer: 5 }],
    });
    const updated = await api('PUT', 'environments/production', {
      body: { deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } },
    });
    expect(updated.body.id).toBe(created.body.id);
    expect(updated.body.deployment_branch_policy).toEqual({
      protected_branches: true,
      custom_branch_policies: false,
    });
    emulator.seed.environment('staging');
    const list = await api('GET', 'environments');
    expect(list.body.total_count).toBe(2);
    expect(list.body.environments.map((environment: Json) => environment.name)).toEqual([
      'production',
      'staging',
    ]);
    expect((await api('GET', 'environments/staging')).body.name).toBe('staging');
    expect((await api('GET', 'environments/nowhere')).status).toBe(404);
  });

  it('refuses unknown PUT fields with a 422 (validated against the OpenAPI description)', async () => {
    const response = await api('PUT', 'environments/qa', { body: { colour: 'blue' } });
    expect(response.status).toBe(422);
    expect(response.body.message).toContain('"colour" is not a permitted key.');
    expect(emulator.problems.at(-1)).toMatchObject({ kind: 'request-body', method: 'PUT' });
  });
});

describe('GET /actions/runs/{run_id}/approvals', () => {
  it('serves seeded approvals in GitHub shape', async () => {
    emulator.seed.approvals(42, [
      { environment: 'production', user: 'alice', comment: 'Ship it' },
      { environment: 'staging', user: 'bob', state: 'rejected' },
    ]);
    const response = await api('GET', 'actions/runs/42/approvals');
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(2);
    expect(response.body[0]).toMatchObject({
      state: 'approved',
      comment: 'Ship it',
      user: { login: 'alice' },
      environments: [{ name: 'production' }],
    });
    expect(response.body[1]).toMatchObject({ state: 'rejected', comment: '', user: { login: 'bob' } });
    expect((await api('GET', 'actions/runs/7/approvals')).body).toEqual([]);
  });
});

describe('POST /graphql', () => {
  it('records the operation; only mutations count as writes', async () => {
    const response = await api('POST', emulator.graphqlUrl, {
      body: {
        query:
          'mutation MoveTag($input: UpdateRefsInput!) { updateRefs(input: $input) { clientMutationId } }',
        variables: { input: { repositoryId: 'unknown', refUpdates: [] } },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.errors[0].message).toBe(
      "Could not resolve to a node with the global id of 'unknown'",
    );
    await api('POST', emulator.graphqlUrl, {
      body: { query: '{ repository(owner: "octo-org", name: "shop") { id } }' },
    });
    const graphql = emulator.requests.filter((request) => request.route === '/graphql');
    expect(graphql.map((request) => request.graphqlOperation)).toEqual(['mutation MoveTag', 'query']);
    expect(emulator.writeRequests().filter((request) => request.route === '/graphql')).toHaveLength(1);
  });
});

describe('request log', () => {
  it('records requests in order, counts them per route and resets', async () => {
    emulator.resetLog();
    await api('GET', 'deployments?environment=x');
    await api('POST', 'deployments', { body: { ref: 'main', environment: 'log' } });
    await api('GET', 'deployments');
    expect(
      emulator.requests.map((request) => `${request.method} ${request.route} ${request.status}`),
    ).toEqual([
      'GET /repos/{owner}/{repo}/deployments 200',
      'POST /repos/{owner}/{repo}/deployments 201',
      'GET /repos/{owner}/{repo}/deployments 200',
    ]);
    expect(emulator.requests[0]?.query).toEqual({ environment: 'x' });
    expect(emulator.requests[1]?.requestBody).toEqual({ ref: 'main', environment: 'log' });
    expect(emulator.requestCounts()).toEqual({
      'GET /repos/{owner}/{repo}/deployments': 2,
      'POST /repos/{owner}/{repo}/deployments': 1,
    });
    expect(emulator.writeRequests()).toHaveLength(1);
    emulator.resetLog();
    expect(emulator.requests).toEqual([]);
  });
});

describe('validation', () => {
  it('found no problem in any answer', () => {
    expect(responseProblems(emulator)).toEqual([]);
  });
});
