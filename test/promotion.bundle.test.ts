import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { ok, workflowRuns, workspaceWithConfig, type WorkflowRun } from './harness/workflow-run.js';
import { inProcessRunner } from './harness/step-runners.js';

let emulator: Emulator;
let health: Server;
let healthUrl: string;
let workspace: string;

/** A service whose /healthz answers 200 "ok", and /broken answers 500. */
function startHealthServer(): Promise<string> {
  health = createServer((request, response) => {
    const ok = request.url === '/healthz';
    response.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' });
    response.end(ok ? 'ok' : 'down');
  });
  return new Promise((resolve) => {
    health.listen(0, '127.0.0.1', () => {
      const address = health.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

// The promotion through integration and preproduction, and the status of every environment, run the committed
// bundles as the runner does; production, the gate, verification failures and rollback run each action
// in-process, through the same runner as its bundle (`runAction`).
const workflowRun = workflowRuns(() => ({ emulator, workspace }), 500);
const inProcessRun = workflowRuns(() => ({ emulator, workspace }), 800, inProcessRunner);

/** Continuous deployment of a pushed commit: prepared, deployed and accepted in integration by one run. */
async function deliverToIntegration(
  sha: string,
  start: (sha: string) => WorkflowRun = workflowRun,
): Promise<void> {
  const run = start(sha);
  ok(await run.step('prepare-release', { environment: 'integration' }));
  ok(await run.step('deploy-env', { environment: 'integration', status: 'success' }));
  ok(await run.step('accept', { environment: 'integration' }));
}

const tagTarget = (tag: string) => emulator.git.run(['rev-parse', `refs/tags/${tag}^{commit}`]);
const statesOf = (deploymentId: string) =>
  emulator.store.statuses
    .filter((status) => status.deploymentId === Number(deploymentId))
    .map((status) => `${status.state}: ${status.description.split(' ')[0]}`);
const releaseOf = (tag: string) => emulator.store.releases.find((release) => release.tagName === tag);

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.seed.user('mona', 'mona@example.com');
  healthUrl = await startHealthServer();
  workspace = workspaceWithConfig([
    'environments:',
    '  - name: integration',
    '  - name: preproduction',
    '    url: https://pre.example.com',
    '    verify:',
    `      - url: ${healthUrl}/healthz`,
    '        body-contains: ok',
    '  - name: production',
    '    url: https://example.com',
    '    approval: required',
    '    prevent-self-approval: true',
  ]);
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  expect(emulator.requests.filter((request) => request.route === 'UNMATCHED')).toEqual([]);
  await emulator.close();
  health.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('a commit promoted from integration to production, by the bundles up to preproduction', () => {
  let sha: string;

  it('integration: continuous deployment of the pushed commit', async () => {
    sha = emulator.git.commit('feat: product catalogue', {
      author: { name: 'Mona', email: 'mona@example.com' },
    });
    const run = workflowRun(sha);
    const prepared = ok(await run.step('prepare-release', { environment: 'integration' }));
    expect(prepared.outputs).toMatchObject({
      sha,
      version: '',
      tag: '',
      'previous-sha': '',
      'release-url': '',
    });
    const deploymentId = prepared.outputs['deployment-id'] ?? '';

    const deployed = ok(
      await run.step('deploy-env', {
        environment: 'integration',
        run: 'echo "deploying $RELEASE_SHA to $RELEASE_ENVIRONMENT as deployment $RELEASE_DEPLOYMENT_ID"',
      }),
    );
    expect(deployed.outputs).toEqual({
      'deployment-id': deploymentId,
      status: 'success',
      'steps-completed': '1',
      'rolled-back': 'false',
    });
    expect(deployed.stdout).toContain(`deploying ${sha} to integration as deployment ${deploymentId}`);

    const verified = ok(
      await run.step('verify', { environment: 'integration', url: `${healthUrl}/healthz`, attempts: '1' }),
    );
    expect(verified.outputs.result).toBe('passed');
    expect(JSON.parse(verified.outputs.report ?? '{}')).toMatchObject({ result: 'passed' });

    const accepted = ok(await run.step('accept', { environment: 'integration' }));
    expect(accepted.outputs).toEqual({
      sha,
      version: '',
      'next-environment': 'preproduction',
      'approved-by': '',
    });
    expect(tagTarget('env/integration')).toBe(sha);
    expect(statesOf(deploymentId)).toEqual([
      'queued: Prepared',
      'in_progress: Deploying',
      'success: Deployed',
      'success: Verified:',
      'success: Accepted',
    ]);
  });

  it('preproduction: the first version, its annotated tag and a prerelease', async () => {
    const run = workflowRun(sha);
    const prepared = ok(await run.step('prepare-release', { environment: 'preproduction' }));
    expect(prepared.outputs).toMatchObject({ sha, version: '1.0.0', tag: 'v1.0.0', 'previous-sha': '' });
    expect(prepared.outputs['release-url']).toMatch(/releases\/tag\/v1\.0\.0$/);
    expect(prepared.outputs['release-notes']).toContain('product catalogue');
    expect(tagTarget('v1.0.0')).toBe(sha);
    expect(emulator.git.run(['cat-file', '-t', 'refs/tags/v1.0.0'])).toBe('tag');
    expect(releaseOf('v1.0.0')).toMatchObject({ prerelease: true, draft: false });

    const id = prepared.outputs['deployment-id'] ?? '';
    ok(
      await run.step('deploy-env', { environment: 'preproduction', 'deployment-id': id, status: 'success' }),
    );
    const verified = ok(await run.step('verify', { environment: 'preproduction', 'deployment-id': id }));
    expect(verified.summary).toContain('/healthz');
    const accepted = ok(await run.step('accept', { environment: 'preproduction', 'deployment-id': id }));
    expect(accepted.outputs).toEqual({
      sha,
      version: '1.0.0',
      'next-environment': 'production',
      'approved-by': '',
    });
    expect(tagTarget('env/preproduction')).toBe(sha);
    expect(releaseOf('v1.0.0')).toMatchObject({ prerelease: true });
  });

  it('production: refused without an approval, accepted with one; the release becomes final and latest', async () => {
    // In-process (the bundles ran each of these actions above, and the environments' status below).
    const run = inProcessRun(sha, 'mona');
    const prepared = ok(await run.step('prepare-release', { environment: 'production' }));
    expect(prepared.outputs).toMatchObject({ sha, version: '1.0.0', tag: 'v1.0.0' });
    // What approvers see before approving: who wrote it and what preproduction recorded.
    expect(prepared.summary).toMatch(/\| Authors \| \S/);
    expect(prepared.summary).toContain(
      '| Verified in `preproduction` | ✅ Verified: 1 check\\(s\\) passed (',
    );
    expect(prepared.summary).toMatch(/\| Accepted in `preproduction` \| Accepted by /);
    ok(await run.step('deploy-env', { environment: 'production', status: 'success' }));

    const refused = await run.step('accept', { environment: 'production' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([expect.stringContaining("'production' requires an approval")]);

    emulator.seed.approvals(run.id, [{ environment: 'production', user: 'lisa', comment: 'looks good' }]);
    const accepted = ok(await run.step('accept', { environment: 'production' }));
    expect(accepted.outputs).toEqual({
      sha,
      version: '1.0.0',
      'next-environment': '',
      'approved-by': 'lisa',
    });
    expect(accepted.summary).toContain('now final and latest');
    expect(tagTarget('env/production')).toBe(sha);
    expect(releaseOf('v1.0.0')).toMatchObject({ prerelease: false });
    const latest = await fetch(`${emulator.url}/repos/${emulator.fullName}/releases/latest`, {
      headers: { authorization: 'token test' },
    });
    expect(((await latest.json()) as { tag_name: string }).tag_name).toBe('v1.0.0');
    const deploymentId = prepared.outputs['deployment-id'] ?? '';
    expect(statesOf(deploymentId)).toEqual(['queued: Prepared', 'success: Deployed', 'success: Accepted']);
    // The approval audit: on the deployment, in the Release and in the summary.
    expect(emulator.store.statuses.at(-1)?.description).toBe(
      'Accepted by mona; prepared by mona; approved by lisa ("looks good")',
    );
    expect(releaseOf('v1.0.0')?.body).toContain(
      `- Accepted in **production** by mona (run ${run.id}); prepared by mona; approved by lisa: “looks good”`,
    );
    expect(accepted.summary).toContain('lisa: “looks good”');
    expect(accepted.summary).toMatch(/Prepared by \| mona/);
  });

  it('status reports every environment as JSON and as a table with a diagram', async () => {
    const result = ok(await workflowRun(sha).step('status', { board: 'board/index.html' }));
    // The delivery metrics of production: one release, accepted, never failed.
    expect(JSON.parse(result.outputs.metrics ?? '{}')).toMatchObject({
      environment: 'production',
      windowDays: 30,
      deployments: 1,
      changeFailureRate: { failed: 0, total: 1, rate: 0 },
      leadTimeHours: { samples: 1 },
      requests: 1,
    });
    expect(result.summary).toContain('### Delivery metrics: `production`, last 30 days');
    // The board page, written in the workspace.
    expect(result.outputs.board).toBe(join(workspace, 'board', 'index.html'));
    const page = readFileSync(result.outputs.board ?? '', 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('data-metric="deployments"');
    const environments = JSON.parse(result.outputs.environments ?? '[]') as Array<Record<string, unknown>>;
    expect(
      environments.map((environment) => [environment.environment, environment.sha, environment.version]),
    ).toEqual([
      ['integration', sha, null],
      ['preproduction', sha, '1.0.0'],
      ['production', sha, '1.0.0'],
    ]);
    expect(result.summary).toContain('| Environment | Version | Commit |');
    expect(result.summary).toContain('```mermaid');
  });
});

describe('the gate, verification failures and rollback, in-process', () => {
  it('refuses to prepare for production a commit never accepted in preproduction, with no write', async () => {
    const sha = emulator.git.commit('fix: only in integration');
    await deliverToIntegration(sha, inProcessRun);

    emulator.resetLog();
    const refused = await inProcessRun(sha).step('prepare-release', { environment: 'production', ref: sha });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toContain(
      "was never accepted in 'preproduction', so it cannot be prepared for 'production'",
    );
    expect(emulator.writeRequests()).toEqual([]);
  });

  it('a failed verification blocks accept; rollback restores the previous release and bars the bad one', async () => {
    const good = tagTarget('env/preproduction');
    const bad = emulator.git.commit('feat: risky search');
    await deliverToIntegration(bad, inProcessRun);

    const promote = inProcessRun(bad);
    const prepared = ok(await promote.step('prepare-release', { environment: 'preproduction' }));
    expect(prepared.outputs.version).toBe('1.1.0');
    ok(await promote.step('deploy-env', { environment: 'preproduction', status: 'success' }));
    ok(await promote.step('verify', { environment: 'preproduction' }));
    ok(await promote.step('accept', { environment: 'preproduction' }));
    expect(tagTarget('env/preproduction')).toBe(bad);

    // A later check of the same deployment fails: accept now refuses it.
    const failed = await promote.step('verify', {
      environment: 'preproduction',
      url: `${healthUrl}/broken`,
      attempts: '2',
      interval: '0',
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs.result).toBe('failed');
    const refused = await promote.step('accept', { environment: 'preproduction' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('failed verification');

    const rollback = ok(
      await promote.step('rollback', {
        environment: 'preproduction',
        reason: 'search errors',
        run: 'echo redeploying',
      }),
    );
    expect(rollback.outputs).toMatchObject({ sha: good, version: '1.0.0', 'rolled-back-sha': bad });
    expect(tagTarget('env/preproduction')).toBe(good);
    const rollbackDeployment = emulator.store.deployments.find(
      (deployment) => deployment.id === Number(rollback.outputs['deployment-id']),
    );
    expect(JSON.stringify(rollbackDeployment?.payload)).toContain('"kind":"rollback"');
    expect(JSON.stringify(rollbackDeployment?.payload)).toContain('search errors');

    const again = await inProcessRun(bad).step('prepare-release', { environment: 'preproduction', ref: bad });
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toContain("was rolled back in 'preproduction'");
    const forced = ok(
      await inProcessRun(bad).step('prepare-release', {
        environment: 'preproduction',
        ref: bad,
        force: 'true',
        reason: 'search fixed by a flag',
      }),
    );
    expect(forced.summary).toMatch(
      /Gate overridden: .*rolled back in preproduction; reason: search fixed by a flag/,
    );
  });

  it('rollback after a verification that failed before accept: back on the accepted release, the bad one barred', async () => {
    const good = tagTarget('env/preproduction');
    const bad = emulator.git.commit('fix: slow checkout');
    await deliverToIntegration(bad, inProcessRun);

    const promote = inProcessRun(bad);
    const prepared = ok(await promote.step('prepare-release', { environment: 'preproduction' }));
    ok(await promote.step('deploy-env', { environment: 'preproduction', status: 'success' }));
    const failed = await promote.step('verify', {
      environment: 'preproduction',
      url: `${healthUrl}/broken`,
      attempts: '1',
    });
    expect(failed.exitCode).toBe(1);

    // The rollback step of the same job (if: failure()).
    const rollback = ok(
      await promote.step('rollback', { environment: 'preproduction', reason: 'verify failed' }),
    );
    expect(rollback.outputs).toMatchObject({ sha: good, 'rolled-back-sha': bad });
    expect(tagTarget('env/preproduction')).toBe(good);
    expect(statesOf(prepared.outputs['deployment-id'] ?? '').at(-1)).toBe('error: Rolled');
    const again = await inProcessRun(bad).step('prepare-release', { environment: 'preproduction' });
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toContain("was rolled back in 'preproduction' (Rolled back to");
  });
});
