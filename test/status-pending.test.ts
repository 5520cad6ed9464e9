import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { statusSummary } from '../packages/core/src/report/status-summary.js';
import { setDeploymentState } from '../packages/core/src/state/deployments.js';
import { readStatus } from '../packages/core/src/use-cases/status.js';
import { coreRun, promoteWithCore } from './harness/promotion-state.js';

// status between neighbours: what integration accepted and production has not (count, authors, the oldest
// waiting and since when), environments that have gone too long without a release, and a release rolling out
// in production (or held there by its rollout) while production still runs the one it accepted.

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** When the deployment of `sha` in `environment` got its `Accepted` status. */
function acceptedAt(environment: string, sha: string): string {
  const deployment = emulator.store.deployments.find(
    (candidate) => candidate.environment === environment && candidate.sha === sha,
  );
  const status = emulator.store.statuses.find(
    (candidate) => candidate.deploymentId === deployment?.id && candidate.description.startsWith('Accepted'),
  );
  if (!status) throw new Error(`no acceptance of ${sha} in ${environment}`);
  return status.createdAt;
}

describe('status: pending changes and stale environments', () => {
  it('lists what waits for production: count, authors, the oldest and since when integration accepted it', async () => {
    emulator.seed.user('ada', 'ada@example.com');
    emulator.seed.user('linus', 'linus@example.com');
    const base = emulator.git.commit('feat: catalogue', {
      author: { name: 'Ada', email: 'ada@example.com' },
    });
    await promoteWithCore(emulator, 'integration', base, 101, 'accepted');
    await promoteWithCore(emulator, 'production', base, 102, 'accepted');
    const first = emulator.git.commit('fix: basket totals', {
      author: { name: 'Linus', email: 'linus@example.com' },
    });
    await promoteWithCore(emulator, 'integration', first, 103, 'accepted');
    const second = emulator.git.commit('feat: wish list', {
      author: { name: 'Grace Hopper', email: 'grace@example.com' },
    });
    await promoteWithCore(emulator, 'integration', second, 104, 'accepted');
    const third = emulator.git.commit('docs: readme', { author: { name: 'Ada', email: 'ada@example.com' } });
    await promoteWithCore(emulator, 'integration', third, 105, 'accepted');

    emulator.resetLog();
    const report = await readStatus(coreRun(emulator, 300, third), { now: new Date() });
    expect(emulator.requests).toHaveLength(1);
    const production = report.environments.find((environment) => environment.environment === 'production');
    expect(production?.pending).toMatchObject({
      from: 'integration',
      count: 3,
      authors: ['linus', 'Grace Hopper', 'ada'],
      oldest: {
        sha: first,
        subject: 'fix: basket totals',
        // Production runs `base`; integration accepted `first` (the oldest commit production lacks) first.
        waitingSince: acceptedAt('integration', first),
      },
    });
    expect(production?.pending?.oldest?.committedAt).toEqual(expect.any(String));
    expect(production?.pending?.commits.map((commit) => commit.subject)).toEqual([
      'fix: basket totals',
      'feat: wish list',
      'docs: readme',
    ]);
    const summary = statusSummary(report);
    expect(summary).toContain('3 from `integration`, 3 authors, oldest waiting since ');
  });

  it('flags an environment without a new release for longer than the threshold', async () => {
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    await promoteWithCore(emulator, 'production', sha, 102, 'accepted');
    const accepted = Date.parse(acceptedAt('production', sha));

    const soon = await readStatus(coreRun(emulator, 300, sha), {
      now: new Date(accepted + 13.5 * DAY_MS),
      staleAfterDays: 14,
    });
    expect(soon.environments.map((environment) => [environment.daysSinceRelease, environment.stale])).toEqual(
      [
        [13, false],
        [13, false],
      ],
    );

    const late = await readStatus(coreRun(emulator, 300, sha), {
      now: new Date(accepted + 15.2 * DAY_MS),
      staleAfterDays: 14,
    });
    const production = late.environments.find((environment) => environment.environment === 'production');
    expect([production?.daysSinceRelease, production?.stale]).toEqual([15, true]);
    expect(statusSummary(late)).toContain('⚠️ no release for 15 days');
  });

  it('has nothing waiting and no age where nothing was released', async () => {
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    const report = await readStatus(coreRun(emulator, 300, sha));
    const [integration, production] = report.environments;
    expect(integration?.pending).toBeNull();
    expect(production).toMatchObject({
      sha: null,
      acceptedAt: null,
      daysSinceRelease: null,
      stale: false,
      pending: { from: 'integration', count: null, commits: [], authors: [], oldest: null },
    });
  });

  it('reports production’s rollout in progress, then the release its rollout halted, in the one request', async () => {
    const { base, next, deploymentId, run, record } = await rollingOutInProduction();

    emulator.resetLog();
    const rolling = await readStatus(run);
    expect(emulator.requests).toHaveLength(1);
    const production = rolling.environments.find((environment) => environment.environment === 'production');
    // Production still runs what it accepted; its newest deployment rolls the next commit out.
    expect(production?.sha).toBe(base);
    expect(production?.rollout).toEqual({
      step: 2,
      steps: 3,
      label: '50%',
      state: 'in-progress',
      description: 'Step 2/3: 50% — watching 10m',
      rolledBack: null,
      at: expect.any(String),
      deploymentId,
      sha: next,
      version: '1.1.0',
    });
    expect(rolling.environments[0]?.rollout).toBeNull();
    expect(statusSummary(rolling)).toContain(`rolling out: step 2 of 3 (50%)`);

    await record('failure', 'Rollout halted at step 2/3 (50%): error rate 7%');
    emulator.resetLog();
    const halted = await readStatus(run);
    expect(emulator.requests).toHaveLength(1);
    expect(halted.environments[1]?.rollout).toMatchObject({
      state: 'halted',
      step: 2,
      steps: 3,
      rolledBack: false,
    });
    expect(statusSummary(halted)).toContain('rollout halted at step 2 of 3 (50%); held here');
  });

  it('reports a failed rollout while it rolls back, then once it rolled back', async () => {
    const { run, record } = await rollingOutInProduction();
    await record('failure', 'Rollout failed at step 2/3 (50%), rolling back: error rate 7%');
    const rollingBack = await readStatus(run);
    expect(rollingBack.environments[1]?.rollout).toMatchObject({
      state: 'failed',
      step: 2,
      rolledBack: null,
    });
    expect(statusSummary(rollingBack)).toContain('rollout failed at step 2 of 3 (50%); held here');

    await record('failure', 'Rollout failed at step 2/3 (50%), rolled back: error rate 7%');
    const undone = await readStatus(run);
    expect(undone.environments[1]?.rollout).toMatchObject({
      state: 'failed',
      step: 2,
      rolledBack: true,
      description: 'Rollout failed at step 2/3 (50%), rolled back: error rate 7%',
    });
    expect(statusSummary(undone)).toContain('rollout failed at step 2 of 3 (50%), rolled back; held here');
  });
});

/**
 * Production accepted `base`; the next commit (accepted in integration) is prepared there and its canary got
 * to step 2/3. `record` writes a further status of that deployment.
 */
async function rollingOutInProduction() {
  const base = emulator.git.commit('feat: catalogue');
  await promoteWithCore(emulator, 'integration', base, 101, 'accepted');
  await promoteWithCore(emulator, 'production', base, 102, 'accepted');
  const next = emulator.git.commit('feat: wish list');
  await promoteWithCore(emulator, 'integration', next, 103, 'accepted');
  const deploymentId = await promoteWithCore(emulator, 'production', next, 104, 'prepared');
  const run = coreRun(emulator, 300, next);
  const record = (state: 'in_progress' | 'failure', description: string) =>
    setDeploymentState(run.client, { owner: emulator.owner, repo: emulator.repo }, deploymentId, {
      state,
      description,
    });
  for (const step of ['Deploying', 'Step 1/3: 10% — watching 10m', 'Step 2/3: 50% — watching 10m']) {
    await record('in_progress', step);
  }
  return { base, next, deploymentId, run, record };
}
