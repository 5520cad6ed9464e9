import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { ok, workflowRuns, workspaceWithConfig, type WorkflowRun } from './harness/workflow-run.js';
import { bundleRunner, inProcessRunner, type StepRunner } from './harness/step-runners.js';
import type { ActionResult, RunActionOptions } from './harness/run-action.js';

// deploy-env rolling a release out in steps (canary, phased, blue-green), run as the committed bundle: the
// deploy command runs once per step, the environment's checks are watched during each pause, and a failing check
// undoes the steps done (or halts). The history a scenario needs (an earlier release accepted) is set up
// in-process, through the same runner as the bundles.

let emulator: Emulator;
let health: Server;
/** `http://127.0.0.1:<port>`: `/<name>/…` answers 200, or 500 once the file `<flags>/<name>` exists. */
let healthBase: string;
/** Where deploy commands (and the test) create the files that break a health endpoint. */
let flags: string;
const workspaces: string[] = [];

/** The deploy command's record of each run: one line of its RELEASE_* variables. */
const LOG_LINE =
  'echo "$RELEASE_ACTION $RELEASE_STEP/$RELEASE_STEPS w=$RELEASE_WEIGHT t=$RELEASE_TARGETS s=$RELEASE_SLOT sha=$RELEASE_SHA"';

/** One environment of its own (the only one of its chain), its workspace and its deploy log. */
interface Scenario {
  environment: string;
  workspace: string;
  /** The deploy command: appends its line to the log, then runs `then` (shell) when given. */
  command(then?: string): string;
  /** The lines the deploy command logged so far. */
  lines(): string[];
  /** Workflow runs whose steps all run in-process (history set up before the step under test). */
  inProcess: (sha: string) => WorkflowRun;
  /** Workflow runs whose deploy-env steps run the committed bundle, the other steps in-process. */
  rollout: (sha: string) => WorkflowRun;
}

/** deploy-env as the bundle (the step under test), every other action in-process (fast, same runner). */
const deployEnvBundle: StepRunner = (action, options) =>
  (action === 'deploy-env' ? bundleRunner : inProcessRunner)(action, options);

/**
 * A scenario in `environment`, configured with these lines under its name; run ids from `firstRunId` on. Its
 * versions are tagged with a prefix of its own (`<environment>-v1.0.0`), as the scenarios share one repository.
 */
function scenario(environment: string, settings: string[], firstRunId: number): Scenario {
  const workspace = workspaceWithConfig([
    'versioning:',
    `  tag-prefix: ${environment}-v`,
    'environments:',
    `  - name: ${environment}`,
    ...settings.map((line) => `    ${line}`),
  ]);
  workspaces.push(workspace);
  const log = join(workspace, 'deploy.log');
  const target = () => ({ emulator, workspace });
  return {
    environment,
    workspace,
    command: (then) => `${LOG_LINE} >> ${log}${then ? `\n${then}` : ''}`,
    lines: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    inProcess: workflowRuns(target, firstRunId, inProcessRunner),
    rollout: workflowRuns(target, firstRunId + 500, deployEnvBundle),
  };
}

/** The health endpoint `name` (its own, so scenarios do not disturb each other). */
const healthUrl = (name: string) => `${healthBase}/${name}/healthz`;
/** A shell line that breaks the health endpoint `name` (run by a deploy command at the step it names). */
const breakHealth = (name: string) => `touch ${join(flags, name)}`;
/** A shell snippet running `then` only at deploy step `step`. */
const atStep = (step: number, then: string) =>
  `if [ "$RELEASE_ACTION" = deploy ] && [ "$RELEASE_STEP" = ${step} ]; then ${then}; fi`;

const descriptionsOf = (deploymentId: string | undefined) =>
  emulator.store.statuses
    .filter((status) => status.deploymentId === Number(deploymentId))
    .map((status) => `${status.state}: ${status.description}`);
const tagTarget = (tag: string) => {
  try {
    return emulator.git.run(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
  } catch {
    return undefined;
  }
};

/** Starts the switchable health server. */
function startSwitchableHealth(): Promise<string> {
  health = createServer((request, response) => {
    const name = (request.url ?? '/').split('/')[1] ?? '';
    const broken = name !== '' && existsSync(join(flags, name));
    response.writeHead(broken ? 500 : 200, { 'content-type': 'text/plain' });
    response.end(broken ? 'down' : 'ok');
  });
  return new Promise((resolve) => {
    health.listen(0, '127.0.0.1', () => {
      const address = health.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

/** Prepares, rolls out (in-process), verifies and accepts `sha` in the scenario's environment: its history. */
async function promoteInProcess(at: Scenario, sha: string): Promise<void> {
  const run = at.inProcess(sha);
  ok(await run.step('prepare-release', { environment: at.environment }));
  ok(await run.step('deploy-env', { environment: at.environment, run: at.command() }));
  ok(await run.step('verify', { environment: at.environment }));
  ok(await run.step('accept', { environment: at.environment }));
}

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.seed.user('mona', 'mona@example.com');
  flags = mkdtempSync(join(tmpdir(), 'rollout-flags-'));
  healthBase = await startSwitchableHealth();
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  expect(emulator.requests.filter((request) => request.route === 'UNMATCHED')).toEqual([]);
  await emulator.close();
  await new Promise<void>((resolve) => health.close(() => resolve()));
  for (const workspace of [...workspaces, flags]) rmSync(workspace, { recursive: true, force: true });
});

describe('canary 10% / 50% / 100%, watched by an HTTP check', () => {
  let canary: Scenario;
  let accepted: string;

  beforeAll(() => {
    canary = scenario(
      'canary',
      [
        'url: https://canary.example.com',
        'rollout:',
        '  strategy: canary',
        '  steps:',
        '    - { weight: 10, pause: 1s }',
        '    - { weight: 50, pause: 2s }',
        '    - { weight: 100 }',
        '  check-interval: 1s',
        'verify:',
        `  - url: ${healthUrl('canary')}`,
        '    name: canary health',
      ],
      1000,
    );
  });

  it('passes: a deploy command per step with its weight, a status per step, then Deployed; accept works', async () => {
    accepted = emulator.git.commit('feat: canary one');
    const run = canary.rollout(accepted);
    const prepared = ok(await run.step('prepare-release', { environment: 'canary' }));
    const id = prepared.outputs['deployment-id'];
    const deployed = ok(await run.step('deploy-env', { environment: 'canary', run: canary.command() }));

    expect(canary.lines()).toEqual([
      `deploy 1/3 w=10 t= s= sha=${accepted}`,
      `deploy 2/3 w=50 t= s= sha=${accepted}`,
      `deploy 3/3 w=100 t= s= sha=${accepted}`,
    ]);
    expect(descriptionsOf(id)).toEqual([
      expect.stringMatching(/^queued: Prepared/),
      expect.stringMatching(/^in_progress: Deploying /),
      'in_progress: Step 1/3: 10% — watching 1s',
      'in_progress: Step 2/3: 50% — watching 2s',
      'in_progress: Step 3/3: 100%',
      expect.stringMatching(/^success: Deployed /),
    ]);
    expect(deployed.outputs).toEqual({
      'deployment-id': id,
      status: 'success',
      'steps-completed': '3',
      'rolled-back': 'false',
    });
    // The timeline: each step, its command, the readings of the checks during its pause, the outcome.
    expect(deployed.summary).toContain('### Rollout (canary): 3 of 3 steps completed');
    expect(deployed.summary).toMatch(
      /\| 1\/3 \| deploy: 10%, then watch 1s \| exit `0` in .*✓ canary health.*✅ done/,
    );
    expect(deployed.summary).toMatch(
      /\| 2\/3 \| deploy: 50%, then watch 2s \| exit `0` in .*✓ canary health.*✅ done/,
    );
    expect(deployed.summary).toMatch(/\| 3\/3 \| deploy: 100% \| exit `0` in .* \| — \| ✅ done/);
    expect(deployed.summary).toContain('**Outcome:** every step completed');

    ok(await run.step('verify', { environment: 'canary' }));
    const acceptedStep = ok(await run.step('accept', { environment: 'canary' }));
    expect(acceptedStep.outputs.sha).toBe(accepted);
    expect(tagTarget('env/canary')).toBe(accepted);
  });

  it('fails during step 2: rolled back to weight 0, the tag unmoved, the release held until forced', async () => {
    const sha = emulator.git.commit('feat: canary two');
    const run = canary.rollout(sha);
    const prepared = ok(await run.step('prepare-release', { environment: 'canary' }));
    const id = prepared.outputs['deployment-id'];
    const before = canary.lines().length;
    // The step-2 command itself breaks the service, as a bad release would once it takes half the traffic.
    const failed = await run.step('deploy-env', {
      environment: 'canary',
      run: canary.command(atStep(2, breakHealth('canary'))),
    });
    rmSync(join(flags, 'canary'), { force: true });

    expect(failed.exitCode).toBe(1);
    expect(canary.lines().slice(before)).toEqual([
      `deploy 1/3 w=10 t= s= sha=${sha}`,
      `deploy 2/3 w=50 t= s= sha=${sha}`,
      `rollback 2/3 w=0 t= s= sha=${sha}`,
    ]);
    const statuses = descriptionsOf(id);
    expect(statuses.slice(2)).toEqual([
      'in_progress: Step 1/3: 10% — watching 1s',
      'in_progress: Step 2/3: 50% — watching 2s',
      // Written before the rollback command ran, then once it had.
      'failure: Rollout failed at step 2/3 (50%), rolling back: canary health: expected a 2xx status, got 500',
      'failure: Rollout failed at step 2/3 (50%), rolled back: canary health: expected a 2xx status, got 500',
    ]);
    expect(failed.outputs).toMatchObject({
      'deployment-id': id,
      status: 'failure',
      'steps-completed': '1',
      'rolled-back': 'true',
    });
    // The log names the failing step; the one error line (last) says what was undone and that the release is held.
    // One error line: the failure is reported once.
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors.at(-1)).toBe(
      'deploy-env: The rollout failed at step 2/3 (50%): canary health: expected a 2xx status, got 500. The ' +
        "steps done were rolled back. The release is held in 'canary': prepare a newer one, or release it again " +
        "with 'force'.",
    );
    expect(failed.summary).toContain('### Rollout (canary): 1 of 3 steps completed');
    expect(failed.summary).toMatch(/\| 3\/3 \| deploy: 100% \| — \| — \| ⏭️ not reached/);
    expect(tagTarget('env/canary')).toBe(accepted);

    // The release is held: a new run preparing the same commit is refused, unless forced with a reason.
    const refused = await canary.inProcess(sha).step('prepare-release', { environment: 'canary' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringContaining(`Commit ${sha.slice(0, 7)} failed its rollout in 'canary' (Rollout failed at`),
    ]);
    const forced = ok(
      await canary.inProcess(sha).step('prepare-release', {
        environment: 'canary',
        force: 'true',
        reason: 'the error came from a dependency, fixed since',
      }),
    );
    expect(forced.summary).toMatch(/failed its rollout in canary; reason: the error came from a dependency/);
  });
});

describe('phased eu-west-1, then us-east-1 and us-west-2', () => {
  it('a failure in step 2 sends every target of steps 1-2 back to the previous release', async () => {
    const phased = scenario(
      'phased',
      [
        'rollout:',
        '  strategy: phased',
        '  steps:',
        '    - { targets: [eu-west-1], pause: 1s }',
        '    - { targets: [us-east-1, us-west-2] }',
        '  check-interval: 1s',
        'verify:',
        `  - url: ${healthUrl('phased')}`,
      ],
      2000,
    );
    const previous = emulator.git.commit('feat: phased one');
    await promoteInProcess(phased, previous);
    expect(tagTarget('env/phased')).toBe(previous);

    const sha = emulator.git.commit('feat: phased two');
    const run = phased.rollout(sha);
    const id = ok(await run.step('prepare-release', { environment: 'phased' })).outputs['deployment-id'];
    const before = phased.lines().length;
    // The deploy command fails in the second group of targets.
    const failed = await run.step('deploy-env', {
      environment: 'phased',
      run: phased.command(atStep(2, 'exit 3')),
    });

    expect(failed.exitCode).toBe(1);
    expect(phased.lines().slice(before)).toEqual([
      `deploy 1/2 w= t=eu-west-1 s= sha=${sha}`,
      `deploy 2/2 w= t=us-east-1,us-west-2 s= sha=${sha}`,
      `rollback 2/2 w= t=eu-west-1,us-east-1,us-west-2 s= sha=${previous}`,
    ]);
    expect(descriptionsOf(id).slice(2)).toEqual([
      'in_progress: Step 1/2: eu-west-1 — watching 1s',
      'failure: Rollout failed at step 2/2 (us-east-1, us-west-2), rolling back: deploy command exit code 3',
      'failure: Rollout failed at step 2/2 (us-east-1, us-west-2), rolled back: deploy command exit code 3',
    ]);
    expect(failed.outputs).toMatchObject({
      status: 'failure',
      'steps-completed': '1',
      'rolled-back': 'true',
    });
    expect(tagTarget('env/phased')).toBe(previous);
  });
});

describe('blue-green with a preview URL per slot', () => {
  it('release 1 goes to blue, release 2 to green; a failing release 3 goes back to green and never switches', async () => {
    const blueGreen = scenario(
      'blue-green',
      [
        'rollout:',
        '  strategy: blue-green',
        `  preview-url: ${healthBase}/bg-{slot}/healthz`,
        '  pause: 1s',
        '  check-interval: 1s',
      ],
      3000,
    );
    const releases = [1, 2, 3].map((n) => emulator.git.commit(`feat: blue-green ${n}`));
    const [first, second, third] = releases as [string, string, string];
    const results: ActionResult[] = [];
    for (const sha of [first, second]) {
      const run = blueGreen.rollout(sha);
      ok(await run.step('prepare-release', { environment: 'blue-green' }));
      results.push(ok(await run.step('deploy-env', { environment: 'blue-green', run: blueGreen.command() })));
      // A release rolled out in steps is accepted only once verified (here: the slot it switched to answers).
      ok(await run.step('verify', { environment: 'blue-green', url: `${healthBase}/bg-live/healthz` }));
      ok(await run.step('accept', { environment: 'blue-green' }));
    }
    expect(results.map((result) => result.outputs['steps-completed'])).toEqual(['2', '2']);

    // Release 3 answers 500 at its preview URL (the idle slot, blue).
    writeFileSync(join(flags, 'bg-blue'), '');
    const run = blueGreen.rollout(third);
    const id = ok(await run.step('prepare-release', { environment: 'blue-green' })).outputs['deployment-id'];
    const failed = await run.step('deploy-env', { environment: 'blue-green', run: blueGreen.command() });
    rmSync(join(flags, 'bg-blue'), { force: true });

    expect(failed.exitCode).toBe(1);
    expect(blueGreen.lines()).toEqual([
      `deploy 1/2 w= t= s=blue sha=${first}`,
      `switch 2/2 w= t= s=blue sha=${first}`,
      `deploy 1/2 w= t= s=green sha=${second}`,
      `switch 2/2 w= t= s=green sha=${second}`,
      `deploy 1/2 w= t= s=blue sha=${third}`,
      `rollback 1/2 w= t= s=green sha=${third}`,
    ]);
    expect(descriptionsOf(id).slice(-2)).toEqual([
      'failure: Rollout failed at step 1/2 (deploy to blue), rolling back: preview of blue: expected a 2xx status, got 500',
      'failure: Rollout failed at step 1/2 (deploy to blue), rolled back: preview of blue: expected a 2xx status, got 500',
    ]);
    expect(failed.outputs).toMatchObject({ 'steps-completed': '0', 'rolled-back': 'true' });
    expect(tagTarget('env/blue-green')).toBe(second);
  });
});

describe('on-failure: halt', () => {
  it('stops where it is: no rollback command, "Rollout halted", and the release is held', async () => {
    const halt = scenario(
      'halt',
      [
        'rollout:',
        '  strategy: canary',
        '  steps:',
        '    - { weight: 20, pause: 2s }',
        '    - { weight: 100 }',
        '  check-interval: 1s',
        '  on-failure: halt',
        'verify:',
        `  - url: ${healthUrl('halt')}`,
        '    name: halt health',
      ],
      4000,
    );
    const sha = emulator.git.commit('feat: halted');
    const run = halt.rollout(sha);
    const id = ok(await run.step('prepare-release', { environment: 'halt' })).outputs['deployment-id'];
    const halted = await run.step('deploy-env', {
      environment: 'halt',
      run: halt.command(atStep(1, breakHealth('halt'))),
    });
    rmSync(join(flags, 'halt'), { force: true });

    expect(halted.exitCode).toBe(1);
    expect(halt.lines()).toEqual([`deploy 1/2 w=20 t= s= sha=${sha}`]);
    expect(descriptionsOf(id).slice(2)).toEqual([
      'in_progress: Step 1/2: 20% — watching 2s',
      // Halted: nothing is undone, so no "rolling back" is written before it.
      'failure: Rollout halted at step 1/2 (20%): halt health: expected a 2xx status, got 500',
    ]);
    expect(halted.outputs).toMatchObject({
      status: 'failure',
      'steps-completed': '0',
      'rolled-back': 'false',
    });
    expect(halted.errors).toHaveLength(1);
    expect(halted.errors.at(-1)).toContain(
      'The rollout halted at step 1/2 (20%): halt health: expected a 2xx status, got 500. Nothing was undone',
    );

    const refused = await halt.inProcess(sha).step('prepare-release', { environment: 'halt' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringContaining(`Commit ${sha.slice(0, 7)} failed its rollout in 'halt' (Rollout halted at`),
    ]);
  });
});

describe('a runner that dies during a pause, and "Re-run jobs"', () => {
  it('resumes after the step completed: its command is not run again; steps 2 and 3 follow', async () => {
    const resume = scenario(
      'resume',
      [
        'rollout:',
        '  strategy: canary',
        '  steps:',
        '    - { weight: 10, pause: 3s }',
        '    - { weight: 50, pause: 1s }',
        '    - { weight: 100 }',
        '  check-interval: 1s',
        'verify:',
        `  - url: ${healthUrl('resume')}`,
      ],
      5000,
    );
    const sha = emulator.git.commit('feat: resumed');
    const run = resume.rollout(sha);
    const id = ok(await run.step('prepare-release', { environment: 'resume' })).outputs['deployment-id'];
    const step = (extra: Partial<RunActionOptions>): Promise<ActionResult> =>
      bundleRunner('deploy-env', {
        apiUrl: emulator.url,
        repository: emulator.fullName,
        sha,
        runId: run.id,
        actor: 'mona',
        workspace: resume.workspace,
        inputs: { environment: 'resume', run: resume.command() },
        ...extra,
      });

    const killed = await step({
      killWhen: () => descriptionsOf(id).some((status) => status.includes('Step 1/3')),
    });
    expect(killed).toMatchObject({ killed: true, exitCode: null });
    expect(resume.lines()).toEqual([`deploy 1/3 w=10 t= s= sha=${sha}`]);

    const rerun = ok(await step({ runAttempt: 2 }));
    expect(resume.lines()).toEqual([
      `deploy 1/3 w=10 t= s= sha=${sha}`,
      `deploy 2/3 w=50 t= s= sha=${sha}`,
      `deploy 3/3 w=100 t= s= sha=${sha}`,
    ]);
    expect(rerun.stdout).toContain('Resuming after step 1/3 (10%), which an earlier attempt ran.');
    expect(rerun.outputs).toMatchObject({
      status: 'success',
      'steps-completed': '3',
      'rolled-back': 'false',
    });
    expect(descriptionsOf(id).slice(1)).toEqual([
      expect.stringMatching(/^in_progress: Deploying /),
      'in_progress: Step 1/3: 10% — watching 3s',
      'in_progress: Step 2/3: 50% — watching 1s',
      'in_progress: Step 3/3: 100%',
      expect.stringMatching(/^success: Deployed /),
    ]);
    // Step 1's command ran in the first attempt only; this attempt watched what was left of its pause.
    expect(rerun.summary).toContain('| 1/3 | deploy: 10%, then watch 3s | — | ✓ ');
    expect(rerun.summary).toMatch(/\| 1\/3 \|[^\n]*↩️ done in an earlier attempt/);
  });
});

describe('re-runs of deploy-env after a rollout, in-process', () => {
  /**
   * deploy-env of `sha` in the scenario, in-process, as attempt `attempt` of run `runId`; the client's retry
   * waits last 1 ms a second (GitHub failing a write is retried at once).
   */
  const deployEnv = (at: Scenario, sha: string, runId: number, attempt: number, then?: string) =>
    inProcessRunner('deploy-env', {
      env: { RELEASE_PROMOTION_RETRY_UNIT_MS: '1' },
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      runId,
      runAttempt: attempt,
      actor: 'mona',
      workspace: at.workspace,
      inputs: { environment: at.environment, run: at.command(then) },
    });

  it('a re-run of a rollout that completed and was recorded deployed runs nothing and writes nothing', async () => {
    const done = scenario(
      'rerun-done',
      ['rollout:', '  strategy: canary', '  steps: [{ weight: 50 }, { weight: 100 }]'],
      7000,
    );
    const sha = emulator.git.commit('feat: completed rollout');
    const run = done.inProcess(sha);
    const id = ok(await run.step('prepare-release', { environment: 'rerun-done' })).outputs['deployment-id'];
    ok(await deployEnv(done, sha, run.id, 1));
    const statuses = descriptionsOf(id);
    expect(statuses.at(-1)).toMatch(/^success: Deployed /);

    emulator.resetLog();
    const rerun = ok(await deployEnv(done, sha, run.id, 2));
    expect(emulator.writeRequests()).toEqual([]);
    expect(descriptionsOf(id)).toEqual(statuses);
    expect(done.lines()).toEqual([`deploy 1/2 w=50 t= s= sha=${sha}`, `deploy 2/2 w=100 t= s= sha=${sha}`]);
    expect(rerun.stdout).toContain(`Deployment ${id} completed its rollout in an earlier attempt.`);
    expect(rerun.outputs).toMatchObject({
      status: 'success',
      'steps-completed': '2',
      'rolled-back': 'false',
    });
  });

  it('a re-run after the rollback ran but its final status was lost runs the rollback again, nothing else', async () => {
    const undo = scenario(
      'rerun-undo',
      [
        'rollout:',
        '  strategy: canary',
        '  steps: [{ weight: 50, pause: 1s }, { weight: 100 }]',
        '  check-interval: 1s',
        'verify:',
        `  - url: ${healthUrl('rerun-undo')}`,
        '    name: undo health',
      ],
      7500,
    );
    const sha = emulator.git.commit('feat: rollback left unrecorded');
    const run = undo.inProcess(sha);
    const id = ok(await run.step('prepare-release', { environment: 'rerun-undo' })).outputs['deployment-id'];
    // Attempt 1 writes Deploying, Step 1/2 and "rolling back"; every write after those fails (GitHub down).
    emulator.faults.add({
      route: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      nth: 4,
      status: 503,
      times: 50,
    });
    const lost = await deployEnv(undo, sha, run.id, 1, atStep(1, breakHealth('rerun-undo')));
    emulator.faults.clear();
    // The rollback command ran and healed the service: the checks would pass now.
    rmSync(join(flags, 'rerun-undo'), { force: true });
    expect(lost.exitCode).toBe(1);
    expect(lost.errors).toEqual([expect.stringMatching(/GitHub answered 503 .* re-run the job/)]);
    expect(undo.lines()).toEqual([`deploy 1/2 w=50 t= s= sha=${sha}`, `rollback 1/2 w=0 t= s= sha=${sha}`]);
    expect(descriptionsOf(id).at(-1)).toBe(
      'failure: Rollout failed at step 1/2 (50%), rolling back: undo health: expected a 2xx status, got 500',
    );

    const rerun = await deployEnv(undo, sha, run.id, 2);
    expect(rerun.exitCode).toBe(1);
    // Only the rollback ran again: the release was not pushed on to 100%.
    expect(undo.lines()).toEqual([
      `deploy 1/2 w=50 t= s= sha=${sha}`,
      `rollback 1/2 w=0 t= s= sha=${sha}`,
      `rollback 1/2 w=0 t= s= sha=${sha}`,
    ]);
    expect(descriptionsOf(id).slice(-2)).toEqual([
      'failure: Rollout failed at step 1/2 (50%), rolling back: undo health: expected a 2xx status, got 500',
      'failure: Rollout failed at step 1/2 (50%), rolled back: undo health: expected a 2xx status, got 500',
    ]);
    expect(rerun.outputs).toMatchObject({ status: 'failure', 'steps-completed': '0', 'rolled-back': 'true' });
    expect(rerun.errors).toEqual([
      expect.stringContaining(
        'The rollout failed at step 1/2 (50%): undo health: expected a 2xx status, got 500.',
      ),
    ]);
  });
});

describe('refusals around a rollout, in-process', () => {
  it('a check header naming a variable the step does not set is refused before any write', async () => {
    const secret = scenario(
      'secret',
      [
        'rollout:',
        '  strategy: canary',
        '  steps: [{ weight: 50, pause: 1s }, { weight: 100 }]',
        'verify:',
        '  - prometheus: http://127.0.0.1:9',
        '    query: up',
        '    at-least: 1',
        '    headers: { Authorization: "Bearer ${PROMETHEUS_TOKEN}" }',
      ],
      6000,
    );
    const sha = emulator.git.commit('feat: secret header');
    const run = secret.inProcess(sha);
    ok(await run.step('prepare-release', { environment: 'secret' }));
    emulator.resetLog();
    const refused = await run.step('deploy-env', { environment: 'secret', run: secret.command() });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringContaining('PROMETHEUS_TOKEN, which the step does not set'),
    ]);
    expect(secret.lines()).toEqual([]);
    expect(emulator.writeRequests()).toEqual([]);
  });

  it('a release rolled out without checks is accepted only after a passed verification', async () => {
    const unchecked = scenario(
      'unchecked',
      ['rollout:', '  strategy: canary', '  steps: [{ weight: 50 }, { weight: 100 }]'],
      6500,
    );
    const sha = emulator.git.commit('feat: unchecked');
    const run = unchecked.inProcess(sha);
    ok(await run.step('prepare-release', { environment: 'unchecked' }));
    ok(await run.step('deploy-env', { environment: 'unchecked', run: unchecked.command() }));
    const refused = await run.step('accept', { environment: 'unchecked' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([expect.stringContaining('the canary rollout of unchecked')]);
    ok(await run.step('verify', { environment: 'unchecked', url: healthUrl('unchecked') }));
    ok(await run.step('accept', { environment: 'unchecked' }));
  });
});
