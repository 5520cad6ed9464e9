import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient, parseLink, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

async function deploy(environment: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const response = await api('POST', 'deployments', { body: { ref: 'main', environment, ...extra } });
  expect(response.status).toBe(201);
  return response.body;
}

async function setState(id: number, state: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const response = await api('POST', `deployments/${id}/statuses`, { body: { state, ...extra } });
  expect(response.status).toBe(201);
  return response.body;
}

async function latestState(id: number): Promise<string | undefined> {
  const response = await api('GET', `deployments/${id}/statuses?per_page=1`);
  return response.body[0]?.state;
}

describe('POST /deployments', () => {
  it('creates a deployment of the commit the ref resolves to, with GitHub defaults', async () => {
    const head = emulator.git.head();
    const response = await api('POST', 'deployments', {
      body: { ref: 'main', payload: '{"version":"1.2.3"}' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(
      `${emulator.url}/repos/octo-org/shop/deployments/${response.body.id}`,
    );
    expect(response.body).toMatchObject({
      sha: head,
      ref: 'main',
      task: 'deploy',
      environment: 'production',
      original_environment: 'production',
      production_environment: true,
      transient_environment: false,
      payload: { version: '1.2.3' },
      creator: { login: 'github-actions[bot]', type: 'Bot' },
    });
  });

  it('accepts tags and shas as ref, and object payloads, and creates the environment', async () => {
    const sha = emulator.git.commit('feature');
    emulator.git.run(['tag', 'v0.1.0', sha]);
    const byTag = await deploy('qa-tag', { ref: 'v0.1.0', payload: { a: 1 }, task: 'deploy:migrate' });
    expect(byTag).toMatchObject({ sha, ref: 'v0.1.0', payload: { a: 1 }, task: 'deploy:migrate' });
    expect(byTag.production_environment).toBe(false);
    const bySha = await deploy('qa-sha', { ref: sha.slice(0, 12) });
    expect(bySha.sha).toBe(sha);
    expect(emulator.store.environments.map((environment) => environment.name)).toEqual(
      expect.arrayContaining(['qa-tag', 'qa-sha']),
    );
  });

  it('answers 422 when the ref does not exist', async () => {
    const response = await api('POST', 'deployments', { body: { ref: 'no-such-branch' } });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('No ref found for: no-such-branch');
    expect(response.body.documentation_url).toBe(
      'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
    );
  });

  it('serves one deployment, and 404 for an unknown id', async () => {
    const created = await deploy('single');
    expect((await api('GET', `deployments/${created.id}`)).body).toEqual(created);
    const missing = await api('GET', 'deployments/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Not Found');
  });
});

describe('GET /deployments', () => {
  it('walks 250 deployments newest first in 3 pages of at most 100 through Link rel=next', async () => {
    const seeded = emulator.seed.deployments('paged', 250);
    let url: string | undefined =
      `${emulator.url}/repos/octo-org/shop/deployments?environment=paged&per_page=100`;
    const ids: number[] = [];
    let pages = 0;
    let firstLinks: Record<string, string> = {};
    while (url) {
      const response = await api('GET', url);
      expect(response.status).toBe(200);
      const links = parseLink(response.headers.get('link'));
      if (pages === 0) firstLinks = links;
      pages += 1;
      ids.push(...response.body.map((deployment: Json) => deployment.id));
      url = links.next;
    }
    expect(pages).toBe(3);
    expect(ids).toEqual([...seeded].reverse());
    expect(firstLinks.last).toContain('page=3');
    expect(firstLinks.prev).toBeUndefined();
  });

  it('formats Link like GitHub: prev, next, last, first', async () => {
    const response = await api('GET', 'deployments?environment=paged&per_page=100&page=2');
    const base = `${emulator.url}/repos/octo-org/shop/deployments?environment=paged&per_page=100`;
    expect(response.headers.get('link')).toBe(
      `<${base}&page=1>; rel="prev", <${base}&page=3>; rel="next", <${base}&page=3>; rel="last", <${base}&page=1>; rel="first"`,
    );
  });

  it('defaults to 30 per page, caps per_page at 100 and omits Link on a single page', async () => {
    expect((await api('GET', 'deployments?environment=paged')).body).toHaveLength(30);
    expect((await api('GET', 'deployments?environment=paged&per_page=500')).body).toHaveLength(100);
    const single = await api('GET', 'deployments?environment=single');
    expect(single.body).toHaveLength(1);
    expect(single.headers.get('link')).toBeNull();
  });

  it('filters by sha, ref, task and environment', async () => {
    const sha = emulator.git.commit('filtered');
    const [taskId] = emulator.seed.deployments('filters', 1, { sha, task: 'deploy:special' });
    emulator.git.commit('after filtered');
    emulator.seed.deployments('filters', 2);
    const bySha = await api('GET', `deployments?sha=${sha}`);
    expect(bySha.body.map((deployment: Json) => deployment.id)).toEqual([taskId]);
    expect((await api('GET', `deployments?ref=${sha}&environment=filters`)).body).toHaveLength(1);
    expect((await api('GET', 'deployments?task=deploy:special')).body.map((d: Json) => d.id)).toEqual([
      taskId,
    ]);
    expect((await api('GET', 'deployments?environment=filters&task=deploy')).body).toHaveLength(2);
    expect((await api('GET', 'deployments?environment=nowhere')).body).toEqual([]);
  });
});

describe('deployment statuses', () => {
  it('creates statuses, lists them newest first and serves one', async () => {
    const deployment = await deploy('status-list');
    const queued = await setState(deployment.id, 'queued');
    const success = await setState(deployment.id, 'success', {
      log_url: 'https://ci.example.com/run/1',
      environment_url: 'https://status-list.example.com',
      description: 'Deployed',
    });
    expect(success).toMatchObject({
      state: 'success',
      target_url: 'https://ci.example.com/run/1',
      log_url: 'https://ci.example.com/run/1',
      environment_url: 'https://status-list.example.com',
      environment: 'status-list',
      description: 'Deployed',
      deployment_url: `${emulator.url}/repos/octo-org/shop/deployments/${deployment.id}`,
    });
    const list = await api('GET', `deployments/${deployment.id}/statuses`);
    expect(list.body.map((status: Json) => status.id)).toEqual([success.id, queued.id]);
    const one = await api('GET', `deployments/${deployment.id}/statuses/${queued.id}`);
    expect(one.body).toEqual(queued);
    expect((await api('GET', `deployments/${deployment.id}/statuses/999999`)).status).toBe(404);
    expect((await api('POST', 'deployments/999999/statuses', { body: { state: 'success' } })).status).toBe(
      404,
    );
  });

  it('accepts a 140-character description and refuses a longer one', async () => {
    const deployment = await deploy('descriptions');
    await setState(deployment.id, 'in_progress', { description: 'x'.repeat(140) });
    const response = await api('POST', `deployments/${deployment.id}/statuses`, {
      body: { state: 'success', description: 'x'.repeat(141) },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'description', code: 'custom' });
  });

  it('auto_inactive: success inactivates prior successful non-production, non-transient deployments of the environment', async () => {
    const first = await deploy('staging');
    await setState(first.id, 'success');
    const failed = await deploy('staging');
    await setState(failed.id, 'failure');
    const transient = await deploy('staging', { transient_environment: true });
    await setState(transient.id, 'success');
    const elsewhere = await deploy('qa');
    await setState(elsewhere.id, 'success');
    const latest = await deploy('staging');
    await setState(latest.id, 'success');

    expect(await latestState(first.id)).toBe('inactive');
    expect(await latestState(failed.id)).toBe('failure');
    expect(await latestState(transient.id)).toBe('success');
    expect(await latestState(elsewhere.id)).toBe('success');
    expect(await latestState(latest.id)).toBe('success');
    const inactive = emulator.store.statuses.filter((status) => status.deploymentId === first.id);
    expect(inactive.map((status) => status.state)).toEqual(['success', 'inactive']);
  });

  it('auto_inactive leaves production deployments alone, and can be turned off', async () => {
    const production = await deploy('production');
    await setState(production.id, 'success');
    const next = await deploy('production');
    await setState(next.id, 'success');
    expect(await latestState(production.id)).toBe('success');

    const staged = await deploy('preview');
    await setState(staged.id, 'success');
    const again = await deploy('preview');
    await setState(again.id, 'success', { auto_inactive: false });
    expect(await latestState(staged.id)).toBe('success');
  });
});

describe('DELETE /deployments/{id}', () => {
  it('refuses an active deployment unless it is the only one of its environment', async () => {
    const first = await deploy('deletable');
    await setState(first.id, 'success');
    const second = await deploy('deletable');
    await setState(second.id, 'success', { auto_inactive: false });
    const refused = await api('DELETE', `deployments/${first.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/cannot delete an active deployment/);

    await setState(first.id, 'inactive');
    expect((await api('DELETE', `deployments/${first.id}`)).status).toBe(204);
    expect((await api('GET', `deployments/${first.id}`)).status).toBe(404);
    expect(emulator.store.statuses.some((status) => status.deploymentId === first.id)).toBe(false);
    expect((await api('DELETE', `deployments/${second.id}`)).status).toBe(204);
    expect((await api('DELETE', 'deployments/999999')).status).toBe(404);
  });
});

describe('validation', () => {
  it('found no problem in any answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});
