import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorCheckpoint } from '@release-promotion/emulator';
import { printedOutput, TEST_TOKEN } from './run-action.js';
import { promotionSnapshot } from './promotion-state.js';
import {
  controlOf,
  faultKinds,
  reliabilityScenarios,
  runStep,
  type ControlRun,
  type Scenario,
  type ScenarioStep,
  type WritePoint,
} from './reliability-scenarios.js';
import { bundleRunner, inProcessRunner, type StepRunner } from './step-runners.js';
import { startHealthServer, type HealthServer } from './health-server.js';

/**
 * One scenario of the fault matrix, arranged once: its emulator, the state the step runs in (a checkpoint each
 * cell starts from), the step, and the fault-free run's final state and writes.
 */
export interface MatrixFixture {
  emulator: Emulator;
  arranged: EmulatorCheckpoint;
  step: ScenarioStep;
  control: ControlRun;
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
): Promise<'retried' | 'rerun'> {
  const { emulator, step } = fixture;
  emulator.restore(fixture.arranged);
  tally.cells += 1;
  try {
    emulator.faults.add({ ...faultKinds()[fault], route: point.route, nth: point.nth });
    const first = await runStep(emulator, step, 1, run);
    expect(first.timedOut).toBe(false);
    expect(printedOutput(first)).not.toContain(TEST_TOKEN);
    const outcome = first.exitCode === 0 ? 'retried' : 'rerun';
    if (outcome === 'retried') {
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
    return outcome;
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

/** The cell each action's committed bundle runs: its last write failing for good, then a re-run. */
export const BUNDLE_CELL_FAULT = 'persistent 503 (every retry fails)';

/**
 * The matrix of the scenarios `names` (of {@link reliabilityScenarios}), in-process: every write of each
 * step meets every fault kind, one cell at a time, each cell starting from the arranged state restored. Then the
 * step's committed bundle, as the runner runs it, survives one cell: its last write failing with a persistent 503,
 * so the step fails with one error (exit code 1), and the re-run (attempt 2) completes and reaches the final state
 * of the in-process run without faults.
 */
export function describeFaultMatrix(names: string[]): void {
  let health: HealthServer;
  const tally: MatrixTally = { cells: 0, retried: 0, rerun: 0 };
  const bundleTally: MatrixTally = { cells: 0, retried: 0, rerun: 0 };
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
    console.log(`fault matrix: ${tallyLine(tally)} in-process; ${tallyLine(bundleTally)} as the bundle`);
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

    it(`the bundle survives its last write failing: ${BUNDLE_CELL_FAULT}`, async () => {
      const point = fixture.control.writes.at(-1);
      expect(point).toBeDefined();
      if (!point) return;
      expect(await expectCellHolds(fixture, point, BUNDLE_CELL_FAULT, bundleRunner, bundleTally)).toBe(
        'rerun',
      );
    });
  });
}

/**
 * The actions of the matrix, in two parts: one file each (test/fault-matrix.bundle.test.ts,
 * test/fault-matrix-deploy-accept-rollback.bundle.test.ts), of about the same duration, so that two workers share
 * it.
 */
export const MATRIX_PARTS = [
  ['prepare-release', 'verify'],
  ['deploy-env', 'accept', 'rollback'],
] as const;

/** The names of the reliability scenarios whose step runs one of `actions`. */
export function scenarioNamesOf(actions: readonly string[]): string[] {
  const names = reliabilityScenarios('http://placeholder').map((scenario) => scenario.name);
  const chosen = names.filter((name) => actions.some((action) => name.startsWith(`${action} `)));
  if (chosen.length !== actions.length)
    throw new Error(`not one scenario per action of ${actions.join(', ')}`);
  return chosen;
}
