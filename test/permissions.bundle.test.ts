import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resourceNotAccessibleBody, startEmulator } from '@release-promotion/emulator';
import { reliabilityScenarios, runStep, type Scenario } from './harness/reliability-scenarios.js';
import { promoteWithCore } from './harness/promotion-state.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

// What GitHub's documentation says each route needs of a GITHUB_TOKEN; written here independently of the
// code under test, so the two are checked against each other.
const NEEDS: Record<string, string> = {
  'GET /repos/{owner}/{repo}/contents/{path}': 'contents: read',
  'GET /repos/{owner}/{repo}/commits/{ref}': 'contents: read',
  'GET /repos/{owner}/{repo}/compare/{basehead}': 'contents: read',
  'GET /repos/{owner}/{repo}/git/ref/{ref}': 'contents: read',
  'POST /repos/{owner}/{repo}/git/tags': 'contents: write',
  'POST /repos/{owner}/{repo}/git/refs': 'contents: write',
  'GET /repos/{owner}/{repo}/releases/tags/{tag}': 'contents: read',
  'POST /repos/{owner}/{repo}/releases': 'contents: write',
  'PATCH /repos/{owner}/{repo}/releases/{release_id}': 'contents: write',
  'POST /graphql': 'contents: write',
  'GET /repos/{owner}/{repo}/deployments': 'deployments: read',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}': 'deployments: read',
  'POST /repos/{owner}/{repo}/deployments': 'deployments: write',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': 'deployments: read',
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': 'deployments: write',
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals': 'actions: read',
};

let health: HealthServer;
let healthUrl = '';
let cells = 0;

beforeAll(async () => {
  health = await startHealthServer();
  healthUrl = health.url;
});

afterAll(async () => {
  await health.close();
  console.log(`permissions: ${cells} routes refused with 403, each error named its permissions entry`);
});

const approvalScenario: Scenario = {
  name: 'accept reading the run approvals',
  async arrange(emulator) {
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 300, 'deployed');
    return { action: 'accept', runId: 300, sha, inputs: { environment: 'integration', approval: 'run' } };
  },
};

describe.each([...reliabilityScenarios('http://placeholder'), approvalScenario].map((s) => [s.name]))(
  'a 403 "Resource not accessible by integration" on each route of %s',
  (name) => {
    it('fails with one error naming the permissions entry the workflow needs', async () => {
      const scenario =
        name === approvalScenario.name
          ? approvalScenario
          : (reliabilityScenarios(healthUrl).find((candidate) => candidate.name === name) as Scenario);
      // The routes the step uses, from a run without faults.
      const control = await startEmulator();
      const controlStep = await scenario.arrange(control);
      control.resetLog();
      expect((await runStep(control, controlStep)).exitCode).toBe(0);
      const routes = [...new Set(control.requests.map((request) => `${request.method} ${request.route}`))];
      await control.close();

      for (const route of routes) {
        const permission = NEEDS[route];
        expect([route, permission]).toEqual([route, expect.any(String)]);
        const emulator = await startEmulator();
        const step = await scenario.arrange(emulator);
        emulator.faults.add({ route, status: 403, body: resourceNotAccessibleBody() });
        const result = await runStep(emulator, step);
        cells += 1;
        expect([route, result.exitCode]).toEqual([route, 1]);
        expect(result.errors).toHaveLength(1);
        expect([route, result.errors[0]]).toEqual([route, expect.stringContaining(`'${permission}'`)]);
        expect(result.errors[0]).toContain('permissions:');
        await emulator.close();
      }
    });
  },
);
