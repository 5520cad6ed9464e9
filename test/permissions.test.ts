import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  resourceNotAccessibleBody,
  startEmulator,
  type Emulator,
  type RecordedRequest,
} from '@release-promotion/emulator';
import {
  ACTION_PERMISSIONS,
  permissionEntry,
  permissionsYaml,
} from '../packages/core/src/github/action-permissions.js';
import { reliabilityScenarios, runStep, type Scenario } from './harness/reliability-scenarios.js';
import { inProcessRunner } from './harness/step-runners.js';
import { promoteWithCore } from './harness/promotion-state.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';
import type { ActionName } from './harness/action-metadata.js';

// Each action, in-process (its definition through `runAction`, the real client, the emulator), meets a 403 on the
// first request of each kind it makes, one at a time, each from its scenario's state restored.
//
// What GitHub's documentation says each route needs of a GITHUB_TOKEN; written here independently of the
// code under test, so the two are checked against each other. GraphQL requests by operation: the suite's
// queries read tags, commits, files, Releases and deployments; its one mutation moves a tag.
const NEEDS: Record<string, string[]> = {
  'GET /repos/{owner}/{repo}/contents/{path}': ['contents: read'],
  'GET /repos/{owner}/{repo}/commits/{ref}': ['contents: read'],
  'GET /repos/{owner}/{repo}/compare/{basehead}': ['contents: read'],
  'GET /repos/{owner}/{repo}/git/ref/{ref}': ['contents: read'],
  'POST /repos/{owner}/{repo}/git/tags': ['contents: write'],
  'POST /repos/{owner}/{repo}/git/refs': ['contents: write'],
  'GET /repos/{owner}/{repo}/releases/tags/{tag}': ['contents: read'],
  'POST /repos/{owner}/{repo}/releases': ['contents: write'],
  'PATCH /repos/{owner}/{repo}/releases/{release_id}': ['contents: write'],
  'POST /graphql query': ['contents: read', 'deployments: read'],
  'POST /graphql mutation': ['contents: write'],
  'GET /repos/{owner}/{repo}/deployments': ['deployments: read'],
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}': ['deployments: read'],
  'POST /repos/{owner}/{repo}/deployments': ['deployments: write'],
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ['deployments: read'],
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ['deployments: write'],
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals': ['actions: read'],
};

/** The key of a request in NEEDS: method and route, and for GraphQL the kind of operation. */
function needKey(request: RecordedRequest): string {
  const route = `${request.method} ${request.route}`;
  return request.route === '/graphql'
    ? `${route} ${request.graphqlOperation?.split(' ')[0] ?? 'query'}`
    : route;
}

/** The highest access per scope among `entries` (`contents: write` wins over `contents: read`). */
function highest(entries: string[]): string[] {
  const access = new Map<string, string>();
  for (const entry of entries) {
    const [scope = '', level = ''] = entry.split(': ');
    if (access.get(scope) !== 'write') access.set(scope, level);
  }
  return [...access].map(([scope, level]) => `${scope}: ${level}`).sort();
}

/** What each action requested in the runs below, by NEEDS: compared with the table at the end. */
const requested = new Map<ActionName, string[]>();
let health: HealthServer;
let healthUrl = '';
let cells = 0;

beforeAll(async () => {
  health = await startHealthServer();
  healthUrl = health.url;
});

afterAll(async () => {
  await health.close();
  console.log(`permissions: ${cells} requests refused with 403, each error named its action's permissions`);
});

const approvalScenario: Scenario = {
  name: 'accept reading the run approvals',
  async arrange(emulator) {
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 300, 'deployed');
    return { action: 'accept', runId: 300, sha, inputs: { environment: 'integration', approval: 'run' } };
  },
};

const statusScenario: Scenario = {
  name: 'status (read-only)',
  async arrange(emulator) {
    const sha = emulator.git.commit('feat: catalogue');
    await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
    await promoteWithCore(emulator, 'production', sha, 102, 'deployed');
    return { action: 'status', runId: 300, sha, inputs: {} };
  },
};

function scenarios(healthUrl: string): Scenario[] {
  return [...reliabilityScenarios(healthUrl), approvalScenario, statusScenario];
}

describe.each(scenarios('http://placeholder').map((s) => [s.name]))(
  'a 403 "Resource not accessible by integration" on each request kind of %s',
  (name) => {
    it("fails with one error naming the request's permission and the action's own permissions", async () => {
      const scenario = scenarios(healthUrl).find((candidate) => candidate.name === name) as Scenario;
      const emulator = await startEmulator();
      try {
        await refuseEachRequestKind(emulator, scenario);
      } finally {
        await emulator.close();
      }
    });
  },
);

/** Refuses the first request of each kind the scenario's step makes with a 403, one at a time, and checks the error. */
async function refuseEachRequestKind(emulator: Emulator, scenario: Scenario): Promise<void> {
  const step = await scenario.arrange(emulator);
  emulator.resetLog();
  const arranged = emulator.checkpoint();
  // The requests the step makes, from a run without faults: the first of each kind is refused below.
  expect((await runStep(emulator, step, 1, inProcessRunner)).exitCode).toBe(0);
  const targets = new Map<string, { route: string; nth: number }>();
  const perRoute = new Map<string, number>();
  for (const request of emulator.requests) {
    const route = `${request.method} ${request.route}`;
    perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
    if (!targets.has(needKey(request)))
      targets.set(needKey(request), { route, nth: perRoute.get(route) ?? 1 });
  }
  expect(emulator.problems).toEqual([]);
  const action = step.action;
  requested.set(action, [
    ...(requested.get(action) ?? []),
    ...[...targets.keys()].flatMap((key) => NEEDS[key] ?? []),
  ]);

  for (const [key, target] of targets) {
    const needs = NEEDS[key];
    expect([key, needs]).toEqual([key, expect.any(Array)]);
    emulator.restore(arranged);
    emulator.faults.add({ ...target, status: 403, body: resourceNotAccessibleBody() });
    const result = await runStep(emulator, step, 1, inProcessRunner);
    cells += 1;
    expect([key, result.exitCode]).toEqual([key, 1]);
    expect([key, result.errors]).toEqual([key, [expect.any(String)]]);
    const error = result.errors[0] ?? '';
    // A REST route names its own permission; every error gives the action's whole permissions: block.
    if (!key.startsWith('POST /graphql'))
      expect([key, error]).toEqual([key, expect.stringContaining(`'${needs?.[0]}'`)]);
    expect([key, error]).toEqual([key, expect.stringContaining(permissionsYaml(action, 2))]);
    if (action === 'status') expect([key, error]).toEqual([key, expect.not.stringMatching(/: write/)]);
    expect([key, result.summary]).toEqual([key, expect.stringContaining('was refused')]);
    expect(emulator.problems).toEqual([]);
  }
}

describe('the permissions table (packages/core/src/github/action-permissions.ts)', () => {
  it('gives each action exactly the highest access its requests need', () => {
    expect([...requested.keys()].sort()).toEqual(Object.keys(ACTION_PERMISSIONS).sort());
    for (const [action, entries] of requested) {
      const table = ACTION_PERMISSIONS[action].map(permissionEntry).sort();
      expect([action, table]).toEqual([action, highest(entries)]);
    }
  });
});
