import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { startEmulator } from '@release-promotion/emulator';
import type { ActionName } from './harness/action-metadata.js';
import { SCENARIO_ENVIRONMENTS } from './harness/promotion-state.js';
import type { Scenario } from './harness/reliability-scenarios.js';
import { runActionBundle } from './harness/run-action.js';
import {
  arrangeOnHistory,
  HISTORY_VERSION_TAGS,
  historyScenarios,
  historyTarget,
} from '../scripts/bench/history.js';

// Every action's bundle makes the same requests, route by route, whatever the history: the step runs in the state
// its scenario builds, on top of 0, 100 or 1,000 earlier deployments in its environment (every environment for
// status) and, with any history, 1,000 version tags. History is seeded before the scenario's state is built, so it
// is older than the step's own releases (see scripts/bench/history.ts). Timings are never asserted here; see
// `npx tsx scripts/bench.ts`.

/**
 * Requests an action makes once its environment holds any earlier deployment, and not in an empty one. The
 * prepare-release scenario prepares the first release of production: with history, the newest deployment there is
 * an earlier release, whose statuses prepare-release reads to see whether it was left prepared and never deployed
 * (superseding it). One request, the same for 1 or 10,000 earlier deployments.
 */
const ONLY_WITH_HISTORY: Partial<Record<ActionName, Record<string, number>>> = {
  'prepare-release': { 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': 1 },
};

let health: Server;
let healthUrl = '';

beforeAll(async () => {
  health = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  const address = health.address();
  healthUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/healthz`;
});

afterAll(() => {
  health.close();
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

/** `counts` with `extra` added, route by route. */
function plus(counts: Record<string, number>, extra: Record<string, number> = {}): Record<string, number> {
  const sum = { ...counts };
  for (const [route, count] of Object.entries(extra)) sum[route] = (sum[route] ?? 0) + count;
  return sum;
}

const names = historyScenarios('http://placeholder').map((scenario) => [scenario.name]);

describe.each(names)('request budget: %s', (name) => {
  it('makes the same requests with 0, 100 and 1,000 earlier deployments and 1,000 version tags', async () => {
    const scenario = historyScenarios(healthUrl).find((candidate) => candidate.name === name) as Scenario;
    const { action, environments } = await historyTarget(scenario);
    const empty = await requestsOnHistory(scenario, environments, 0);
    const hundred = await requestsOnHistory(scenario, environments, 100);
    const thousand = await requestsOnHistory(scenario, environments, 1000);

    expect(Object.keys(empty.counts).length).toBeGreaterThan(0);
    expect(thousand.counts).toEqual(hundred.counts);
    expect(thousand.writes).toEqual(hundred.writes);
    expect(thousand.counts).toEqual(plus(empty.counts, ONLY_WITH_HISTORY[action]));
    expect(thousand.writes).toEqual(empty.writes);
  });
});
