import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { promoteWithCore, promotionSnapshot } from './harness/promotion-state.js';
import { reliabilityScenarios, runStep, type ScenarioStep } from './harness/reliability-scenarios.js';
import { startHealthServer } from './harness/health-server.js';
import { bundleRunner, inProcessRunner } from './harness/step-runners.js';

// Races and re-runs, in-process (the actions' definitions through `runAction`, the real client, the emulator),
// but for the first round of the accept race, where two bundles race as two processes of the runner would.

/** Runs `test` on a new emulator, closed afterwards whatever happens (an open one keeps jest from exiting). */
async function withEmulator(test: (emulator: Emulator) => Promise<void>): Promise<void> {
  const emulator = await startEmulator();
  try {
    await test(emulator);
  } finally {
    await emulator.close();
  }
}

const tagOf = (emulator: Emulator, name: string) =>
  emulator.git.run(['rev-parse', `refs/tags/${name}^{commit}`]);
const statusesOf = (emulator: Emulator, deploymentId: number) =>
  emulator.store.statuses
    .filter((status) => status.deploymentId === deploymentId)
    .map((status) => status.description);

describe('two runs accepting different commits in one environment at the same moment', () => {
  let emulator: Emulator;
  const outcomes = { rounds: 0, laterWon: 0 };

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    expect(emulator.problems).toEqual([]);
    await emulator.close();
    console.log(
      `accept race: ${outcomes.rounds} rounds, the release deployed last won (the other refused as superseded) in ${outcomes.laterWon}`,
    );
  });

  it('has one legitimate winner, the release deployed last, whatever the timing; the other is refused naming it, 20 times', async () => {
    let runId = 1000;
    for (let round = 0; round < 20; round += 1) {
      const a = emulator.git.commit(`feat: change A${round}`);
      const b = emulator.git.commit(`feat: change B${round}`);
      const runA = (runId += 1);
      const runB = (runId += 1);
      // Both are prepared against the same accepted release; A is deployed, then B (which now runs there);
      // then both accept at once.
      const deploymentA = await promoteWithCore(emulator, 'integration', a, runA, 'deployed');
      const deploymentB = await promoteWithCore(emulator, 'integration', b, runB, 'deployed');
      const step = (sha: string, id: number): ScenarioStep => ({
        action: 'accept',
        runId: id,
        sha,
        inputs: { environment: 'integration', approval: 'none' },
      });
      const run = round === 0 ? bundleRunner : inProcessRunner;
      const [resultA, resultB] = await Promise.all([
        runStep(emulator, step(a, runA), 1, run),
        runStep(emulator, step(b, runB), 1, run),
      ]);
      outcomes.rounds += 1;

      expect([resultA.exitCode, resultB.exitCode]).toEqual([1, 0]);
      expect(resultB.outputs.sha).toBe(b);
      expect(resultA.errors).toHaveLength(1);
      expect(resultA.errors[0]).toContain(
        `in 'integration' is superseded: deployment ${deploymentB} (${b.slice(0, 7)}), run ${runB} was deployed there after it`,
      );
      expect(tagOf(emulator, 'env/integration')).toBe(b);
      expect(statusesOf(emulator, deploymentB).at(-1)).toMatch(/^Accepted/);
      expect(
        statusesOf(emulator, deploymentA).some((description) => description.startsWith('Accepted')),
      ).toBe(false);
      outcomes.laterWon += 1;
    }
  });
});

describe('a re-run after a failure between the tag move and the status write', () => {
  it('ends in the same state as a run without faults', async () => {
    const arrange = async (emulator: Emulator): Promise<ScenarioStep> => {
      const sha = emulator.git.commit('feat: catalogue');
      await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
      await promoteWithCore(emulator, 'production', sha, 300, 'deployed');
      return { action: 'accept', runId: 300, sha, inputs: { environment: 'production', approval: 'none' } };
    };

    await withEmulator(async (emulator) => {
      const step = await arrange(emulator);
      emulator.resetLog();
      const arranged = emulator.checkpoint();
      expect((await runStep(emulator, step, 1, inProcessRunner)).exitCode).toBe(0);
      const expected = promotionSnapshot(emulator);
      emulator.restore(arranged);

      // The tag swap (GraphQL) goes through; every attempt to write the "Accepted" status then fails.
      emulator.faults.add({
        route: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        status: 503,
        times: 50,
      });
      const failed = await runStep(emulator, step, 1, inProcessRunner);
      expect(failed.exitCode).toBe(1);
      expect(failed.errors).toEqual([expect.stringMatching(/GitHub answered 503 .* re-run the job/)]);
      expect(tagOf(emulator, 'env/production')).toBe(step.sha);
      expect(emulator.writeRequests().map((request) => `${request.method} ${request.route}`)).toContain(
        'POST /graphql',
      );

      emulator.faults.clear();
      emulator.resetLog();
      const rerun = await runStep(emulator, step, 2, inProcessRunner);
      expect(rerun.exitCode).toBe(0);
      // The re-run moved nothing twice: no second tag swap, one status write, one release update.
      expect(emulator.writeRequests().map((request) => `${request.method} ${request.route}`)).toEqual([
        'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        'PATCH /repos/{owner}/{repo}/releases/{release_id}',
      ]);
      expect(promotionSnapshot(emulator)).toEqual(expected);
      expect(emulator.problems).toEqual([]);
    });
  });

  it('a re-run of a completed accept writes nothing', async () => {
    await withEmulator(async (emulator) => {
      const sha = emulator.git.commit('feat: catalogue');
      await promoteWithCore(emulator, 'integration', sha, 300, 'deployed');
      const step: ScenarioStep = {
        action: 'accept',
        runId: 300,
        sha,
        inputs: { environment: 'integration', approval: 'none' },
      };
      expect((await runStep(emulator, step, 1, inProcessRunner)).exitCode).toBe(0);
      const before = promotionSnapshot(emulator);
      emulator.resetLog();
      expect((await runStep(emulator, step, 2, inProcessRunner)).exitCode).toBe(0);
      expect(emulator.writeRequests()).toEqual([]);
      expect(promotionSnapshot(emulator)).toEqual(before);
    });
  });
});

describe('"Re-run jobs" of a step that completed', () => {
  it.each(reliabilityScenarios('').map((scenario) => [scenario.name]))(
    '%s: writes nothing the second time',
    async (name) => {
      const health = await startHealthServer();
      const scenario = reliabilityScenarios(health.url).find((candidate) => candidate.name === name);
      const emulator = await startEmulator();
      try {
        const arranged = (await scenario?.arrange(emulator)) as ScenarioStep;
        // A re-run repeats a deploy command (the job runs again), so deploy-env is re-run recording a status.
        const step: ScenarioStep =
          arranged.action === 'deploy-env'
            ? { ...arranged, inputs: { environment: 'integration', status: 'success' } }
            : arranged;
        expect((await runStep(emulator, step, 1, inProcessRunner)).exitCode).toBe(0);
        const before = promotionSnapshot(emulator);
        emulator.resetLog();
        expect((await runStep(emulator, step, 2, inProcessRunner)).exitCode).toBe(0);
        expect(emulator.writeRequests()).toEqual([]);
        expect(promotionSnapshot(emulator)).toEqual(before);
      } finally {
        await emulator.close();
        await health.close();
      }
    },
  );
});

describe('two rollbacks of one environment at the same moment', () => {
  it('has one winner; the other changes nothing and closes its own deployment', async () => {
    const emulator = await startEmulator();
    try {
      const first = emulator.git.commit('feat: one');
      await promoteWithCore(emulator, 'integration', first, 101, 'accepted');
      const second = emulator.git.commit('feat: two');
      await promoteWithCore(emulator, 'integration', second, 102, 'accepted');
      const rollback = (runId: number): ScenarioStep => ({
        action: 'rollback',
        runId,
        sha: second,
        inputs: { environment: 'integration', reason: `run ${runId}`, run: 'sleep 0.2' },
      });
      const results = await Promise.all([
        runStep(emulator, rollback(201), 1, inProcessRunner),
        runStep(emulator, rollback(202), 1, inProcessRunner),
      ]);
      expect(results.map((result) => result.exitCode).sort()).toEqual([0, 1]);
      const loser = results.find((result) => result.exitCode === 1);
      expect(loser?.errors[0]).toContain("Another run changed 'integration' during this rollback");
      expect(tagOf(emulator, 'env/integration')).toBe(first);
      // Every rollback deployment ends accepted (the winner) or abandoned (the loser): none is left in progress.
      const rollbacks = emulator.store.deployments.filter((deployment) =>
        JSON.stringify(deployment.payload).includes('"kind":"rollback"'),
      );
      expect(rollbacks).toHaveLength(2);
      const last = rollbacks.map((deployment) => statusesOf(emulator, deployment.id).at(-1) ?? '').sort();
      expect(last[0]).toMatch(/^Accepted as rollback/);
      expect(last[1]).toMatch(/^Rollback abandoned/);
    } finally {
      await emulator.close();
    }
  });
});
