import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type RecordedRequest } from '@release-promotion/emulator';
import { parsePromotionConfig } from '../packages/core/src/chain/promotion-config.js';
import { deployEnvironment } from '../packages/core/src/use-cases/deploy-env.js';
import { prepareRelease } from '../packages/core/src/use-cases/prepare-release.js';
import { coreRun, promoteWithCore } from './harness/promotion-state.js';
import { runActionBundle } from './harness/run-action.js';
import { startHealthServer, type HealthServer } from './harness/health-server.js';

// When the workflow did not check the repository out, the bundles read the configuration file in the same
// GraphQL request as the state their use-case starts from: one read, no contents request.

const CONFIG_PATH = '.github/promotion.yml';

let health: HealthServer;
let healthUrl = '';
let emulator: Emulator;
let workspace: string;

beforeAll(async () => {
  health = await startHealthServer();
  healthUrl = health.url;
});

afterAll(async () => {
  await health.close();
});

beforeEach(async () => {
  emulator = await startEmulator();
  // An empty workspace: the configuration file is only in the repository.
  workspace = mkdtempSync(join(tmpdir(), 'prefetch-workspace-'));
});

afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

const describeRequest = (request: RecordedRequest) =>
  request.graphqlOperation
    ? `${request.method} ${request.route} ${request.graphqlOperation}`
    : `${request.method} ${request.route}`;

const contentsRequests = () => emulator.requests.filter((request) => request.path.includes('/contents/'));

describe('the configuration read with the state (no checkout)', () => {
  it('verify makes one GraphQL read and one status write', async () => {
    const sha = emulator.seed.file(CONFIG_PATH, 'environments: [integration, production]\n', 'chore: config');
    const runId = 4100;
    const deploymentId = await promoteWithCore(emulator, 'integration', sha, runId, 'deployed');
    emulator.resetLog();

    const result = await runActionBundle('verify', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      runId,
      workspace,
      inputs: { environment: 'integration', url: healthUrl, attempts: '1', interval: '0' },
    });

    expect([result.exitCode, result.errors]).toEqual([0, []]);
    expect(result.outputs.result).toBe('passed');
    expect(result.stdout).toContain(`(${CONFIG_PATH}`);
    expect(emulator.requests.map(describeRequest)).toEqual([
      'POST /graphql query PromotionState',
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    ]);
    expect(emulator.requests[1]?.path).toContain(`/deployments/${deploymentId}/statuses`);
    expect(emulator.requests[1]?.requestBody).toMatchObject({ state: 'success' });
    expect(contentsRequests()).toEqual([]);
  });

  it('accept with a custom tag prefix reads again with the real configuration, and moves the custom tag', async () => {
    const config = 'environment-tag-prefix: deployed/\nenvironments: [integration, production]\n';
    const sha = emulator.seed.file(CONFIG_PATH, config, 'chore: config with a tag prefix');
    const runId = 4200;
    // Prepared and deployed by core with the same configuration (the release records no previous commit).
    const run = { ...coreRun(emulator, runId, sha), config: parsePromotionConfig(config, CONFIG_PATH) };
    await prepareRelease(run, { environment: 'integration', force: false, dryRun: false });
    await deployEnvironment(run, {
      environment: 'integration',
      deploymentId: undefined,
      status: 'success',
      run: undefined,
      environmentUrl: undefined,
      dryRun: false,
    });
    emulator.resetLog();

    const result = await runActionBundle('accept', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      runId,
      workspace,
      inputs: { environment: 'integration', approval: 'none' },
    });

    expect([result.exitCode, result.errors]).toEqual([0, []]);
    expect(result.outputs.sha).toBe(sha);
    const reads = emulator.requests.filter((request) => request.graphqlOperation === 'query PromotionState');
    expect(reads).toHaveLength(2);
    // The provisional plan (default prefix) asked for env/integration; the real one for deployed/integration.
    expect(JSON.stringify(reads[0]?.requestBody)).toContain('refs/tags/env/integration');
    expect(JSON.stringify(reads[1]?.requestBody)).toContain('refs/tags/deployed/integration');
    expect(contentsRequests()).toEqual([]);
    expect(emulator.git.run(['rev-parse', 'refs/tags/deployed/integration^{commit}'])).toBe(sha);
    expect(emulator.git.run(['tag', '--list', 'env/*'])).toBe('');
  });

  it('refuses a configuration file with a syntax error, naming the file, and writes nothing', async () => {
    const sha = emulator.seed.file(
      CONFIG_PATH,
      'environments: [integration, production\nversioning:\n  starts-at: production\n',
      'chore: broken config',
    );
    emulator.resetLog();

    const result = await runActionBundle('verify', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      runId: 4300,
      workspace,
      inputs: { environment: 'integration', url: healthUrl, attempts: '1', interval: '0' },
    });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(CONFIG_PATH);
    expect(result.errors[0]).toContain('line 2');
    expect(emulator.writeRequests()).toEqual([]);
    expect(emulator.requests.map(describeRequest)).toEqual(['POST /graphql query PromotionState']);
  });
});
