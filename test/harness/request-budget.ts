import type { Emulator } from '@release-promotion/emulator';
import type { ActionName } from './action-metadata.js';
import { SCENARIO_ENVIRONMENTS } from './promotion-state.js';
import type { ScenarioStep } from './reliability-scenarios.js';
import type { StepRunner } from './step-runners.js';

/**
 * Each step's exact request count (what `npm run bench` prints). A change that adds a request fails here first;
 * when it is worth it, update the number, the performance table in docs/performance.md and the bench notes together.
 */
export const MEASURED: Record<ActionName, number> = {
  'prepare-release': 8,
  'deploy-env': 4,
  verify: 2,
  accept: 5,
  rollback: 6,
  status: 2,
};

/** The requests of one step: counts by `METHOD route`, and its writes in order. */
export interface Measured {
  counts: Record<string, number>;
  writes: string[];
}

/** The sum of request counts. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Runs `step` with `run` in the state the emulator holds (its log cleared first); returns how it ended and its requests. */
export async function measureStep(
  emulator: Emulator,
  step: ScenarioStep,
  run: StepRunner,
): Promise<Measured & { exitCode: number | null; errors: string[] }> {
  emulator.resetLog();
  const result = await run(step.action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha: step.sha,
    runId: step.runId,
    inputs: { environments: SCENARIO_ENVIRONMENTS, ...step.inputs },
    ...(step.workspace ? { workspace: step.workspace } : {}),
  });
  return {
    exitCode: result.exitCode,
    errors: result.errors,
    counts: emulator.requestCounts(),
    writes: emulator.writeRequests().map((request) => `${request.method} ${request.route}`),
  };
}
