import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorCheckpoint } from '../src/index.js';
import { apiClient, type ApiResponse } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;
let base: EmulatorCheckpoint;
let first: string;

const CREATE_DEPLOYMENT = 'POST /repos/{owner}/{repo}/deployments';

/** The refs of the backing repository, `name sha` per line. */
const refs = () => emulator.git.run(['for-each-ref', '--format=%(refname) %(objectname)']);
/** A copy of the records tests can read. */
const storeView = () => {
  const { deployments, statuses, releases, environments, approvals } = emulator.store;
  return structuredClone({ deployments, statuses, releases, environments, approvals });
};
const rateLimitUsed = (response: ApiResponse) => response.headers.get('x-ratelimit-used');

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
  first = emulator.git.commit('feat: first');
  await api('POST', 'git/refs', { body: { ref: 'refs/tags/env/integration', sha: first } });
  const deployment = await api('POST', 'deployments', {
    body: { ref: first, environment: 'integration', auto_merge: false, required_contexts: [] },
  });
  await api('POST', `deployments/${deployment.body.id}/statuses`, { body: { state: 'success' } });
  emulator.seed.approvals(7, [{ environment: 'integration', user: 'lisa' }]);
  emulator.faults.add({ route: CREATE_DEPLOYMENT, nth: 2, status: 502 });
  base = emulator.checkpoint();
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

/** Changes every kind of state a checkpoint holds. */
async function changeEverything(): Promise<void> {
  const second = emulator.git.commit('feat: second');
  emulator.git.commit('feat: on a branch', {
    branch: 'topic',
    author: { name: 'Ann', email: 'a@x', login: 'ann' },
  });
  await api('PATCH', 'git/refs/tags/env/integration', { body: { sha: second, force: true } });
  await api('POST', 'git/refs', { body: { ref: 'refs/tags/v1.0.0', sha: second } });
  const deployment = await api('POST', 'deployments', {
    body: { ref: second, environment: 'production', auto_merge: false, required_contexts: [] },
  });
  expect(deployment.status).toBe(201);
  // The fault's second matching request: answered 502.
  const faulted = await api('POST', 'deployments', {
    body: { ref: second, environment: 'production', auto_merge: false, required_contexts: [] },
  });
  expect(faulted.status).toBe(502);
  await api('POST', `deployments/${deployment.body.id}/statuses`, { body: { state: 'success' } });
  await api('POST', 'releases', { body: { tag_name: 'v1.0.0', make_latest: 'true' } });
  emulator.seed.environment('staging');
  emulator.seed.approvals(8, [{ environment: 'production', user: 'lisa' }]);
  emulator.faults.clear();
}

describe('checkpoint and restore', () => {
  it('puts back refs, deployments, statuses, releases, environments, approvals, log, faults and users', async () => {
    const before = {
      refs: refs(),
      store: storeView(),
      requests: structuredClone(emulator.requests),
      head: emulator.git.head(),
    };
    const requestsArray = emulator.requests;
    await changeEverything();
    expect(refs()).not.toBe(before.refs);

    emulator.restore(base);
    expect(refs()).toBe(before.refs);
    expect(emulator.git.head()).toBe(before.head);
    expect(() => emulator.git.head('topic')).toThrow(/No branch topic/);
    expect(storeView()).toEqual(before.store);
    // The request log is the same live array, holding what it held.
    expect(emulator.requests).toBe(requestsArray);
    expect(emulator.requests).toEqual(before.requests);

    // Ids continue from the checkpoint, the fault fires again on its second request, latest is gone.
    const again = await api('POST', 'deployments', {
      body: { ref: first, environment: 'production', auto_merge: false, required_contexts: [] },
    });
    expect(again.body.id).toBe(2);
    const faulted = await api('POST', 'deployments', {
      body: { ref: first, environment: 'production', auto_merge: false, required_contexts: [] },
    });
    expect(faulted.status).toBe(502);
    expect((await api('GET', 'releases/latest')).status).toBe(404);
    // The user registered since is forgotten: a commit by the same email has no GitHub author.
    const unknown = emulator.git.commit('feat: by email only', { author: { name: 'Ann', email: 'a@x' } });
    expect((await api('GET', `commits/${unknown}`)).body.author).toBeNull();
  });

  it('restores one checkpoint many times, and a later checkpoint on top of it', async () => {
    emulator.restore(base);
    const deployed = await api('POST', 'deployments', {
      body: { ref: first, environment: 'staging', auto_merge: false, required_contexts: [] },
    });
    const later = emulator.checkpoint();
    const laterRefs = refs();
    emulator.git.commit('feat: third');
    await api('POST', 'git/refs', { body: { ref: 'refs/tags/v2.0.0', sha: first } });

    emulator.restore(later);
    expect(refs()).toBe(laterRefs);
    expect(emulator.store.deployments.map((deployment) => deployment.id)).toEqual([1, deployed.body.id]);
    emulator.restore(base);
    expect(emulator.store.deployments.map((deployment) => deployment.id)).toEqual([1]);
    emulator.restore(base);
    expect(emulator.store.deployments.map((deployment) => deployment.id)).toEqual([1]);
  });

  it('restores the rate-limit count, and keeps the statuses index right after a restore', async () => {
    emulator.restore(base);
    const firstUsed = rateLimitUsed(await api('GET', 'deployments'));
    await api('GET', 'deployments');
    emulator.restore(base);
    expect(rateLimitUsed(await api('GET', 'deployments'))).toBe(firstUsed);
    const statuses = await api('GET', 'deployments/1/statuses');
    expect(statuses.body.map((status: { state: string }) => status.state)).toEqual(['success']);
  });

  it('a commit made after a restore is the commit made the first time (same counter, message and date)', () => {
    const date = '2024-05-01T12:00:00Z';
    emulator.restore(base);
    const made = emulator.git.commit('feat: repeatable', { date });
    const other = emulator.git.commit('feat: repeatable', { date });
    emulator.restore(base);
    expect(emulator.git.commit('feat: repeatable', { date })).toBe(made);
    expect(other).not.toBe(made);
    emulator.restore(base);
  });

  it('refuses a checkpoint of another emulator', async () => {
    const other = await startEmulator();
    try {
      expect(() => emulator.restore(other.checkpoint())).toThrow(/not made by the emulator at/);
    } finally {
      await other.close();
    }
  });
});
