import { describeFaultMatrix, MATRIX_PARTS, scenarioNamesOf } from './harness/fault-matrix.js';

// Every write request of deploy-env, accept and rollback meets every fault, one cell at a time, in-process (the
// actions' definitions through `runAction`, the real client, the emulator), and each action's bundle survives one
// cell as the runner runs it (see test/harness/fault-matrix.ts). prepare-release and verify are in
// test/fault-matrix.bundle.test.ts.
describeFaultMatrix(scenarioNamesOf(MATRIX_PARTS[1]));
