/**
 * A long history to measure the actions against: many earlier releases of the suite in an environment, and many
 * version tags in the repository. Used by `scripts/bench.ts` and `test/request-budget.bundle.test.ts`.
 *
 * Seeding happens BEFORE a scenario's `arrange`, never after. Seeded deployments are dated from
 * `HISTORY_AGE_DAYS` back (older than status's metrics window) and the emulator lists deployments newest first,
 * so deployments seeded after `arrange` would be newer than the ones `arrange` made: the run's own deployment would fall out of the newest 30 that deploy-env, verify
 * and accept search (`RUN_DEPLOYMENT_SEARCH_LIMIT`), and the step would fail instead of doing its usual work.
 * Seeded first, the history is older than everything `arrange` builds on top of it, as it is on GitHub.
 */
import { execFileSync } from 'node:child_process';
import { startEmulator, type DeploymentState, type Emulator } from '@release-promotion/emulator';
import { parseEnvironmentList } from '../../packages/core/src/chain/environment-chain.js';
import type { ActionName } from '../../test/harness/action-metadata.js';
import { promoteWithCore, SCENARIO_ENVIRONMENTS } from '../../test/harness/promotion-state.js';
import {
  reliabilityScenarios,
  type Scenario,
  type ScenarioStep,
} from '../../test/harness/reliability-scenarios.js';

/** How many version tags a non-empty history holds (`v0.0.1` … `v0.0.1000`). */
export const HISTORY_VERSION_TAGS = 1000;

/** How old the newest seeded history deployment is, in days: beyond status's default 30-day metrics window. */
export const HISTORY_AGE_DAYS = 40;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Run ids of seeded releases start here, far from the run ids scenarios use (100–300). */
export const HISTORY_FIRST_RUN_ID = 1_000_000;

/** What history to put into an emulator. */
export interface HistoryOptions {
  /** Earlier deployments in each of `environments`. */
  deployments: number;
  /** Lightweight version tags `v0.0.1` … `v0.0.<versionTags>`. */
  versionTags: number;
  /** The environments that get `deployments` earlier deployments each. */
  environments: readonly string[];
  /** The commit every seeded deployment and tag points at. Default: the default branch's head. */
  sha?: string;
  /**
   * The state of each seeded deployment's single status. Default: as the suite leaves an environment, one
   * active deployment: the newest `success`, every earlier one `inactive` (replaced).
   */
  state?: DeploymentState;
}

/** What {@link seedHistory} created. */
export interface SeededHistory {
  /** Ids of the seeded deployments, oldest first. */
  deploymentIds: number[];
  /** Names of the version tags created (`v0.0.1` …). */
  tags: string[];
  /** The commit they point at. */
  sha: string;
}

/**
 * The deployment payload of an earlier release of the suite in `environment`: the shape prepare-release writes
 * (`release-promotion`, schema 1, kind `release`), unversioned, prepared by run `runId` of `mona`.
 */
export function historyPayload(
  emulator: Emulator,
  environment: string,
  sha: string,
  runId: number,
): Record<string, unknown> {
  return {
    'release-promotion': {
      schema: 1,
      kind: 'release',
      environment,
      sha,
      version: null,
      previous: null,
      run: {
        id: runId,
        attempt: 1,
        url: `https://github.com/${emulator.fullName}/actions/runs/${runId}/attempts/1`,
      },
      actor: 'mona',
      forced: null,
      rollback: null,
    },
  };
}

/**
 * Creates lightweight tags `refs/tags/v0.0.1` … `refs/tags/v0.0.<count>` on `sha`, in one `git update-ref --stdin`
 * transaction (all or none). Returns the tag names.
 */
export function seedVersionTags(emulator: Emulator, count: number, sha: string): string[] {
  const tags = Array.from({ length: count }, (_, index) => `v0.0.${index + 1}`);
  if (tags.length === 0) return tags;
  const commands = tags.map((tag) => `create refs/tags/${tag} ${sha}`).join('\n');
  execFileSync('git', ['update-ref', '--stdin'], {
    cwd: emulator.git.directory,
    input: `${commands}\n`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  return tags;
}

/**
 * Seeds the history directly into the emulator's store (no requests are made or logged): in each environment,
 * `deployments` deployments of `sha` carrying the suite's payload (each from its own run), each with one status
 * (see {@link HistoryOptions.state});
 * then the version tags. Call it before building the state a step runs in (see the file's comment).
 */
export function seedHistory(emulator: Emulator, options: HistoryOptions): SeededHistory {
  const sha = options.sha ?? emulator.git.head();
  const deploymentIds: number[] = [];
  let runId = HISTORY_FIRST_RUN_ID;
  const now = Date.now();
  for (const environment of options.environments) {
    for (let index = 0; index < options.deployments; index++) {
      runId += 1;
      // Earlier deployments are history: dated one an hour, the newest HISTORY_AGE_DAYS ago, so older than
      // status's 30-day metrics window (what status reads there grows with deployments in the window only).
      const age = HISTORY_AGE_DAYS * DAY_MS + (options.deployments - index) * HOUR_MS;
      const [id] = emulator.seed.deployments(environment, 1, {
        sha,
        createdAt: new Date(now - age).toISOString(),
        task: 'deploy',
        state: options.state ?? (index === options.deployments - 1 ? 'success' : 'inactive'),
        payload: historyPayload(emulator, environment, sha, runId),
        creator: 'github-actions[bot]',
      });
      if (id !== undefined) deploymentIds.push(id);
    }
  }
  return { deploymentIds, tags: seedVersionTags(emulator, options.versionTags, sha), sha };
}

/** The environments of the scenario chain, in order. */
export function chainEnvironments(): string[] {
  const chain = parseEnvironmentList(SCENARIO_ENVIRONMENTS);
  if (!chain) throw new Error(`No environments in '${SCENARIO_ENVIRONMENTS}'`);
  return [...chain.names];
}

/** A status step: integration is a release ahead of production, so status also compares the two. */
export function statusScenario(): Scenario {
  return {
    name: 'status (production one release behind integration)',
    async arrange(emulator) {
      const first = emulator.git.commit('feat: catalogue');
      await promoteWithCore(emulator, 'integration', first, 101, 'accepted');
      await promoteWithCore(emulator, 'production', first, 102, 'accepted');
      const second = emulator.git.commit('fix: basket totals');
      await promoteWithCore(emulator, 'integration', second, 103, 'accepted');
      return { action: 'status', runId: 300, sha: second, inputs: {} };
    },
  };
}

/**
 * accept's step with the `deployment-id` input (the output of prepare-release passed between jobs): the same
 * requests as without it, since the deployment is found among the environment's newest in the one snapshot.
 */
export function acceptByIdScenario(healthUrl: string): Scenario {
  const accept = reliabilityScenarios(healthUrl).find((scenario) => scenario.name.startsWith('accept '));
  if (!accept) throw new Error('no accept scenario');
  return {
    name: 'accept with deployment-id (production: tag swap, status, final Release)',
    async arrange(emulator) {
      const step = await accept.arrange(emulator);
      const deployment = emulator.store.deployments
        .filter((candidate) => candidate.environment === step.inputs.environment)
        .at(-1);
      return { ...step, inputs: { ...step.inputs, 'deployment-id': String(deployment?.id) } };
    },
  };
}

/** Every action's step in the state where it normally runs: the reliability scenarios, accept by id, status. */
export function historyScenarios(healthUrl: string): Scenario[] {
  return [...reliabilityScenarios(healthUrl), acceptByIdScenario(healthUrl), statusScenario()];
}

/** Which action a scenario runs, and the environments whose history its step meets. */
export interface HistoryTarget {
  action: ActionName;
  /** The step's `environment` input, or (status, which reads every environment) each environment of the chain. */
  environments: string[];
}

/**
 * The action of a scenario's step and the environments to seed for it. Learnt by arranging the scenario once on a
 * scratch emulator, since history must be seeded before the real `arrange`.
 */
export async function historyTarget(scenario: Scenario): Promise<HistoryTarget> {
  const scratch = await startEmulator();
  try {
    const step = await scenario.arrange(scratch);
    const environment = step.inputs.environment;
    return { action: step.action, environments: environment ? [environment] : chainEnvironments() };
  } finally {
    await scratch.close();
  }
}

/**
 * Seeds `history` into a fresh emulator, then builds the scenario's state on top of it, and clears the request
 * log so that it holds only the step's requests. Returns the step to run.
 */
export async function arrangeOnHistory(
  emulator: Emulator,
  scenario: Scenario,
  history: HistoryOptions,
): Promise<ScenarioStep> {
  seedHistory(emulator, history);
  const step = await scenario.arrange(emulator);
  emulator.resetLog();
  return step;
}
