import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '@release-promotion/emulator';
import type { ActionName } from './harness/action-metadata.js';
import { requestTarget } from './harness/request-targets.js';
import { SCENARIO_ENVIRONMENTS } from './harness/promotion-state.js';
import type { Scenario } from './harness/reliability-scenarios.js';
import { runActionBundle } from './harness/run-action.js';
import {
  arrangeOnHistory,
  HISTORY_VERSION_TAGS,
  historyScenarios,
  historyTarget,
} from '../scripts/bench/history.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

// Every action's bundle makes the same requests, route by route, whatever the history: the step runs in the state
// its scenario builds, on top of 0, 100, 1,000 or 10,000 earlier deployments in its environment (every environment for
// status) and, with any history, 1,000 version tags. History is seeded before the scenario's state is built, so it
// is older than the step's own releases (see scripts/bench/history.ts). Timings are never asserted here; see
// `npx tsx scripts/bench.ts`.

let health: HealthServer;
let healthUrl = '';

beforeAll(async () => {
  health = await startHealthServer();
  healthUrl = health.url;
});

afterAll(async () => {
  await health.close();
});

interface Measured {
  counts: Record<string, number>;
  writes: string[];
}

/** Runs the scenario's step on `deployments` earlier deployments; returns its requests by route and its writes. */
async function requestsOnHistory(
  scenario: Scenario,
  environments: string[],
  deployments: number,
): Promise<Measured> {
  const emulator = await startEmulator();
  try {
    const step = await arrangeOnHistory(emulator, scenario, {
      deployments,
      versionTags: deployments > 0 ? HISTORY_VERSION_TAGS : 0,
      environments,
    });
    const result = await runActionBundle(step.action, {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha: step.sha,
      runId: step.runId,
      inputs: { environments: SCENARIO_ENVIRONMENTS, ...step.inputs },
    });
    expect([result.exitCode, result.errors]).toEqual([0, []]);
    expect(emulator.problems).toEqual([]);
    return {
      counts: emulator.requestCounts(),
      writes: emulator.writeRequests().map((request) => `${request.method} ${request.route}`),
    };
  } finally {
    await emulator.close();
  }
}

const names = historyScenarios('http://placeholder').map((scenario) => [scenario.name]);

/**
 * Each step's exact request count (what `npm run bench` prints). A change that adds a request fails here first;
 * when it is worth it, update the number, the README's Performance table and the bench notes together.
 */
const MEASURED: Record<ActionName, number> = {
  'prepare-release': 8,
  'deploy-env': 4,
  verify: 2,
  accept: 5,
  rollback: 6,
  status: 2,
};

const total = (counts: Record<string, number>) =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);

describe.each(names)('request budget: %s', (name) => {
  it('makes the same requests with 0, 100, 1,000 and 10,000 earlier deployments and 1,000 version tags, within its target', async () => {
    const scenario = historyScenarios(healthUrl).find((candidate) => candidate.name === name) as Scenario;
    const { action, environments } = await historyTarget(scenario);
    const empty = await requestsOnHistory(scenario, environments, 0);
    for (const size of [100, 1000, 10_000]) {
      const measured = await requestsOnHistory(scenario, environments, size);
      expect([size, measured.counts]).toEqual([size, empty.counts]);
      expect([size, measured.writes]).toEqual([size, empty.writes]);
    }
    expect({ action, requests: total(empty.counts) }).toEqual({ action, requests: MEASURED[action] });
    expect(total(empty.counts)).toBeLessThanOrEqual(requestTarget(action, empty.writes.length));
  });
});
