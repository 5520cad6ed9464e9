/**
 * Tag writes GitHub refuses, each action run in-process through the same runner as its bundle (`runAction`, with
 * the step's inputs and action.yml's defaults), rollback's redeploy in its workspace as the bundle: the `workflows`
 * permission rule (a tag on a commit
 * whose `.github/workflows` differ from main's, with a GITHUB_TOKEN) and a tag ruleset. Each action that writes a
 * tag fails with one error quoting GitHub and giving the fix, leaves a job summary, leaves no torn state, and a
 * re-run with a token that may write the tag completes the step.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '@release-promotion/emulator';
import { promoteWithCore, promotionSnapshot } from './harness/promotion-state.js';
import { runStep, type ScenarioStep } from './harness/reliability-scenarios.js';
import { TEST_TOKEN, type ActionResult } from './harness/run-action.js';
import { bundleRunner, inProcessRunner } from './harness/step-runners.js';

/** An installation token of a GitHub App granted `workflows: write`; the harness's own token never is. */
const APP_TOKEN = 'ghs_appTokenWithWorkflowsWrite0123456789';
/** The token of the in-process runs that build the state (`promoteWithCore`). */
const CORE_TOKEN = 't';
const WORKFLOWS_RULE: EmulatorOptions = {
  workflowsRule: { tokensWithWorkflowsPermission: [APP_TOKEN, CORE_TOKEN] },
};
const WORKFLOW = (events: string) => ({ '.github/workflows/ci.yml': `on: ${events}\njobs: {}\n` });
const REFUSED_WORKFLOW =
  'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission';

const emulators: Emulator[] = [];
const workspaces: string[] = [];

afterEach(async () => {
  for (const emulator of emulators.splice(0)) {
    expect(emulator.problems).toEqual([]);
    await emulator.close();
  }
  for (const workspace of workspaces.splice(0)) rmSync(workspace, { recursive: true, force: true });
});

async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulators.push(emulator);
  return emulator;
}

/**
 * Runs a step as attempt `attempt`, with the harness's GITHUB_TOKEN or the GitHub App token. With a workspace, as
 * the bundle: a command the step runs works in the process's directory, the workspace only as the runner starts it.
 */
function rerun(emulator: Emulator, step: ScenarioStep, attempt: number, token: string, workspace?: string) {
  if (token === TEST_TOKEN && !workspace) return runStep(emulator, step, attempt, inProcessRunner);
  return (workspace ? bundleRunner : inProcessRunner)(step.action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha: step.sha,
    runId: step.runId,
    runAttempt: attempt,
    token,
    inputs: { environments: 'integration, production', ...step.inputs },
    env: { RELEASE_PROMOTION_RETRY_UNIT_MS: '1', RELEASE_PROMOTION_REQUEST_TIMEOUT_MS: '2000' },
    ...(workspace ? { workspace } : {}),
  });
}

/** The commit a tag leads to ('' when there is no such tag). */
const tagOf = (emulator: Emulator, name: string) =>
  emulator.git
    .run(['for-each-ref', '--format=%(*objectname)%(objectname)', `refs/tags/${name}`])
    .slice(0, 40);

const lastStatus = (emulator: Emulator, deploymentId: number) =>
  emulator.store.statuses.filter((status) => status.deploymentId === deploymentId).at(-1)?.description ?? '';

/** The refusal of a tag write by the workflows rule, as the error line and the job summary tell it. */
function expectWorkflowsRefusal(
  result: ActionResult,
  action: string,
  environment: string,
  ref: string,
): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  const error = result.errors[0] ?? '';
  expect(error).toContain(`GitHub refused to write ${ref}: "${REFUSED_WORKFLOW}".`);
  expect(error).toContain(
    "Use a GitHub App installation token with 'contents: write' and 'workflows: write' (e.g. from " +
      "actions/create-github-app-token), passed as the action's 'token' input",
  );
  expect(error).toContain('permission-workflows: write');
  expect(error).toContain(`uses: octo-org/release-promotion/${action}@v1`);
  expect(result.summary).toContain(`### ❌ \`${action}\` in \`${environment}\` was refused`);
  expect(result.summary).toContain(`**Why:** GitHub answered “refusing to allow a GitHub App`);
  expect(result.summary).toContain("**How to fix it:** The token lacks the 'workflows' permission");
  expect(result.summary).toContain('permission-workflows: write');
}

describe('prepare-release, when GitHub refuses the version tag for the workflows permission', () => {
  it('fails before any deployment with the fix, and a re-run with an app token completes it', async () => {
    const emulator = await emulatorWith(WORKFLOWS_RULE);
    const sha = emulator.git.commit('feat: catalogue', { files: WORKFLOW('push') });
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    emulator.git.commit('ci: also on pull requests', { files: WORKFLOW('[push, pull_request]') });
    const step: ScenarioStep = {
      action: 'prepare-release',
      runId: 300,
      sha,
      inputs: { environment: 'production' },
    };
    const before = promotionSnapshot(emulator);

    const refused = await runStep(emulator, step, 1, inProcessRunner);
    expectWorkflowsRefusal(refused, 'prepare-release', 'production', 'refs/tags/v1.0.0');
    expect(promotionSnapshot(emulator)).toEqual(before);
    expect(
      emulator.store.deployments.filter((deployment) => deployment.environment === 'production'),
    ).toEqual([]);

    const completed = await rerun(emulator, step, 2, APP_TOKEN);
    expect(completed.exitCode).toBe(0);
    expect(tagOf(emulator, 'v1.0.0')).toBe(sha);
    expect(completed.outputs['deployment-id']).toMatch(/^\d+$/);
  });
});

describe('accept, when GitHub refuses the environment tag for the workflows permission', () => {
  it('marks nothing accepted (the tag is swapped first), and a re-run with an app token completes it', async () => {
    const emulator = await emulatorWith(WORKFLOWS_RULE);
    const sha = emulator.git.commit('feat: catalogue', { files: WORKFLOW('push') });
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    const deployment = await promoteWithCore(emulator, 'production', sha, 300, 'deployed');
    emulator.git.commit('ci: also on pull requests', { files: WORKFLOW('[push, pull_request]') });
    const step: ScenarioStep = {
      action: 'accept',
      runId: 300,
      sha,
      inputs: { environment: 'production', approval: 'none' },
    };
    const before = promotionSnapshot(emulator);
    emulator.resetLog();

    const refused = await runStep(emulator, step, 1, inProcessRunner);
    expectWorkflowsRefusal(refused, 'accept', 'production', 'refs/tags/env/production');
    // Its one write was the refused tag swap: no status, no Release change, nothing half done.
    expect(emulator.writeRequests().map((request) => request.graphqlOperation ?? request.route)).toEqual([
      'mutation SwapRef',
    ]);
    expect(promotionSnapshot(emulator)).toEqual(before);
    expect(lastStatus(emulator, deployment)).toMatch(/^Deployed/);

    const completed = await rerun(emulator, step, 2, APP_TOKEN);
    expect(completed.exitCode).toBe(0);
    expect(tagOf(emulator, 'env/production')).toBe(sha);
    expect(lastStatus(emulator, deployment)).toMatch(/^Accepted/);
  });
});

describe('rollback, when GitHub refuses to move the environment tag back for the workflows permission', () => {
  it('says the redeploy was done but the tag did not move; a re-run with an app token completes it without redeploying', async () => {
    const emulator = await emulatorWith(WORKFLOWS_RULE);
    const good = emulator.git.commit('feat: catalogue', { files: WORKFLOW('push') });
    await promoteWithCore(emulator, 'integration', good, 101, 'accepted');
    const bad = emulator.git.commit('fix: risky, and CI on pull requests', {
      files: WORKFLOW('[push, pull_request]'),
    });
    const badDeployment = await promoteWithCore(emulator, 'integration', bad, 102, 'accepted');
    const workspace = mkdtempSync(join(tmpdir(), 'rollback-workspace-'));
    workspaces.push(workspace);
    const step: ScenarioStep = {
      action: 'rollback',
      runId: 300,
      sha: bad,
      inputs: { environment: 'integration', reason: 'errors', run: 'echo "$RELEASE_SHA" >> redeploys.log' },
    };
    const redeploys = () =>
      readFileSync(join(workspace, 'redeploys.log'), 'utf8').split('\n').filter(Boolean);

    const refused = await rerun(emulator, step, 1, TEST_TOKEN, workspace);
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toMatch(
      /redeployed .* in 'integration' .*but GitHub refused to move the environment tag/,
    );
    expect(refused.errors[0]).toContain(REFUSED_WORKFLOW);
    expect(refused.errors[0]).toContain("'workflows: write'");
    expect(refused.errors[0]).toContain('actions/create-github-app-token');
    expect(refused.summary).toContain('### ❌ `rollback` in `integration` was refused');
    expect(redeploys()).toEqual([good]);
    expect(tagOf(emulator, 'env/integration')).toBe(bad);

    const completed = await rerun(emulator, step, 2, APP_TOKEN, workspace);
    expect(completed.exitCode).toBe(0);
    expect(tagOf(emulator, 'env/integration')).toBe(good);
    const rollbackDeployment = Number(completed.outputs['deployment-id']);
    expect(lastStatus(emulator, rollbackDeployment)).toMatch(/^Accepted as rollback/);
    expect(lastStatus(emulator, badDeployment)).toMatch(/^Rolled back/);
    expect(redeploys()).toEqual([good]);
  });
});

describe('accept, when a repository ruleset protects the environment tags', () => {
  it('fails naming the ruleset and how to let the token through, not another run', async () => {
    const emulator = await emulatorWith({ tagRulesets: ['env/production'] });
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    const deployment = await promoteWithCore(emulator, 'production', sha, 300, 'deployed');
    const step: ScenarioStep = {
      action: 'accept',
      runId: 300,
      sha,
      inputs: { environment: 'production', approval: 'none' },
    };

    const refused = await runStep(emulator, step, 1, inProcessRunner);
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      'accept: GitHub refused to write refs/tags/env/production: "Repository rule violations found Cannot create ref ' +
        'due to creations being restricted.". A repository ruleset protects refs/tags/env/production. Let the token ' +
        'bypass the ruleset that covers the env/* tags (add the GitHub App or the role to its bypass list, Settings ' +
        '> Rules > Rulesets), or exclude env/* from it; then re-run the job.',
    ]);
    expect(refused.errors[0]).not.toContain('Another run');
    expect(refused.summary).toContain('**Refused:** writing `refs/tags/env/production`');
    expect(refused.summary).toContain('**Why:** GitHub answered “Repository rule violations found');
    expect(lastStatus(emulator, deployment)).toMatch(/^Deployed/);
  });
});
