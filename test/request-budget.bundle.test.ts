import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorCheckpoint } from '@release-promotion/emulator';
import { requestTarget } from './harness/request-targets.js';
import type { Scenario, ScenarioStep } from './harness/reliability-scenarios.js';
import { MEASURED, measureStep, total, type Measured } from './harness/request-budget.js';
import { bundleRunner, inProcessRunner } from './harness/step-runners.js';
import {
  chainEnvironments,
  HISTORY_VERSION_TAGS,
  historyScenarios,
  seedHistory,
  seedVersionTags,
} from '../scripts/bench/history.js';
import type { ActionName } from './harness/action-metadata.js';
import { rolloutScenario } from '../scripts/bench/rollout.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

// Every action's bundle makes the same requests, route by route, whatever the history: the step runs in the state
// its scenario builds, on top of 0, 100, 1,000 or 10,000 earlier deployments in its environment (every environment
// for status) and, with any history, 1,000 version tags. History is seeded before the scenario's state is built, so
// it is older than the step's own releases (see scripts/bench/history.ts). Each history is seeded once into an
// emulator and restored before each scenario builds its state on it. Without history, the committed bundle runs as
// the runner runs it, and the action in-process (its definition through `runAction`) makes the very same requests
// in the same order; on the longer histories, the step runs in-process. Timings are never asserted here; see
// `npx tsx scripts/bench.ts`.

const SIZES = [100, 1000, 10_000];

let health: HealthServer;

/**
 * The two emulators the steps run on: one fresh (no history), one holding the version tags and a checkpoint of
 * each history seeded on top of them (by its environments and number of deployments).
 */
interface Histories {
  fresh: { emulator: Emulator; checkpoint: EmulatorCheckpoint };
  tagged: { emulator: Emulator; withTags: EmulatorCheckpoint; seeded: Map<string, EmulatorCheckpoint> };
}
let histories: Histories | undefined;

beforeAll(async () => {
  health = await startHealthServer();
});

afterAll(async () => {
  await health.close();
  for (const emulator of [histories?.fresh.emulator, histories?.tagged.emulator]) {
    if (!emulator) continue;
    expect(emulator.problems).toEqual([]);
    await emulator.close();
  }
});

/**
 * An emulator holding `deployments` earlier deployments in each of `environments` and, with any, the version tags,
 * restored to that state. The tags are the same in every history, so they are made once (as seedHistory makes
 * them, after the deployments: the order makes no difference, tags carry no date) and each history's deployments
 * are seeded on top of them, once.
 */
async function historyOf(deployments: number, environments: string[]): Promise<Emulator> {
  histories ??= await startHistories();
  if (deployments === 0) {
    histories.fresh.emulator.restore(histories.fresh.checkpoint);
    return histories.fresh.emulator;
  }
  const { emulator, withTags, seeded } = histories.tagged;
  const key = `${deployments} in ${environments.join(', ')}`;
  let checkpoint = seeded.get(key);
  if (!checkpoint) {
    emulator.restore(withTags);
    seedHistory(emulator, { deployments, versionTags: 0, environments });
    checkpoint = emulator.checkpoint();
    seeded.set(key, checkpoint);
  }
  emulator.restore(checkpoint);
  return emulator;
}

async function startHistories(): Promise<Histories> {
  const fresh = await startEmulator();
  const tagged = await startEmulator();
  seedVersionTags(tagged, HISTORY_VERSION_TAGS, tagged.git.head());
  return {
    fresh: { emulator: fresh, checkpoint: fresh.checkpoint() },
    tagged: { emulator: tagged, withTags: tagged.checkpoint(), seeded: new Map() },
  };
}

/** Builds the scenario's state on the history and runs its step in-process; returns its requests. */
async function requestsOnHistory(
  scenario: Scenario,
  deployments: number,
  environments: string[],
): Promise<Measured & { step: ScenarioStep }> {
  const emulator = await historyOf(deployments, environments);
  const step = await scenario.arrange(emulator);
  const measured = await measureStep(emulator, step, inProcessRunner);
  expect([measured.exitCode, measured.errors]).toEqual([0, []]);
  expect(emulator.problems).toEqual([]);
  return { ...measured, step };
}

/**
 * Builds the scenario's state without history and runs its step as the bundle, then in-process from the same
 * state: the two make the same requests, in the same order. Returns the bundle's requests.
 */
async function bundleRequests(scenario: Scenario): Promise<Measured & { step: ScenarioStep }> {
  const emulator = await historyOf(0, []);
  const step = await scenario.arrange(emulator);
  const arranged = emulator.checkpoint();
  const bundle = await measureStep(emulator, step, bundleRunner);
  expect([bundle.exitCode, bundle.errors]).toEqual([0, []]);
  const inOrder = emulator.requests.map((request) => `${request.method} ${request.route}`);
  emulator.restore(arranged);
  const inProcess = await measureStep(emulator, step, inProcessRunner);
  expect([inProcess.exitCode, inProcess.errors]).toEqual([0, []]);
  expect(inOrder).toEqual(emulator.requests.map((request) => `${request.method} ${request.route}`));
  expect(bundle.counts).toEqual(inProcess.counts);
  expect(bundle.writes).toEqual(inProcess.writes);
  expect(emulator.problems).toEqual([]);
  return { ...bundle, step };
}

const names = historyScenarios('http://placeholder').map((scenario) => [scenario.name]);

describe.each(names)('request budget: %s', (name) => {
  it('makes the same requests with 0, 100, 1,000 and 10,000 earlier deployments and 1,000 version tags, within its target', async () => {
    const scenario = historyScenarios(health.url).find((candidate) => candidate.name === name) as Scenario;
    const empty = await bundleRequests(scenario);
    // The environments whose history the step meets: its `environment` input, or (status) every one of the chain.
    const environment = empty.step.inputs.environment;
    const environments = environment ? [environment] : chainEnvironments();
    const action: ActionName = empty.step.action;
    for (const size of SIZES) {
      const measured = await requestsOnHistory(scenario, size, environments);
      expect([size, measured.counts]).toEqual([size, empty.counts]);
      expect([size, measured.writes]).toEqual([size, empty.writes]);
    }
    expect({ action, requests: total(empty.counts) }).toEqual({ action, requests: MEASURED[action] });
    expect(total(empty.counts)).toBeLessThanOrEqual(requestTarget(action, empty.writes.length));
  });
});

describe('request budget: deploy-env rolling out a canary', () => {
  it('makes one status request per step more than deploying all at once, the same on 1,000 earlier deployments', async () => {
    for (const steps of [2, 3]) {
      const empty = await bundleRequests(rolloutScenario(steps));
      expect([steps, total(empty.counts)]).toEqual([steps, MEASURED['deploy-env'] + steps]);
      expect(
        empty.writes.filter(
          (write) => write === 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        ),
      ).toHaveLength(
        // Deploying, each step, the replaced release marked inactive, Deployed.
        steps + 3,
      );
      const measured = await requestsOnHistory(rolloutScenario(steps), 1000, ['integration']);
      expect([steps, measured.counts]).toEqual([steps, empty.counts]);
    }
  });
});
