import { describeFaultMatrix } from './harness/fault-matrix.js';
import { reliabilityScenarios } from './harness/reliability-scenarios.js';

// Every write request of every action meets every fault, one cell at a time, in-process (the actions' definitions
// through `runAction`, the real client, the emulator). test/fault-matrix.bundle.test.ts runs one cell per action
// as the bundle.
describeFaultMatrix(reliabilityScenarios('http://placeholder').map((scenario) => scenario.name));
