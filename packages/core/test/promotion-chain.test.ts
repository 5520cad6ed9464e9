import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { createGitHubClient } from '../src/github/client.js';
import type { RunContext } from '../src/run-context.js';
import { acceptRelease } from '../src/use-cases/accept.js';
import { deployEnvironment } from '../src/use-cases/deploy-env.js';
import { prepareRelease } from '../src/use-cases/prepare-release.js';
import { rollbackEnvironment } from '../src/use-cases/rollback.js';
import { readStatus } from '../src/use-cases/status.js';
import type { UseCaseDependencies } from '../src/use-cases/use-case-dependencies.js';
import { recordingLogger } from './support/loggers.js';

const CONFIG = `
environments:
  - name: integration
  - name: preproduction
    url: https://pre.example.com
  - name: production
    url: https://example.com
    approval: required
    prevent-self-approval: true
`;

let emulator: Emulator;
let runId = 100;

function dependencies(sha: string, actor = 'mona'): UseCaseDependencies {
  runId += 1;
  const context: RunContext = {
    owner: emulator.owner,
    repo: emulator.repo,
    sha,
    ref: 'refs/heads/main',
    runId,
    runAttempt: 1,
    actor,
    serverUrl: 'https://github.com',
    apiUrl: emulator.url,
    workflow: 'Promote',
    job: 'promote',
    workspace: undefined,
  };
  return {
    client: createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 }),
    context,
    logger: recordingLogger(),
    config: parsePromotionConfig(CONFIG, 'test configuration'),
  };
}

/** prepare, deploy and accept one environment in one run. */
async function promote(environment: string, sha: string, options: { approver?: string } = {}) {
  const deps = dependencies(sha);
  if (options.approver) {
    emulator.seed.approvals(deps.context.runId, [
      { environment, user: options.approver, comment: 'ship it' },
    ]);
  }
  const prepared = await prepareRelease(deps, { environment, force: false, dryRun: false });
  await deployEnvironment(deps, {
    environment,
    deploymentId: undefined,
    status: 'success',
    run: undefined,
    environmentUrl: undefined,
    dryRun: false,
  });
  const accepted = await acceptRelease(deps, {
    environment,
    deploymentId: undefined,
    approval: 'run',
    dryRun: false,
  });
  return { prepared, accepted, deps };
}

const tagOf = (name: string) => emulator.git.run(['rev-parse', `refs/tags/${name}^{commit}`]);

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

describe('a release carried through the chain (core on the emulator)', () => {
  it('versions, tags, releases and promotes a commit from integration to production', async () => {
    const first = emulator.git.commit('feat: catalogue');
    const int = await promote('integration', first);
    expect(int.prepared.version).toBeUndefined();
    expect(int.accepted.nextEnvironment).toBe('preproduction');
    expect(tagOf('env/integration')).toBe(first);

    const pre = await promote('preproduction', first);
    expect(pre.prepared.version).toBe('1.0.0');
    expect(pre.prepared.tag).toBe('v1.0.0');
    expect(tagOf('v1.0.0')).toBe(first);
    expect(emulator.git.run(['cat-file', '-t', 'refs/tags/v1.0.0'])).toBe('tag');
    expect(emulator.store.releases.find((r) => r.tagName === 'v1.0.0')).toMatchObject({ prerelease: true });

    const prod = await promote('production', first, { approver: 'lisa' });
    expect(prod.prepared.version).toBe('1.0.0');
    expect(prod.accepted.approvals.map((a) => a.user)).toEqual(['lisa']);
    expect(prod.accepted.releaseFinal).toBe(true);
    expect(emulator.store.releases.find((r) => r.tagName === 'v1.0.0')).toMatchObject({ prerelease: false });
    expect(tagOf('env/production')).toBe(first);

    const status = await readStatus(dependencies(first));
    expect(status.environments.map((e) => [e.environment, e.version, e.pending?.count ?? null])).toEqual([
      ['integration', null, null],
      ['preproduction', '1.0.0', 0],
      ['production', '1.0.0', 0],
    ]);
  });

  it('refuses to prepare for production a commit never accepted in preproduction, writing nothing', async () => {
    const unaccepted = emulator.git.commit('fix: not promoted yet');
    await promote('integration', unaccepted);
    emulator.resetLog();
    await expect(
      prepareRelease(dependencies(unaccepted), {
        environment: 'production',
        ref: unaccepted,
        force: false,
        dryRun: false,
      }),
    ).rejects.toThrow(/never accepted in 'preproduction', so it cannot be prepared for 'production'/);
    expect(emulator.writeRequests()).toEqual([]);
  });

  it('bumps versions from conventional commits: fix -> patch, feat -> minor, breaking -> major', async () => {
    const versions: string[] = [];
    for (const message of ['fix: rounding', 'feat: gift cards', 'feat!: new checkout API']) {
      const sha = emulator.git.commit(message);
      await promote('integration', sha);
      versions.push((await promote('preproduction', sha)).prepared.version ?? '');
    }
    expect(versions).toEqual(['1.0.1', '1.1.0', '2.0.0']);
  });

  it('refuses production without an approval, and self-approval where forbidden', async () => {
    const sha = tagOf('env/preproduction');
    const deps = dependencies(sha, 'mona');
    await prepareRelease(deps, { environment: 'production', force: false, dryRun: false });
    await deployEnvironment(deps, {
      environment: 'production',
      deploymentId: undefined,
      status: 'success',
      run: undefined,
      environmentUrl: undefined,
      dryRun: false,
    });
    await expect(
      acceptRelease(deps, {
        environment: 'production',
        deploymentId: undefined,
        approval: 'run',
        dryRun: false,
      }),
    ).rejects.toThrow(/requires an approval/);
    emulator.seed.approvals(deps.context.runId, [{ environment: 'production', user: 'mona' }]);
    await expect(
      acceptRelease(deps, {
        environment: 'production',
        deploymentId: undefined,
        approval: 'run',
        dryRun: false,
      }),
    ).rejects.toThrow(/forbids self-approval/);
  });

  it('rolls back to the previous release and bars the bad one without force', async () => {
    const before = tagOf('env/preproduction');
    const bad = emulator.git.commit('feat: risky change');
    await promote('integration', bad);
    await promote('preproduction', bad);
    expect(tagOf('env/preproduction')).toBe(bad);

    const result = await rollbackEnvironment(dependencies(bad), {
      environment: 'preproduction',
      to: undefined,
      reason: 'error rate doubled',
      run: undefined,
      dryRun: false,
    });
    expect(result.target.sha).toBe(before);
    expect(tagOf('env/preproduction')).toBe(before);
    const rollbackDeployment = emulator.store.deployments.find((d) => d.id === result.deploymentId);
    expect(JSON.stringify(rollbackDeployment?.payload)).toContain('error rate doubled');

    await expect(
      prepareRelease(dependencies(bad), { environment: 'preproduction', force: false, dryRun: false }),
    ).rejects.toThrow(/was rolled back in 'preproduction'/);
    const forced = await prepareRelease(dependencies(bad), {
      environment: 'preproduction',
      force: true,
      reason: 'fixed by config change',
      dryRun: false,
    });
    expect(forced.overrides).toEqual([{ kind: 'gate', description: expect.stringContaining('rolled back') }]);
  });
});
