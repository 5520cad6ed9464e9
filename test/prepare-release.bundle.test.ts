import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { readReleasePayload } from '../packages/core/src/state/deployment-payload.js';
import { runActionBundle, TEST_TOKEN, type RunActionOptions } from './harness/run-action.js';

const ENVIRONMENTS = 'integration, preproduction, production';
let emulator: Emulator;
let sha: string;
let runId = 9000;

function step(
  inputs: Record<string, string>,
  extra: Partial<RunActionOptions> = {},
): Promise<Awaited<ReturnType<typeof runActionBundle>>> {
  runId += 1;
  return runActionBundle('prepare-release', {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha,
    runId,
    inputs: { environments: ENVIRONMENTS, ...inputs },
    ...extra,
  });
}

function deploymentsOf(environment: string) {
  return emulator.store.deployments.filter((deployment) => deployment.environment === environment);
}

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.seed.user('octocat', 'octocat@example.com');
  sha = emulator.git.commit('feat: checkout page', {
    author: { name: 'Mona', email: 'octocat@example.com' },
  });
});

afterEach(() => {
  emulator.faults.clear();
});

afterAll(async () => {
  // Every request any bundle sent, and every answer, matched GitHub's OpenAPI description.
  expect(emulator.problems).toEqual([]);
  expect(emulator.requests.filter((request) => request.route === 'UNMATCHED')).toEqual([]);
  await emulator.close();
});

describe('prepare-release bundle, run as the runner runs it', () => {
  it('creates a queued deployment, sets its outputs and writes a summary', async () => {
    emulator.resetLog();
    const result = await step({ environment: 'integration' });

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.sha).toBe(sha);
    expect(result.outputs['deployment-id']).toMatch(/^\d+$/);
    expect(result.outputs['previous-sha']).toBe('');
    expect(result.outputs['release-notes']).toContain('### Features\n\n- checkout page');
    const deployment = emulator.store.deployments.find(
      (d) => d.id === Number(result.outputs['deployment-id']),
    );
    expect(deployment).toMatchObject({ sha, environment: 'integration' });
    expect(readReleasePayload(deployment?.payload)).toMatchObject({ sha, run: { id: runId, attempt: 1 } });

    expect(result.summary).toContain(`## ${sha.slice(0, 7)} prepared for integration`);
    expect(result.summary).toContain('feat: checkout page');
    expect(result.summary).toContain('**Next:** deploy it with `deploy-env`');
    expect(emulator.writeRequests().map((request) => `${request.method} ${request.route}`)).toEqual([
      'POST /repos/{owner}/{repo}/deployments',
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    ]);
  });

  it('registers the token as a secret and never prints it otherwise', async () => {
    const result = await step({ environment: 'integration', 'dry-run': 'true', ref: 'main' });
    expect(result.exitCode).toBe(0);
    // `::add-mask::` is how a step tells the runner to mask a value; the runner does not print that line.
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line === `::add-mask::${TEST_TOKEN}`)).toHaveLength(1);
    const printed = [
      ...lines.filter((line) => !line.startsWith('::add-mask::')),
      result.stderr,
      result.summary,
    ];
    expect(printed.join('\n')).not.toContain(TEST_TOKEN);
    expect(result.summary).toContain('## Dry run');
  });

  it('retries a 502 on the deployment creation and succeeds with one deployment', async () => {
    const before = deploymentsOf('integration').length;
    emulator.faults.add({ route: 'POST /repos/{owner}/{repo}/deployments', status: 502, times: 1 });
    emulator.resetLog();
    const result = await step({ environment: 'integration' });

    expect(result.exitCode).toBe(0);
    expect(emulator.requestCounts()['POST /repos/{owner}/{repo}/deployments']).toBe(2);
    expect(emulator.requests.filter((request) => request.status === 502)).toHaveLength(1);
    expect(deploymentsOf('integration').length).toBe(before + 1);
  });

  it('names the missing permissions entry when GitHub answers 403 not accessible', async () => {
    emulator.faults.add({
      route: 'POST /repos/{owner}/{repo}/deployments',
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
        status: '403',
      },
    });
    const result = await step({ environment: 'integration' });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain("'deployments: write'");
    expect(result.errors[0]).toContain('permissions:');
  });

  it.each([
    [{ environment: '' }, "Input 'environment' is required"],
    [{ environment: 'staging' }, "Environment 'staging' is not in the chain"],
    [{ environment: 'integration', environments: 'integration, ../x' }, "Environment name '../x'"],
    [{ environment: 'integration', 'dry-run': 'yes' }, "Input 'dry-run' is 'yes', not a boolean"],
    [{ environment: 'integration', ref: 'no-such-branch' }, "'no-such-branch' (input 'ref') is not a commit"],
    [{ environment: 'integration', environments: '' }, 'No promotion configuration'],
  ])('refuses bad input %j with exit code 1, one error line and no write', async (inputs, message) => {
    emulator.resetLog();
    const result = await step(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(message);
    expect(emulator.writeRequests()).toEqual([]);
  });
});
