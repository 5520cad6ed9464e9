import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { UserError } from '../src/errors.js';
import { createGitHubClient } from '../src/github/client.js';
import { acceptSummary } from '../src/report/accept-summary.js';
import { deployEnvironmentSummary } from '../src/report/deploy-env-summary.js';
import type { RunContext } from '../src/run-context.js';
import { readReleasePayload } from '../src/state/deployment-payload.js';
import { acceptRelease } from '../src/use-cases/accept.js';
import { deployEnvironment, type DeployStatus } from '../src/use-cases/deploy-env.js';
import { prepareRelease } from '../src/use-cases/prepare-release.js';
import type { UseCaseDependencies } from '../src/use-cases/use-case-dependencies.js';
import { recordingLogger } from './support/loggers.js';

// integration is frozen on Friday, Saturday and Sunday evenings in Paris, and over the end of the year.
const config = parsePromotionConfig(
  `environments:
  - name: integration
    freeze:
      - {days: [fri, sat, sun], from: "16:00", to: "23:59", time-zone: Europe/Paris, reason: weekend}
      - {from: 2026-12-20T00:00:00+01:00, to: 2027-01-04T00:00:00+01:00, reason: end of year}
  - production
`,
  'test',
);

/** Friday 3 July 2026, 17:00 in Paris (UTC+2): inside the weekly window. */
const INSIDE = new Date('2026-07-03T15:00:00Z');
/** Wednesday 1 July 2026, 12:00 in Paris: outside every window. */
const OUTSIDE = new Date('2026-07-01T10:00:00Z');
/** Monday 6 July 2026, 09:00 in Paris: after the weekend. */
const MONDAY = new Date('2026-07-06T07:00:00Z');
/** Christmas Eve 2026: inside the dated window. */
const HOLIDAYS = new Date('2026-12-24T12:00:00Z');

/** The weekly window as messages describe it at INSIDE. */
const WEEKEND_FREEZE =
  "freeze window 'fri, sat, sun 16:00-23:59 Europe/Paris' (reason: weekend), until Fri 2026-07-03 23:59 " +
  'Europe/Paris (UTC+02:00)';
const WEEKEND_REFUSAL = `'integration' is frozen: ${WEEKEND_FREEZE}.`;

let emulator: Emulator;
let baseContext: RunContext;
let runId = 9100;

type Logger = ReturnType<typeof recordingLogger>;

/** A new workflow run on a new commit; `at(date)` gives its dependencies with the clock reading `date`. */
function newRun() {
  runId += 1;
  const sha = emulator.git.commit(`feat: change for run ${runId}`);
  const context: RunContext = { ...baseContext, sha, runId };
  const logger: Logger = recordingLogger();
  const client = createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 });
  const at = (date: Date | undefined): UseCaseDependencies => ({
    client,
    context,
    logger,
    config,
    ...(date ? { clock: { now: () => date.getTime(), sleep: async () => undefined } } : {}),
  });
  return { sha, runId, logger, at };
}

const prepare = (
  dependencies: UseCaseDependencies,
  override: { force: boolean; reason?: string } = { force: false },
) => prepareRelease(dependencies, { environment: 'integration', dryRun: false, ...override });

const deploy = (
  dependencies: UseCaseDependencies,
  status: DeployStatus,
  override: { force?: boolean; reason?: string } = {},
) =>
  deployEnvironment(dependencies, {
    environment: 'integration',
    deploymentId: undefined,
    status,
    run: undefined,
    environmentUrl: undefined,
    dryRun: false,
    ...override,
  });

const accept = (dependencies: UseCaseDependencies, override: { force?: boolean; reason?: string } = {}) =>
  acceptRelease(dependencies, {
    environment: 'integration',
    deploymentId: undefined,
    approval: 'none',
    dryRun: false,
    ...override,
  });

/** The descriptions of a deployment's statuses, oldest first. */
function descriptions(deploymentId: number | undefined): string[] {
  return emulator.store.statuses
    .filter((status) => status.deploymentId === deploymentId)
    .map((status) => status.description);
}

/** Runs `action`, expecting a UserError whose message is returned, and checks that nothing was written. */
async function refusalWithoutWrites(action: () => Promise<unknown>): Promise<string> {
  emulator.resetLog();
  const error = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  expect(emulator.writeRequests()).toEqual([]);
  return (error as UserError).message;
}

beforeAll(async () => {
  emulator = await startEmulator();
  baseContext = {
    owner: emulator.owner,
    repo: emulator.repo,
    sha: emulator.git.commit('feat: first'),
    ref: 'refs/heads/main',
    runId,
    runAttempt: 1,
    actor: 'octocat',
    serverUrl: 'https://github.com',
    apiUrl: emulator.url,
    workflow: 'CD',
    job: 'deploy',
    workspace: undefined,
  };
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

describe('freeze windows, evaluated with the clock of the moment each action runs', () => {
  it('prepare-release refuses inside a weekly window, naming it, its end and the override, and writes nothing', async () => {
    const run = newRun();
    const message = await refusalWithoutWrites(() => prepare(run.at(INSIDE)));
    expect(message).toBe(
      `${WEEKEND_REFUSAL} prepare-release makes no change to 'integration' during a freeze ('freeze' of the ` +
        "environment in the configuration). Run it again after the freeze, or set 'force: true' with a 'reason' " +
        'to override the freeze; the override is recorded on the deployment.',
    );
  });

  it('prepare-release refuses inside a dated window, with its reason and end', async () => {
    const run = newRun();
    const message = await refusalWithoutWrites(() => prepare(run.at(HOLIDAYS)));
    expect(message).toMatch(
      /^'integration' is frozen: freeze window '2026-12-20T00:00:00\+01:00 to 2027-01-04T00:00:00\+01:00' \(reason: end of year\), until Mon 2027-01-04 00:00 \(UTC\+01:00\)\. prepare-release /,
    );
  });

  it('allows a whole promotion outside the windows and records no override', async () => {
    const run = newRun();
    const prepared = await prepare(run.at(OUTSIDE));
    await deploy(run.at(OUTSIDE), 'success');
    const accepted = await accept(run.at(OUTSIDE));

    expect(accepted.sha).toBe(run.sha);
    expect(prepared.overrides).toEqual([]);
    const deployment = emulator.store.deployments.find((candidate) => candidate.id === prepared.deploymentId);
    expect(readReleasePayload(deployment?.payload)?.forced).toBeNull();
    expect(descriptions(prepared.deploymentId).join('\n')).not.toMatch(/freeze/);
    expect(run.logger.lines.filter((line) => line.level === 'warning')).toEqual([]);
  });

  it('deploy-env and accept refuse inside the window without writing; the same run completes after it', async () => {
    const run = newRun();
    const prepared = await prepare(run.at(OUTSIDE));

    const deployRefusal = await refusalWithoutWrites(() => deploy(run.at(INSIDE), 'in_progress'));
    expect(deployRefusal).toMatch(/^'integration' is frozen: .* deploy-env makes no change to 'integration'/);
    expect(deployRefusal).toContain(WEEKEND_REFUSAL);
    expect(await refusalWithoutWrites(() => deploy(run.at(INSIDE), 'success'))).toContain(WEEKEND_REFUSAL);
    expect(descriptions(prepared.deploymentId)).toEqual([
      `Prepared ${run.sha.slice(0, 7)} by run ${run.runId}; waiting to be deployed`,
    ]);

    await deploy(run.at(OUTSIDE), 'success');
    emulator.resetLog();
    const acceptRefusal = await refusalWithoutWrites(() => accept(run.at(INSIDE)));
    expect(acceptRefusal).toMatch(/^'integration' is frozen: .* accept makes no change to 'integration'/);
    // accept is refused before it reads anything.
    expect(emulator.requests).toEqual([]);

    const accepted = await accept(run.at(MONDAY));
    expect(accepted.sha).toBe(run.sha);
    expect(emulator.git.run(['rev-parse', 'refs/tags/env/integration']).trim()).toBe(run.sha);
  });

  it('allows force with a reason inside the window, and records the reason', async () => {
    const run = newRun();
    const reason = 'hotfix for incident 42';
    const prepared = await prepare(run.at(INSIDE), { force: true, reason });
    const deploying = await deploy(run.at(INSIDE), 'in_progress', { force: true, reason });
    await deploy(run.at(INSIDE), 'success', { force: true, reason });
    const accepted = await accept(run.at(INSIDE), { force: true, reason });
    expect(accepted.sha).toBe(run.sha);
    // The summaries say so too.
    expect(deployEnvironmentSummary(deploying)).toMatch(
      /\| Freeze \| ⚠️ overridden with force: freeze window 'fri, sat, sun 16:00-23:59 Europe\/Paris' .*: hotfix for incident 42 \|/,
    );
    expect(acceptSummary(accepted)).toContain('⚠️ Freeze overridden: ');

    // prepare-release: in its overrides (summary) and the deployment payload's `forced`.
    expect(prepared.overrides).toEqual([
      { kind: 'freeze', description: `'integration' is frozen (${WEEKEND_FREEZE})` },
    ]);
    const deployment = emulator.store.deployments.find((candidate) => candidate.id === prepared.deploymentId);
    expect(readReleasePayload(deployment?.payload)?.forced).toEqual({
      reason: `${reason} ('integration' is frozen (${WEEKEND_FREEZE}))`,
    });
    // deploy-env and accept: on the status descriptions they write.
    const short = run.sha.slice(0, 7);
    expect(descriptions(prepared.deploymentId)).toEqual([
      `Prepared ${short} by run ${run.runId}; waiting to be deployed`,
      `Deploying ${short} (run ${run.runId}); freeze overridden: ${reason}`,
      // The outcome of a deployment that began (forced) is recorded without a second override.
      `Deployed ${short} (run ${run.runId})`,
      `Accepted by octocat; freeze overridden: ${reason}; prepared by octocat`,
    ]);
    // And in the log, once per action that overrode it.
    const warnings = run.logger.lines.filter((line) => line.level === 'warning').map((line) => line.message);
    expect(warnings).toHaveLength(3);
    for (const warning of warnings)
      expect(warning).toMatch(/overridden with force \(hotfix for incident 42\)/);
  });

  it('keeps status descriptions within 140 characters when the reason is long', async () => {
    const run = newRun();
    const reason = `a very long explanation ${'of why this must ship now '.repeat(8)}`;
    const prepared = await prepare(run.at(OUTSIDE));
    await deploy(run.at(INSIDE), 'success', { force: true, reason });
    const [, deployed] = descriptions(prepared.deploymentId);
    expect(deployed).toMatch(
      /^Deployed \w{7} \(run \d+\); freeze overridden: a very long explanation of why/,
    );
    expect(deployed?.length).toBeLessThanOrEqual(140);
    expect(deployed?.endsWith('…')).toBe(true);
  });

  it('deploy-env records the outcome of a deployment that began before the window without force', async () => {
    const run = newRun();
    const prepared = await prepare(run.at(OUTSIDE));
    await deploy(run.at(OUTSIDE), 'in_progress');
    const result = await deploy(run.at(INSIDE), 'success');
    expect(result.status).toBe('success');

    const failing = newRun();
    const failed = await prepare(failing.at(OUTSIDE));
    await deploy(failing.at(INSIDE), 'failure');
    expect(descriptions(failed.deploymentId).at(-1)).toBe(
      `Deploy failed ${failing.sha.slice(0, 7)} (run ${failing.runId})`,
    );
    expect(descriptions(prepared.deploymentId).join('\n')).not.toMatch(/freeze/);
  });

  it('uses the real clock when none is injected', async () => {
    const always = parsePromotionConfig(
      'environments:\n  - name: integration\n    freeze: [{from: "2000-01-01T00:00Z", to: "2100-01-01T00:00Z"}]\n',
      'test',
    );
    const run = newRun();
    const message = await refusalWithoutWrites(() => prepare({ ...run.at(undefined), config: always }));
    expect(message).toMatch(
      /^'integration' is frozen: freeze window '2000-01-01T00:00Z to 2100-01-01T00:00Z'/,
    );
  });
});
