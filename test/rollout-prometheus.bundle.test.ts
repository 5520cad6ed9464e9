/**
 * A canary rollout watched by a real Prometheus (Debian's `prometheus`) scraping a test exporter every second:
 * deploy-env, run as the committed bundle, asks Prometheus for the error ratio during each pause, and Prometheus
 * evaluates the PromQL itself. The release passes while 1 % of the requests fail, and is rolled back when half of
 * them start failing during its second step.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { startMetricsExporter, type MetricsExporter } from './harness/metrics-exporter.js';
import {
  prometheusMissingReason,
  startPrometheus,
  type PrometheusServer,
} from './harness/prometheus-server.js';
import { bundleRunner, inProcessRunner, type StepRunner } from './harness/step-runners.js';
import { ok, workflowRuns, workspaceWithConfig } from './harness/workflow-run.js';

const missing = prometheusMissingReason();
if (missing) console.log(`canary watched by Prometheus: the tests are skipped: ${missing}`);
const withPrometheus = missing ? describe.skip : describe;

const ERROR_RATIO = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';
const LOG_LINE = 'echo "$RELEASE_ACTION $RELEASE_STEP/$RELEASE_STEPS w=$RELEASE_WEIGHT sha=$RELEASE_SHA"';

/** deploy-env as the bundle (the step under test), every other action in-process (same runner). */
const deployEnvBundle: StepRunner = (action, options) =>
  (action === 'deploy-env' ? bundleRunner : inProcessRunner)(action, options);

withPrometheus('a canary rollout watched by a Prometheus check', () => {
  let emulator: Emulator;
  let exporter: MetricsExporter;
  let prometheus: PrometheusServer;
  let workspace: string;
  let log: string;
  let accepted: string;
  const run = workflowRuns(() => ({ emulator, workspace }), 7000, deployEnvBundle);
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  const descriptionsOf = (deploymentId: string | undefined) =>
    emulator.store.statuses
      .filter((status) => status.deploymentId === Number(deploymentId))
      .map((status) => `${status.state}: ${status.description}`);
  const tagTarget = (tag: string) => emulator.git.run(['rev-parse', `refs/tags/${tag}^{commit}`]);

  beforeAll(async () => {
    emulator = await startEmulator();
    exporter = await startMetricsExporter({ requestsPerSecond: 200, errorRatio: 0.01 });
    prometheus = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
    workspace = workspaceWithConfig([
      'environments:',
      '  - name: production',
      '    rollout:',
      '      strategy: canary',
      '      steps:',
      '        - { weight: 10, pause: 4s }',
      '        - { weight: 50, pause: 4s }',
      '        - { weight: 100 }',
      '      check-interval: 1s',
      '    verify:',
      `      - prometheus: ${prometheus.url}`,
      '        name: error ratio',
      `        query: '${ERROR_RATIO}'`,
      '        below: 0.05',
      '        no-data: fail',
    ]);
    log = join(workspace, 'deploy.log');
    // The rollout starts once Prometheus has scraped enough to compute the ratio (two samples in the window).
    await prometheus.waitForSamples(ERROR_RATIO, (values) => values.some(Number.isFinite), 15_000);
  }, 40_000);

  afterAll(async () => {
    expect(emulator.problems).toEqual([]);
    await emulator.close();
    await prometheus.close();
    await exporter.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('passes while 1 % of the requests fail: three steps, the readings in the timeline, then Deployed', async () => {
    accepted = emulator.git.commit('feat: search');
    const job = run(accepted);
    const id = ok(await job.step('prepare-release', { environment: 'production' })).outputs['deployment-id'];
    const deployed = ok(
      await job.step('deploy-env', { environment: 'production', run: `${LOG_LINE} >> ${log}` }),
    );

    expect(lines()).toEqual([
      `deploy 1/3 w=10 sha=${accepted}`,
      `deploy 2/3 w=50 sha=${accepted}`,
      `deploy 3/3 w=100 sha=${accepted}`,
    ]);
    expect(descriptionsOf(id).slice(1)).toEqual([
      expect.stringMatching(/^in_progress: Deploying /),
      'in_progress: Step 1/3: 10% — watching 4s',
      'in_progress: Step 2/3: 50% — watching 4s',
      'in_progress: Step 3/3: 100%',
      expect.stringMatching(/^success: Deployed /),
    ]);
    expect(deployed.outputs).toMatchObject({
      status: 'success',
      'steps-completed': '3',
      'rolled-back': 'false',
    });
    // Each pause shows what Prometheus answered: the ratio, below the threshold.
    expect(deployed.summary).toMatch(
      /\| 1\/3 \| deploy: 10%, then watch 4s \| .* \| ✓ error ratio: 0\.0\d* below 0\.05/,
    );
    expect(deployed.summary).toMatch(
      /\| 2\/3 \| deploy: 50%, then watch 4s \| .* \| ✓ error ratio: 0\.0\d* below 0\.05/,
    );

    ok(await job.step('verify', { environment: 'production' }));
    ok(await job.step('accept', { environment: 'production' }));
    expect(tagTarget('env/production')).toBe(accepted);
  });

  it('rolls back when errors rise to 50 % during step 2, the failure naming the check and its reading', async () => {
    const sha = emulator.git.commit('feat: recommendations');
    const job = run(sha);
    const id = ok(await job.step('prepare-release', { environment: 'production' })).outputs['deployment-id'];
    const before = lines().length;
    // Once step 2 is recorded (the release takes half the traffic), half of the requests start failing.
    let flippedAt: string | undefined;
    const watcher = setInterval(() => {
      if (flippedAt || !descriptionsOf(id).some((status) => status.includes('Step 2/3'))) return;
      exporter.setRates({ requestsPerSecond: 200, errorRatio: 0.5 });
      flippedAt = new Date().toISOString();
    }, 50);
    const failed = await job
      .step('deploy-env', { environment: 'production', run: `${LOG_LINE} >> ${log}` })
      .finally(() => clearInterval(watcher));
    exporter.setRates({ requestsPerSecond: 200, errorRatio: 0.01 });

    expect(flippedAt).toBeDefined();
    expect(failed.exitCode).toBe(1);
    expect(lines().slice(before)).toEqual([
      `deploy 1/3 w=10 sha=${sha}`,
      `deploy 2/3 w=50 sha=${sha}`,
      `rollback 2/3 w=0 sha=${sha}`,
    ]);
    // "rolling back" is written before the rollback command runs, then the outcome once it ran; both name the
    // reading that failed the step.
    const [rollingBack, final] = descriptionsOf(id).slice(-2);
    const reading =
      /^failure: Rollout failed at step 2\/3 \(50%\), rolled back: error ratio: ([\d.]+) \(not below 0\.05\)$/.exec(
        final ?? '',
      );
    expect(final).toMatch(/^failure: Rollout failed at step 2\/3 \(50%\), rolled back: error ratio: /);
    expect(reading).not.toBeNull();
    expect(rollingBack).toBe(
      `failure: Rollout failed at step 2/3 (50%), rolling back: error ratio: ${reading?.[1]} (not below 0.05)`,
    );
    // The ratio Prometheus computed over its 5 s window, somewhere between 1 % and 50 % as the window fills.
    expect(Number(reading?.[1])).toBeGreaterThanOrEqual(0.05);
    expect(Number(reading?.[1])).toBeLessThanOrEqual(0.5);
    expect(failed.outputs).toMatchObject({
      status: 'failure',
      'steps-completed': '1',
      'rolled-back': 'true',
    });
    expect(failed.summary).toMatch(
      /\| 2\/3 \| deploy: 50%, then watch 4s \| .* \| ✗ error ratio: [\d.]+ \\\(not below 0\.05\\\)<br>.* ❌ failed/,
    );
    expect(tagTarget('env/production')).toBe(accepted);
  });
});
