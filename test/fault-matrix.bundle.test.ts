import { expect, it } from '@jest/globals';
import { describeFaultMatrix, MATRIX_PARTS, scenarioNamesOf } from './harness/fault-matrix.js';
import { reliabilityScenarios } from './harness/reliability-scenarios.js';

// Every write request of prepare-release and verify meets every fault, one cell at a time, in-process (the
// actions' definitions through `runAction`, the real client, the emulator), and each action's bundle survives one
// cell as the runner runs it (see test/harness/fault-matrix.ts). deploy-env, accept and rollback are in
// test/fault-matrix-deploy-accept-rollback.bundle.test.ts: two files, so that two jest workers share the matrix.
describeFaultMatrix(scenarioNamesOf(MATRIX_PARTS[0]));

it('the two parts of the matrix cover every scenario, each once', () => {
  const covered = MATRIX_PARTS.flatMap((actions) => scenarioNamesOf(actions));
  const all = reliabilityScenarios('http://placeholder').map((scenario) => scenario.name);
  expect([...covered].sort()).toEqual([...all].sort());
});
