import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '@release-promotion/emulator';
import { printedOutput, TEST_TOKEN } from './harness/run-action.js';
import { promotionSnapshot } from './harness/promotion-state.js';
import {
  controlRun,
  faultKinds,
  reliabilityScenarios,
  runStep,
  type Scenario,
  type WritePoint,
} from './harness/reliability-scenarios.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

// Every write request of every action meets every fault, one cell at a time. A cell holds when the action either
// retried and succeeded, or failed with one clear error and a re-run (the next attempt of the same run) completed;
// either way the final state equals the fault-free run's, and nothing hung or printed the token.
let health: HealthServer;
let healthUrl = '';
const tally = { cells: 0, retried: 0, rerun: 0 };

beforeAll(async () => {
  health = await startHealthServer();
  healthUrl = health.url;
});

afterAll(async () => {
  await health.close();
  console.log(
    `fault matrix: ${tally.cells} cells, ${tally.retried + tally.rerun} hold ` +
      `(${tally.retried} retried and succeeded, ${tally.rerun} failed clearly and a re-run completed)`,
  );
});

async function holds(scenario: Scenario, control: unknown, point: WritePoint, fault: string): Promise<void> {
  const emulator = await startEmulator();
  try {
    const step = await scenario.arrange(emulator);
    emulator.resetLog();
    emulator.faults.add({ ...faultKinds()[fault], route: point.route, nth: point.nth });
    const first = await runStep(emulator, step, 1);
    expect(first.timedOut).toBe(false);
    expect(printedOutput(first)).not.toContain(TEST_TOKEN);
    if (first.exitCode === 0) {
      tally.retried += 1;
    } else {
      expect(first.errors).toHaveLength(1);
      expect(first.errors[0]).toMatch(/re-run|GitHub/i);
      emulator.faults.clear();
      const again = await runStep(emulator, step, 2);
      expect([again.exitCode, again.errors]).toEqual([0, []]);
      tally.rerun += 1;
    }
    expect(promotionSnapshot(emulator)).toEqual(control);
    expect(emulator.problems).toEqual([]);
  } finally {
    await emulator.close();
  }
}

const scenarios = reliabilityScenarios('http://placeholder');

describe.each(scenarios.map((scenario) => [scenario.name]))('fault matrix: %s', (name) => {
  let scenario: Scenario;
  let control: { snapshot: unknown; writes: WritePoint[] };

  beforeAll(async () => {
    scenario = reliabilityScenarios(healthUrl).find((candidate) => candidate.name === name) as Scenario;
    control = await controlRun(scenario);
  });

  it('makes writes to fault', () => {
    expect(control.writes.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(faultKinds()))('every write survives: %s', async (fault) => {
    for (const point of control.writes) {
      tally.cells += 1;
      try {
        await holds(scenario, control.snapshot, point, fault);
      } catch (error) {
        throw new Error(`${point.route} #${point.nth} with ${fault}: ${(error as Error).message}`);
      }
    }
  });
});
