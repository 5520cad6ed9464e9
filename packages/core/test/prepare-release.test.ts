import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import {
  createGitHubClient,
  parsePromotionConfig,
  prepareRelease,
  readReleasePayload,
  recordingLogger,
  UserError,
  type RunContext,
} from '../src/index.js';

let emulator: Emulator;
let context: RunContext;
const config = parsePromotionConfig('environments: [integration, preproduction, production]', 'test');

let runId = 7000;

/** Each call is a new workflow run. */
function dependencies() {
  runId += 1;
  return {
    client: createGitHubClient({ token: 'test-token', baseUrl: emulator.url, retries: 0 }),
    context: { ...context, runId },
    logger: recordingLogger(),
    config,
  };
}

beforeAll(async () => {
  emulator = await startEmulator();
  const sha = emulator.git.commit('feat: first feature');
  context = {
    owner: emulator.owner,
    repo: emulator.repo,
    sha,
    ref: 'refs/heads/main',
    runId: 7001,
    runAttempt: 1,
    actor: 'octocat',
    serverUrl: 'https://github.com',
    apiUrl: emulator.url,
    workflow: 'CD',
    job: 'deploy',
    workspace: undefined,
  };
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

describe('prepareRelease (core, on the emulator)', () => {
  it('creates a queued deployment of the run commit with the release recorded in its payload', async () => {
    emulator.resetLog();
    const release = await prepareRelease(dependencies(), {
      environment: 'integration',
      force: false,
      dryRun: false,
    });

    expect(release.commit.sha).toBe(context.sha);
    expect(release.deploymentId).toEqual(expect.any(Number));
    expect(release.previous?.sha).toBeUndefined();
    expect(release.nextEnvironment).toBe('preproduction');

    const deployment = emulator.store.deployments.find((candidate) => candidate.id === release.deploymentId);
    expect(deployment).toMatchObject({ sha: context.sha, environment: 'integration', task: 'deploy' });
    const record = readReleasePayload(deployment?.payload);
    expect(record).toMatchObject({
      kind: 'release',
      environment: 'integration',
      sha: context.sha,
      version: null,
      previous: null,
      run: { id: 7001, attempt: 1, url: 'https://github.com/octo-org/shop/actions/runs/7001/attempts/1' },
      actor: 'octocat',
      rollback: null,
      forced: null,
    });
    const statuses = emulator.store.statuses.filter((status) => status.deploymentId === release.deploymentId);
    expect(statuses.map((status) => status.state)).toEqual(['queued']);

    // Exact request budget: one GraphQL read (the commit, the environment tag, this commit's earlier deployment
    // here, the newest deployments to retire one never deployed), the deployment and its status.
    expect(emulator.requestCounts()).toEqual({
      'POST /graphql': 1,
      'POST /repos/{owner}/{repo}/deployments': 1,
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': 1,
    });
  });

  it('finds the release accepted in the environment and lists what changed since', async () => {
    const accepted = emulator.git.commit('fix: accepted before');
    emulator.git.run(['update-ref', 'refs/tags/env/integration', accepted]);
    emulator.git.commit('feat: one');
    const head = emulator.git.commit('fix: two');

    const release = await prepareRelease(dependencies(), {
      environment: 'integration',
      ref: head,
      force: false,
      dryRun: false,
    });
    expect(release.previous?.sha).toBe(accepted);
    expect(release.changes.map((change) => change.subject)).toEqual(['feat: one', 'fix: two']);
    expect(release.totalChanges).toBe(2);
  });

  it('writes nothing in a dry run', async () => {
    emulator.resetLog();
    const release = await prepareRelease(dependencies(), {
      environment: 'integration',
      force: false,
      dryRun: true,
    });
    expect(release.deploymentId).toBeUndefined();
    expect(emulator.writeRequests()).toEqual([]);
  });

  it('refuses a ref that does not exist, before writing anything', async () => {
    emulator.resetLog();
    await expect(
      prepareRelease(dependencies(), {
        environment: 'integration',
        force: false,
        ref: 'no-such-branch',
        dryRun: false,
      }),
    ).rejects.toThrow(/'no-such-branch' \(input 'ref'\) is not a commit, branch or tag of octo-org\/shop/);
    expect(emulator.writeRequests()).toEqual([]);
  });

  it('refuses to promote when nothing is accepted below yet, without writing', async () => {
    emulator.resetLog();
    await expect(
      prepareRelease(dependencies(), { environment: 'production', force: false, dryRun: false }),
    ).rejects.toThrow(UserError);
    await expect(
      prepareRelease(dependencies(), { environment: 'production', force: false, dryRun: false }),
    ).rejects.toThrow("Nothing has been accepted in 'preproduction' yet");
    expect(emulator.writeRequests()).toEqual([]);
  });
});
