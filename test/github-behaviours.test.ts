import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { ok, workflowRuns, workspaceWithConfig } from './harness/workflow-run.js';
import { inProcessRunner } from './harness/step-runners.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';
import { historyPayload } from '../scripts/bench/history.js';

// What github.com does that an emulator does not teach unless told, each action run in-process as its bundle
// runs it (its definition through `runAction`, with the step's inputs and action.yml's defaults): verify and accept
// only on a deployment that deployed and still runs there, accept only after a passed verification where checks
// are configured, one active deployment per environment (GitHub's auto_inactive spares production), environment
// names that ignore case, and accept's requests with a `deployment-id`.

let emulator: Emulator;
let health: HealthServer;
let workspace: string;

const workflowRun = workflowRuns(() => ({ emulator, workspace }), 4000, inProcessRunner);

/** The deployments of `environment`, oldest first, each with its statuses (`state: First word`), oldest first. */
function historyOf(environment: string): Array<{ id: number; statuses: string[] }> {
  return emulator.store.deployments
    .filter((deployment) => deployment.environment.toLowerCase() === environment)
    .map((deployment) => ({
      id: deployment.id,
      statuses: emulator.store.statuses
        .filter((status) => status.deploymentId === deployment.id)
        .map((status) => `${status.state}: ${status.description.split(/[ :]/)[0]}`),
    }));
}

/** The deployments GitHub shows as active in `environment`: newest status `success`. */
function activeIn(environment: string): number[] {
  return historyOf(environment)
    .filter((deployment) => deployment.statuses.at(-1)?.startsWith('success'))
    .map((deployment) => deployment.id);
}

/** A health URL nothing answers (port 9, discard, is closed here): its check fails at once. */
const CLOSED_PORT_URL = 'http://127.0.0.1:9/healthz';

const tagTarget = (tag: string) => emulator.git.run(['rev-parse', `refs/tags/${tag}^{commit}`]);
const tagOrNone = (tag: string) => emulator.git.run(['tag', '--list', tag]) && tagTarget(tag);

/** A commit through integration (prepared, deployed, accepted: integration configures no checks). */
async function deliverToIntegration(sha: string): Promise<void> {
  const run = workflowRun(sha);
  ok(await run.step('prepare-release', { environment: 'integration' }));
  ok(await run.step('deploy-env', { environment: 'integration', status: 'success' }));
  ok(await run.step('accept', { environment: 'integration' }));
}

/** Promotes what the environment below accepted into `environment`: prepared, deployed, verified, accepted. */
async function promote(environment: string, sha: string): Promise<string> {
  const run = workflowRun(sha);
  const prepared = ok(await run.step('prepare-release', { environment }));
  ok(await run.step('deploy-env', { environment, run: 'true' }));
  ok(await run.step('verify', { environment }));
  emulator.seed.approvals(run.id, [{ environment, user: 'lisa', comment: 'ship it' }]);
  ok(await run.step('accept', { environment }));
  return prepared.outputs['deployment-id'] ?? '';
}

beforeAll(async () => {
  emulator = await startEmulator();
  health = await startHealthServer();
  workspace = workspaceWithConfig([
    'environments:',
    '  - name: integration',
    '  - name: preproduction',
    '    verify:',
    `      - url: ${health.url}`,
    '  - name: production',
    '    url: https://example.com',
    '    approval: required',
    '    verify:',
    `      - url: ${health.url}`,
    'versioning:',
    '  starts-at: PreProduction # any case: GitHub environment names ignore it',
  ]);
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
  await health.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('verify and accept work only on a deployment that deployed and still runs there', () => {
  it('verify refuses a deployment whose deploy failed, writing nothing', async () => {
    const sha = emulator.git.commit('feat: catalogue');
    const run = workflowRun(sha);
    const prepared = ok(await run.step('prepare-release', { environment: 'integration' }));
    ok(await run.step('deploy-env', { environment: 'integration', status: 'failure' }));
    emulator.resetLog();
    const refused = await run.step('verify', { environment: 'integration', url: health.url });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringContaining(
        `Deployment ${prepared.outputs['deployment-id']} (${sha.slice(0, 7)}) in 'integration' was never deployed successfully (its latest status is 'failure': Deploy failed`,
      ),
    ]);
    expect(refused.errors[0]).toContain('Record a successful deployment with deploy-env first');
    expect(emulator.writeRequests()).toEqual([]);
    const { statuses } = historyOf('integration').at(-1) ?? { statuses: [] };
    expect(statuses).toEqual(['queued: Prepared', 'failure: Deploy']);
  });

  it('a release deployed after another supersedes it: verify and accept of the older one are refused, naming the newer', async () => {
    const a = emulator.git.commit('feat: search');
    const b = emulator.git.commit('feat: search filters');
    const runA = workflowRun(a);
    const runB = workflowRun(b);
    const deploymentA = ok(await runA.step('prepare-release', { environment: 'integration', ref: a }))
      .outputs['deployment-id'];
    ok(await runA.step('deploy-env', { environment: 'integration', status: 'success' }));
    const deploymentB = ok(await runB.step('prepare-release', { environment: 'integration', ref: b }))
      .outputs['deployment-id'];
    ok(await runB.step('deploy-env', { environment: 'integration', status: 'success' }));
    const before = tagOrNone('env/integration');
    emulator.resetLog();
    for (const action of ['verify', 'accept'] as const) {
      const inputs: Record<string, string> = { environment: 'integration' };
      if (action === 'verify') inputs.url = health.url;
      const refused = await runA.step(action, inputs);
      expect([action, refused.exitCode]).toEqual([action, 1]);
      expect(refused.errors).toEqual([
        expect.stringContaining(
          `Deployment ${deploymentA} (${a.slice(0, 7)}) in 'integration' is superseded: deployment ${deploymentB} (${b.slice(0, 7)}), run ${runB.id} was deployed there after it`,
        ),
      ]);
    }
    expect(emulator.writeRequests()).toEqual([]);
    expect(tagOrNone('env/integration')).toBe(before);
    ok(await runB.step('accept', { environment: 'integration' }));
    expect(tagTarget('env/integration')).toBe(b);
  });
});

describe('accept requires a passed verification where the environment configures checks', () => {
  it('refuses an unverified release with no write; force with a reason accepts it and records why', async () => {
    await deliverToIntegration(emulator.git.commit('feat: reviews'));
    const before = tagTarget('env/integration');
    const run = workflowRun(before);
    const prepared = ok(await run.step('prepare-release', { environment: 'preproduction' }));
    ok(await run.step('deploy-env', { environment: 'preproduction', status: 'success' }));
    emulator.resetLog();
    const refused = await run.step('accept', { environment: 'preproduction' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringContaining(
        `'preproduction' requires a passed verification before accept (environments.preproduction.verify in .github/promotion.yml`,
      ),
    ]);
    expect(emulator.writeRequests()).toEqual([]);
    expect(() => tagTarget('env/preproduction')).toThrow();

    const forced = ok(
      await run.step('accept', { environment: 'preproduction', force: 'true', reason: 'checked by hand' }),
    );
    expect(tagTarget('env/preproduction')).toBe(before);
    const accepted = emulator.store.statuses.filter(
      (status) => status.deploymentId === Number(prepared.outputs['deployment-id']),
    );
    expect(accepted.at(-1)?.description).toMatch(/^Accepted by mona; unverified, forced: checked by hand;/);
    expect(forced.summary).toContain('checked by hand');
  });

  it('a failed verification blocks accept even with force', async () => {
    const sha = emulator.git.commit('fix: basket totals');
    await deliverToIntegration(sha);
    const run = workflowRun(sha);
    ok(await run.step('prepare-release', { environment: 'preproduction' }));
    ok(await run.step('deploy-env', { environment: 'preproduction', status: 'success' }));
    const failed = await run.step('verify', {
      environment: 'preproduction',
      url: CLOSED_PORT_URL,
      attempts: '1',
    });
    expect(failed.outputs.result).toBe('failed');
    const refused = await run.step('accept', {
      environment: 'preproduction',
      force: 'true',
      reason: 'please',
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('failed verification');
    expect(refused.errors[0]).toContain('even with force');
  });
});

describe('one active deployment per environment, production included (auto_inactive spares production)', () => {
  it('each release retires the one it replaced; a rollback likewise; accept with deployment-id stays within its budget', async () => {
    // Two releases through to production.
    for (const subject of ['feat: wishlist', 'feat: gift cards']) {
      const sha = emulator.git.commit(subject);
      await deliverToIntegration(sha);
      await promote('preproduction', tagTarget('env/integration'));
      await promote('production', tagTarget('env/preproduction'));
    }
    for (const environment of ['integration', 'preproduction', 'production']) {
      expect([environment, activeIn(environment)]).toEqual([
        environment,
        [historyOf(environment).at(-1)?.id],
      ]);
    }
    const [older] = historyOf('production');
    expect(older?.statuses.at(-1)).toBe('inactive: Replaced');

    // A third release, deployed and accepted with `deployment-id`: two reads, the approvals, six writes at most.
    const sha = emulator.git.commit('feat: loyalty points');
    await deliverToIntegration(sha);
    await promote('preproduction', tagTarget('env/integration'));
    const run = workflowRun(tagTarget('env/preproduction'));
    const id =
      ok(await run.step('prepare-release', { environment: 'production' })).outputs['deployment-id'] ?? '';
    emulator.resetLog();
    ok(await run.step('deploy-env', { environment: 'production', run: 'true', 'deployment-id': id }));
    const deployRequests = emulator.requests.length;
    ok(await run.step('verify', { environment: 'production', 'deployment-id': id }));
    emulator.seed.approvals(run.id, [{ environment: 'production', user: 'lisa' }]);
    emulator.resetLog();
    ok(await run.step('accept', { environment: 'production', 'deployment-id': id }));
    const acceptRoutes = emulator.requests.map((request) => `${request.method} ${request.route}`);
    expect(acceptRoutes.length).toBeLessThanOrEqual(6);
    expect(acceptRoutes).not.toContain('GET /repos/{owner}/{repo}/deployments/{deployment_id}');
    expect(acceptRoutes).not.toContain('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses');
    expect(acceptRoutes).not.toContain('GET /repos/{owner}/{repo}/releases/tags/{tag}');
    expect(deployRequests + acceptRoutes.length).toBeLessThanOrEqual(9);
    expect(activeIn('production')).toEqual([Number(id)]);

    // Its verification fails; rollback puts production back, and only the rollback's deployment is active.
    const failed = await run.step('verify', {
      environment: 'production',
      'deployment-id': id,
      url: CLOSED_PORT_URL,
      attempts: '1',
    });
    expect(failed.outputs.result).toBe('failed');
    const rollback = ok(
      await run.step('rollback', { environment: 'production', reason: 'errors', run: 'true' }),
    );
    expect(activeIn('production')).toEqual([Number(rollback.outputs['deployment-id'])]);
  });
});

describe('environment names ignore case, as on GitHub', () => {
  it('a GitHub environment spelt Production, inputs spelt PRODUCTION: no refusal, tags in the chain’s spelling', async () => {
    const scratch = await startEmulator();
    const original = emulator;
    emulator = scratch;
    try {
      // The repository's environment was created as `Production`: GitHub reports deployments and reviews with it.
      emulator.seed.environment('Production');
      const sha = emulator.git.commit('feat: first');
      await deliverToIntegration(sha);
      await promote('preproduction', sha);
      const run = workflowRun(sha);
      const prepared = ok(await run.step('prepare-release', { environment: 'PRODUCTION' }));
      const id = prepared.outputs['deployment-id'] ?? '';
      // The suite writes (and asks for) the chain's spelling, whatever case GitHub's filters use.
      expect(emulator.store.deployments.find((deployment) => deployment.id === Number(id))?.environment).toBe(
        'production',
      );
      ok(await run.step('deploy-env', { environment: 'production', status: 'success', 'deployment-id': id }));
      ok(await run.step('verify', { environment: 'Production', 'deployment-id': id }));
      emulator.seed.approvals(run.id, [{ environment: 'production', user: 'lisa' }]);
      const accepted = ok(await run.step('accept', { environment: 'Production' }));
      expect(accepted.outputs['approved-by']).toBe('lisa');
      expect(tagTarget('env/production')).toBe(sha);
      expect(emulator.git.run(['tag', '--list', 'env/*'])).not.toMatch(/Production|PRODUCTION/);

      // A deployment recorded as `Production` (e.g. by an earlier configuration), named by `deployment-id`.
      const [spelt] = emulator.seed.deployments('Production', 1, {
        sha,
        state: 'queued',
        payload: historyPayload(emulator, 'Production', sha, run.id),
      });
      ok(
        await run.step('deploy-env', {
          environment: 'production',
          status: 'success',
          'deployment-id': `${spelt}`,
        }),
      );
      expect(emulator.problems).toEqual([]);
    } finally {
      emulator = original;
      await scratch.close();
    }
  });
});
