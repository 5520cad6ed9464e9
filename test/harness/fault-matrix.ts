import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorCheckpoint } from '@release-promotion/emulator';
import { printedOutput, TEST_TOKEN } from './run-action.js';
import { promotionSnapshot } from './promotion-state.js';
import {
  controlOf,
  faultKinds,
  reliabilityScenarios,
  runStep,
  type Scenario,
  type ScenarioStep,
  type WritePoint,
} from './reliability-scenarios.js';
import { inProcessRunner, type StepRunner } from './step-runners.js';
import { startHealthServer, type HealthServer } from './health-server.js';

/**
 * One scenario of the fault matrix, arranged once: its emulator, the state the step runs in (a checkpoint each
 * cell starts from), the step, and the fault-free run's final state and writes.
 */
export interface MatrixFixture {
  emulator: Emulator;
  arranged: EmulatorCheckpoint;
  step: ScenarioStep;
  control: { snapshot: unknown; writes: WritePoint[] };
}

/** How the cells ended: retried and succeeded, or failed clearly and a re-run completed. */
export interface MatrixTally {
  cells: number;
  retried: number;
  rerun: number;
}

/** Arranges `scenario` on a new emulator, saves that state and runs the step once without faults with `run`. */
export async function matrixFixture(scenario: Scenario, run: StepRunner): Promise<MatrixFixture> {
  const emulator = await startEmulator();
  const step = await scenario.arrange(emulator);
  emulator.resetLog();
  const arranged = emulator.checkpoint();
  const control = await controlOf(emulator, step, run);
  emulator.restore(arranged);
  return { emulator, arranged, step, control };
}

/**
 * One cell: the step, run with `run` in the arranged state, meets `fault` at write `point`. It holds when the
 * step either retried and succeeded, or failed with one clear error and a re-run (the next attempt of the same
 * run) completed; either way the final state equals the fault-free run's, and nothing hung or printed the token.
 */
export async function expectCellHolds(
  fixture: MatrixFixture,
  point: WritePoint,
  fault: string,
  run: StepRunner,
  tally: MatrixTally,
): Promise<void> {
  const { emulator, step } = fixture;
  emulator.restore(fixture.arranged);
  tally.cells += 1;
  try {
    emulator.faults.add({ ...faultKinds()[fault], route: point.route, nth: point.nth });
    const first = await runStep(emulator, step, 1, run);
    expect(first.timedOut).toBe(false);
    expect(printedOutput(first)).not.toContain(TEST_TOKEN);
    if (first.exitCode === 0) {
      tally.retried += 1;
    } else {
      expect(first.errors).toHaveLength(1);
      expect(first.errors[0]).toMatch(/re-run|GitHub/i);
      emulator.faults.clear();
      const again = await runStep(emulator, step, 2, run);
      expect([again.exitCode, again.errors]).toEqual([0, []]);
      tally.rerun += 1;
    }
    expect(promotionSnapshot(emulator)).toEqual(fixture.control.snapshot);
    expect(emulator.problems).toEqual([]);
  } catch (error) {
    throw new Error(`${point.route} #${point.nth} with ${fault}: ${(error as Error).message}`);
  } finally {
    emulator.faults.clear();
  }
}

/** The line a matrix file prints at its end. */
export function tallyLine(tally: MatrixTally): string {
  return (
    `${tally.cells} cells, ${tally.retried + tally.rerun} hold ` +
    `(${tally.retried} retried and succeeded, ${tally.rerun} failed clearly and a re-run completed)`
  );
}

/**
 * The matrix of the scenarios `names` (of {@link reliabilityScenarios}), in-process: every write of each
 * step meets every fault kind, one cell at a time, each cell starting from the arranged state restored.
 */
export function describeFaultMatrix(names: string[]): void {
  let health: HealthServer;
  const tally: MatrixTally = { cells: 0, retried: 0, rerun: 0 };
  const fixtures: MatrixFixture[] = [];

  beforeAll(async () => {
    health = await startHealthServer();
  });

  afterAll(async () => {
    await health.close();
    for (const fixture of fixtures) {
      expect(fixture.emulator.problems).toEqual([]);
      await fixture.emulator.close();
    }
    console.log(`fault matrix (in-process): ${tallyLine(tally)}`);
  });

  describe.each(names.map((name) => [name]))('fault matrix: %s', (name) => {
    let fixture: MatrixFixture;

    beforeAll(async () => {
      const scenario = reliabilityScenarios(health.url).find((candidate) => candidate.name === name);
      if (!scenario) throw new Error(`no scenario ${name}`);
      fixture = await matrixFixture(scenario, inProcessRunner);
      fixtures.push(fixture);
    });

    it('makes writes to fault', () => {
      expect(fixture.control.writes.length).toBeGreaterThan(0);
    });

    it.each(Object.keys(faultKinds()))('every write survives: %s', async (fault) => {
      for (const point of fixture.control.writes) {
        await expectCellHolds(fixture, point, fault, inProcessRunner, tally);
      }
    });
  });
}
