import {
  startEmulator,
  secondaryRateLimitBody,
  type Emulator,
  type FaultRule,
} from '@release-promotion/emulator';
import { promoteWithCore, promotionSnapshot, SCENARIO_ENVIRONMENTS } from './promotion-state.js';
import type { ActionResult } from './run-action.js';
import { bundleRunner, type StepRunner } from './step-runners.js';
import type { ActionName } from './action-metadata.js';

/** One action step of a reliability scenario, in the state `arrange` built. */
export interface ScenarioStep {
  action: ActionName;
  runId: number;
  sha: string;
  inputs: Record<string, string>;
  /** `GITHUB_WORKSPACE` holding the step's `.github/promotion.yml`; default: none (the configuration is read remotely). */
  workspace?: string;
}

/** A state to build and the step to run in it. */
export interface Scenario {
  name: string;
  arrange(emulator: Emulator): Promise<ScenarioStep>;
}

/** Client timings for the fault tests: a short request timeout, and retry waits of 1 ms per second. */
export const FAST_CLIENT = {
  RELEASE_PROMOTION_RETRY_UNIT_MS: '1',
  RELEASE_PROMOTION_REQUEST_TIMEOUT_MS: '400',
};

/**
 * Runs a scenario's step as attempt `attempt` of its run: by default as the runner would (the bundle), or with
 * `run` (e.g. {@link inProcessRunner}).
 */
export function runStep(
  emulator: Emulator,
  step: ScenarioStep,
  attempt = 1,
  run: StepRunner = bundleRunner,
): Promise<ActionResult> {
  return run(step.action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha: step.sha,
    runId: step.runId,
    runAttempt: attempt,
    inputs: { environments: SCENARIO_ENVIRONMENTS, ...step.inputs },
    env: FAST_CLIENT,
    timeoutMs: 30_000,
  });
}

/** The scenarios: one per action that writes, each in the state where it normally runs. */
export function reliabilityScenarios(healthUrl: string): Scenario[] {
  return [
    {
      name: 'prepare-release (production: version tag, Release, deployment)',
      async arrange(emulator) {
        const sha = emulator.git.commit('feat: catalogue');
        await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
        return { action: 'prepare-release', runId: 300, sha, inputs: { environment: 'production' } };
      },
    },
    {
      name: 'deploy-env (integration, runs the deploy command, replacing the release accepted there)',
      async arrange(emulator) {
        const first = emulator.git.commit('feat: catalogue');
        await promoteWithCore(emulator, 'integration', first, 101, 'accepted');
        const sha = emulator.git.commit('fix: basket totals');
        await promoteWithCore(emulator, 'integration', sha, 300, 'prepared');
        return { action: 'deploy-env', runId: 300, sha, inputs: { environment: 'integration', run: 'true' } };
      },
    },
    {
      name: 'verify (integration)',
      async arrange(emulator) {
        const sha = emulator.git.commit('feat: catalogue');
        await promoteWithCore(emulator, 'integration', sha, 300, 'deployed');
        return {
          action: 'verify',
          runId: 300,
          sha,
          inputs: { environment: 'integration', url: healthUrl, attempts: '1' },
        };
      },
    },
    {
      name: 'accept (production: tag swap, status, final Release)',
      async arrange(emulator) {
        const sha = emulator.git.commit('feat: catalogue');
        await promoteWithCore(emulator, 'integration', sha, 101, 'accepted');
        await promoteWithCore(emulator, 'production', sha, 300, 'deployed');
        // As in a job with `environment: production` whose reviewers approved the run.
        emulator.seed.approvals(300, [{ environment: 'production', user: 'lisa', comment: 'ship it' }]);
        return { action: 'accept', runId: 300, sha, inputs: { environment: 'production', approval: 'run' } };
      },
    },
    {
      name: 'rollback (integration)',
      async arrange(emulator) {
        const good = emulator.git.commit('feat: catalogue');
        await promoteWithCore(emulator, 'integration', good, 101, 'accepted');
        const bad = emulator.git.commit('fix: risky');
        await promoteWithCore(emulator, 'integration', bad, 102, 'accepted');
        return {
          action: 'rollback',
          runId: 300,
          sha: bad,
          inputs: { environment: 'integration', reason: 'errors', run: 'true' },
        };
      },
    },
  ];
}

/** The faults every write request of every scenario meets, one at a time. */
export function faultKinds(): Record<string, Omit<FaultRule, 'route' | 'nth'>> {
  const limitBody = {
    message: 'API rate limit exceeded for installation ID 1.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  };
  return {
    '500': { status: 500 },
    '502': { status: 502 },
    '503': { status: 503 },
    'secondary rate limit (403, retry-after)': {
      status: 403,
      headers: { 'retry-after': '1' },
      body: secondaryRateLimitBody(),
    },
    'secondary rate limit (429, retry-after)': {
      status: 429,
      headers: { 'retry-after': '1' },
      body: secondaryRateLimitBody(),
    },
    'primary rate limit (x-ratelimit-remaining: 0)': {
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
      },
      body: limitBody,
    },
    'dropped connection': { drop: true },
    // Far past the client's timeout (FAST_CLIENT): the emulator stops waiting as soon as the client gives up, and
    // drops the request unhandled, so the cell lasts the timeout, and a loaded machine cannot get the delay to end
    // before the client's timeout is noticed.
    'slow past the client timeout': { delayMs: 30_000 },
    'written, answer lost (502 after the write)': { status: 502, afterHandling: true },
    'persistent 503 (every retry fails)': { status: 503, times: 50 },
  };
}

/** A write request of a step: its route and which of that route's requests it is. */
export interface WritePoint {
  route: string;
  nth: number;
}

/** Runs a scenario without faults: the final state every faulted run must reach, and the step's writes. */
export async function controlRun(scenario: Scenario, run: StepRunner = bundleRunner): Promise<ControlRun> {
  const emulator = await startEmulator();
  try {
    const step = await scenario.arrange(emulator);
    emulator.resetLog();
    return await controlOf(emulator, step, run);
  } finally {
    await emulator.close();
  }
}

/** What a step does without faults: its final state, its writes and every request (`METHOD route`) in order. */
export interface ControlRun {
  snapshot: unknown;
  writes: WritePoint[];
  requests: string[];
}

/** Runs `step` without faults in the state `emulator` holds: the final state it reaches, and the step's writes. */
export async function controlOf(
  emulator: Emulator,
  step: ScenarioStep,
  run: StepRunner,
): Promise<ControlRun> {
  const result = await runStep(emulator, step, 1, run);
  if (result.exitCode !== 0) throw new Error(`control run of ${step.action} failed:\n${result.stdout}`);
  return {
    snapshot: promotionSnapshot(emulator),
    writes: writePoints(emulator),
    requests: emulator.requests.map((request) => `${request.method} ${request.route}`),
  };
}

/** The write requests in the emulator's log, each as its route and which of that route's requests it was. */
export function writePoints(emulator: Emulator): WritePoint[] {
  const seen = new Map<string, number>();
  const writeRequests = new Set(emulator.writeRequests());
  const writes: WritePoint[] = [];
  for (const request of emulator.requests) {
    const route = `${request.method} ${request.route}`;
    const nth = (seen.get(route) ?? 0) + 1;
    seen.set(route, nth);
    if (writeRequests.has(request)) writes.push({ route, nth });
  }
  return writes;
}
