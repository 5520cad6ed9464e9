import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { UserError } from '../src/errors.js';
import { createGitHubClient } from '../src/github/client.js';
import type { RunContext } from '../src/run-context.js';
import { readReleasePayload } from '../src/state/deployment-payload.js';
import { RELEASE_BODY_LIMIT } from '../src/state/github-release.js';
import { prepareRelease } from '../src/use-cases/prepare-release.js';
import { recordingLogger } from './support/loggers.js';

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

describe('prepareRelease: overrides and notes too long for a Release', () => {
  it('records a gate override with its kind and the reason; the payload keeps its forced reason', async () => {
    const unaccepted = emulator.git.commit('fix: never accepted in integration');
    const release = await prepareRelease(dependencies(), {
      environment: 'preproduction',
      ref: unaccepted,
      force: true,
      reason: 'hotfix for incident 42',
      dryRun: false,
    });
    const what = `commit ${unaccepted.slice(0, 7)} was not accepted in integration`;
    expect(release.overrides).toEqual([{ kind: 'gate', description: what }]);
    expect(release.reason).toBe('hotfix for incident 42');
    const deployment = emulator.store.deployments.find((candidate) => candidate.id === release.deploymentId);
    expect(readReleasePayload(deployment?.payload)?.forced).toEqual({
      reason: `hotfix for incident 42 (${what})`,
    });
  });

  it('writes a Release body cut to the limit GitHub sets, decided before any write; the notes keep every commit', async () => {
    const subject = (index: number) => `feat: change ${index} ${'with a long subject '.repeat(8)}`;
    const shas = emulator.git.commits(800, { message: (index) => subject(index + 1) });
    const head = shas.at(-1) as string;
    const base = emulator.git.run(['rev-parse', `${shas[0]}^`]).trim();
    emulator.git.run(['update-ref', 'refs/tags/env/preproduction', base]);
    emulator.git.run(['update-ref', 'refs/tags/env/integration', head]);

    const planned = await prepareRelease(dependencies(), {
      environment: 'preproduction',
      force: false,
      dryRun: true,
    });
    const release = await prepareRelease(dependencies(), {
      environment: 'preproduction',
      force: false,
      dryRun: false,
    });
    expect(release.totalChanges).toBe(800);
    for (let index = 1; index <= 800; index += 1) expect(release.releaseNotes).toContain(`change ${index} `);
    expect(release.releaseNotes.length).toBeGreaterThan(RELEASE_BODY_LIMIT);
    expect(release.releaseBody.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(release.releaseBody).toMatch(
      /\n… and \d+ more commits \(the full changelog below lists them all\)\n/,
    );
    expect(release.releaseBody).toContain(`/compare/${base}...${head})`);
    expect(planned.releaseBody).toBe(release.releaseBody);
    const stored = emulator.store.releases.find((candidate) => candidate.tagName === release.tag);
    expect(stored?.body).toBe(release.releaseBody);
  });
});
