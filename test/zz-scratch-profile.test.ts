import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { matrixFixture, type MatrixFixture } from './harness/fault-matrix.js';
import { reliabilityScenarios, runStep } from './harness/reliability-scenarios.js';
import { inProcessRunner } from './harness/step-runners.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

let health: HealthServer;
let fixture: MatrixFixture;
beforeAll(async () => {
  health = await startHealthServer();
  const scenario = reliabilityScenarios(health.url).find((s) => s.name.startsWith(process.env.SCEN ?? 'accept'))!;
  fixture = await matrixFixture(scenario, inProcessRunner);
});
afterAll(async () => {
  await fixture.emulator.close();
  await health.close();
});
it('times runs', async () => {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    fixture.emulator.restore(fixture.arranged);
    const t = performance.now();
    const r = await runStep(fixture.emulator, fixture.step, 1, inProcessRunner);
    times.push(Math.round(performance.now() - t));
    expect(r.exitCode).toBe(0);
  }
  console.log(times.join(' '), fixture.emulator.requests.map((q) => q.route).join(','));
});
