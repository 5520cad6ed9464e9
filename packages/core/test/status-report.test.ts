/**
 * status's report as pure functions of the snapshot and `now`, a row per situation: where each environment
 * stands (accepted when, stale or not), the rollout of its newest deployment, what waits between neighbours
 * (and since when), the summary's words for a rollout, and the whole decision with the delivery metrics and
 * the board — no emulator, no request.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { CommitInfo } from '../src/state/commits.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import type { EnvironmentHistory } from '../src/state/release-history.js';
import type { TagComparison } from '../src/state/repository-snapshot.js';
import {
  decideStatus,
  environmentStanding,
  pendingChanges,
  statusReport,
  type StatusRequest,
} from '../src/use-cases/status.js';
import { isRefusal } from '../src/rules/decision.js';
import { statusSummary } from '../src/report/status-summary.js';
import { rolloutStanding, type RolloutStanding } from '../src/use-cases/rollout-standing.js';
import { statusSnapshotRequest } from '../src/use-cases/status.js';
import {
  commitInfo,
  commitState,
  deployment as suiteDeployment,
  releaseStatuses,
  repositorySnapshot,
  runContext,
} from './support/fixtures.js';

const config = parsePromotionConfig('environments: [integration, staging, production]\n', 'test');
const context = runContext({ runId: 1 });
const NOW = new Date('2026-07-20T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const sha = (digit: string) => digit.repeat(40);

/** Deployment `id` of `commit` in production whose statuses were written at the given times, oldest first. */
function deployment(
  id: number,
  commit: string,
  written: ReadonlyArray<[string, string]>,
  kind: 'release' | 'rollback' = 'release',
): DeploymentWithProgress {
  return suiteDeployment(
    id,
    written.map(([entry]) => entry),
    { sha: commit, kind, firstStatusId: id * 10, times: written.map(([, createdAt]) => createdAt) },
  );
}

/** A release deployed then accepted `days` ago. */
const acceptedAgo = (id: number, commit: string, days: number, kind?: 'release' | 'rollback') =>
  deployment(
    id,
    commit,
    [
      ['success: Deployed', daysAgo(days + 0.01)],
      ['success: Accepted by lee', daysAgo(days)],
    ],
    kind,
  );

const commit = (digit: string, author: string | null, name = 'Someone'): CommitInfo =>
  commitInfo(sha(digit), `change ${digit}`, {
    authorLogin: author,
    authorName: name,
    committedAt: daysAgo(5),
  });

describe('environmentStanding: what runs there, since when, stale or not', () => {
  const options = { now: NOW, staleAfterDays: 14 };
  type Row = [string, string | undefined, DeploymentWithProgress | undefined, number, object];
  /** The row of release 1, the commit the tag names, accepted `days` ago, stale after `staleAfterDays`. */
  const accepted = (situation: string, days: number, staleAfterDays: number, expected: object): Row => [
    situation,
    sha('1'),
    acceptedAgo(1, sha('1'), days),
    staleAfterDays,
    expected,
  ];
  it.each<Row>([
    [
      'nothing accepted yet',
      undefined,
      undefined,
      14,
      { sha: null, acceptedAt: null, daysSinceRelease: null, stale: false },
    ],
    [
      'a tag whose commit has no deployment there',
      sha('1'),
      undefined,
      14,
      { sha: sha('1'), deploymentId: null, version: null, stale: false },
    ],
    accepted('accepted 3 days ago', 3, 14, {
      daysSinceRelease: 3,
      stale: false,
      version: '1.1.0',
      by: 'mona',
    }),
    accepted('accepted exactly 14 days ago: not stale yet', 14, 14, { daysSinceRelease: 14, stale: false }),
    accepted('accepted 14 days and 23 hours ago: whole days', 14.96, 14, {
      daysSinceRelease: 14,
      stale: false,
    }),
    accepted('accepted 15 days ago: stale', 15, 14, { daysSinceRelease: 15, stale: true }),
    accepted('accepted 3 days ago, stale after 2', 3, 2, { daysSinceRelease: 3, stale: true }),
    [
      'deployed, the Accepted mark missing',
      sha('1'),
      deployment(1, sha('1'), [['success: Deployed', daysAgo(40)]]),
      14,
      { acceptedAt: null, daysSinceRelease: null, stale: false, state: 'success', description: 'Deployed' },
    ],
    [
      'a rollback runs there',
      sha('1'),
      acceptedAgo(1, sha('1'), 1, 'rollback'),
      14,
      { rollback: true, deploymentId: 1 },
    ],
  ])('%s', (_situation, tagSha, found, staleAfterDays, expected) => {
    const standing = environmentStanding('production', tagSha, found, { ...options, staleAfterDays });
    expect(standing).toMatchObject({ environment: 'production', pending: null, ...expected });
  });
});

describe('pendingChanges: what waits below, and since when', () => {
  const below = { environment: 'staging', sha: sha('3') };
  const ahead = (commits: CommitInfo[], aheadBy = commits.length): TagComparison => ({
    aheadBy,
    status: 'ahead',
    commits,
  });
  // The environment below's newest deployments, newest first: two releases accepted after the one above runs.
  const belowRecent = [acceptedAgo(3, sha('3'), 1), acceptedAgo(2, sha('2'), 2), acceptedAgo(1, sha('1'), 6)];
  it.each<[string, string | undefined, TagComparison | undefined, DeploymentWithProgress[], object]>([
    [
      'the same commit: nothing waits',
      sha('3'),
      undefined,
      belowRecent,
      { count: 0, commits: [], oldest: null },
    ],
    [
      'nothing accepted here: everything below waits',
      undefined,
      undefined,
      belowRecent,
      { count: null, commits: [], oldest: null },
    ],
    [
      'the tag here is ahead of below: nothing waits',
      sha('1'),
      { aheadBy: 0, status: 'behind', commits: [commit('9', 'x')] },
      belowRecent,
      { count: 0, commits: [], authors: [] },
    ],
    ['no comparison read', sha('1'), undefined, belowRecent, { count: 0, commits: [], oldest: null }],
    [
      'two commits wait: authors once each, the oldest since the first acceptance below after ours',
      sha('1'),
      ahead([commit('2', 'ada'), commit('3', null, 'Grace'), commit('4', 'ada')]),
      belowRecent,
      {
        count: 3,
        authors: ['ada', 'Grace'],
        oldest: { sha: sha('2'), subject: 'change 2', waitingSince: daysAgo(2) },
      },
    ],
    [
      'more than the page read: the count is GitHub’s',
      sha('1'),
      ahead([commit('2', 'ada')], 150),
      belowRecent,
      { count: 150 },
    ],
    [
      'our release older than the deployments read below: since unknown',
      sha('1'),
      ahead([commit('2', 'ada')]),
      belowRecent.slice(0, 2),
      { oldest: { waitingSince: null } },
    ],
  ])('%s', (_situation, here, range, recent, expected) => {
    expect(pendingChanges(below, here, { range, belowRecent: recent })).toMatchObject({
      from: 'staging',
      ...expected,
    });
  });
});

/** A snapshot with the environment tags at `tags` (environment -> its deployment there). */
function snapshot(
  tags: Record<string, DeploymentWithProgress>,
  comparisons: Record<string, TagComparison> = {},
) {
  return repositorySnapshot({
    tags: new Map(
      Object.entries(tags).map(([environment, found]) => [
        `env/${environment}`,
        commitState(found.deployment.sha, found, { environment }),
      ]),
    ),
    comparisons: new Map(Object.entries(comparisons)),
  });
}

describe('statusReport: every environment in chain order, each against the one below', () => {
  it.each<[string, Record<string, DeploymentWithProgress>, Array<number | null | 'none'>]>([
    ['nothing accepted anywhere', {}, ['none', 'none', 'none']],
    ['integration only', { integration: acceptedAgo(1, sha('1'), 1) }, ['none', null, 'none']],
    [
      'the same release everywhere',
      {
        integration: acceptedAgo(1, sha('1'), 1),
        staging: acceptedAgo(2, sha('1'), 1),
        production: acceptedAgo(3, sha('1'), 1),
      },
      ['none', 0, 0],
    ],
  ])('%s: the pending counts', (_situation, tags, counts) => {
    const report = statusReport(config, snapshot(tags), { now: NOW, staleAfterDays: 14 });
    expect(report.environments.map((environment) => environment.environment)).toEqual([
      'integration',
      'staging',
      'production',
    ]);
    expect(
      report.environments.map((environment) =>
        environment.pending === null ? 'none' : environment.pending.count,
      ),
    ).toEqual(counts);
    expect(report.generatedAt).toBe(NOW.toISOString());
  });

  it('reads the comparison of each tag against the one below', () => {
    const tags = { integration: acceptedAgo(2, sha('2'), 1), staging: acceptedAgo(1, sha('1'), 20) };
    const report = statusReport(
      config,
      snapshot(tags, {
        'env/staging...env/integration': { aheadBy: 1, status: 'ahead', commits: [commit('2', 'ada')] },
      }),
      { now: NOW, staleAfterDays: 14 },
    );
    expect(report.environments[1]).toMatchObject({
      environment: 'staging',
      stale: true,
      pending: { from: 'integration', count: 1, authors: ['ada'] },
    });
  });
});

describe('decideStatus: the report, the metrics and the board, as of `now`', () => {
  const history: EnvironmentHistory = { deployments: [], requests: 1 };
  it.each<[string, string | undefined, number, boolean]>([
    ['no board, default staleness', undefined, 30, false],
    ['a board asked for', 'site/board.html', 7, true],
  ])('%s', (_situation, board, windowDays, written) => {
    const request: StatusRequest = {
      environment: '',
      dryRun: false,
      staleAfterDays: undefined,
      windowDays,
      board,
    };
    const tags = { production: acceptedAgo(1, sha('1'), 15) };
    const decision = decideStatus({
      request,
      facts: { snapshot: snapshot(tags), history },
      config,
      context,
      now: NOW,
    });
    if (isRefusal(decision)) throw new Error('status refuses nothing');
    const { report, metrics } = decision.plan;
    expect(report.environments[2]).toMatchObject({
      environment: 'production',
      daysSinceRelease: 15,
      stale: true,
    });
    expect(metrics).toMatchObject({
      environment: 'production',
      windowDays,
      to: NOW.toISOString(),
      deployments: 0,
      requests: 1,
    });
    expect(metrics.from).toBe(new Date(NOW.getTime() - windowDays * DAY_MS).toISOString());
    expect(decision.plan.board?.path).toBe(board);
    if (written) expect(decision.plan.board?.page).toContain('octo-org/shop');
    expect(decision.warnings).toEqual([]);
  });
});

// ---- Rollouts ------------------------------------------------------------------------------------------------

/** The statuses deploy-env writes for release 1.4.0 (run 74): prepared, deploying, then `steps`. */
const rolledOut = (...steps: string[]) => [
  ...releaseStatuses({ version: '1.4.0', run: 74 }).prepared,
  'in_progress: Deploying 1.4.0',
  ...steps,
];
const CANARY_1 = 'in_progress: Step 1/3: 10% — watching 10m';
const CANARY_2 = 'in_progress: Step 2/3: 50% — watching 10m';
const CANARY_3 = 'in_progress: Step 3/3: 100%';
const ROLLING_BACK_2 = 'failure: Rollout failed at step 2/3 (50%), rolling back: healthz: 500';

describe('rolloutStanding: the rollout of an environment’s newest deployment', () => {
  type Row = [string, string[] | undefined, Partial<RolloutStanding> | null];
  it.each<Row>([
    ['no deployment', undefined, null],
    ['prepared, not deployed yet', releaseStatuses({ version: '1.4.0', run: 74 }).prepared, null],
    ['deployed all at once', releaseStatuses({ version: '1.4.0', run: 74 }).verified, null],
    ['deploying, no step done yet: nothing says it rolls out', rolledOut(), null],
    [
      'canary, step 1 done',
      rolledOut(CANARY_1),
      { step: 1, steps: 3, label: '10%', state: 'in-progress', rolledBack: null },
    ],
    [
      'canary, step 2 done: the newest step',
      rolledOut(CANARY_1, CANARY_2),
      {
        step: 2,
        steps: 3,
        label: '50%',
        state: 'in-progress',
        description: 'Step 2/3: 50% — watching 10m',
        at: '2026-07-01T00:00:03Z',
      },
    ],
    [
      'phased, a region done',
      rolledOut('in_progress: Step 1/2: eu-west-1 — watching 5m'),
      { step: 1, steps: 2, label: 'eu-west-1', state: 'in-progress' },
    ],
    [
      'blue-green, switched',
      rolledOut(
        'in_progress: Step 1/2: deploy to green — watching 5m',
        'in_progress: Step 2/2: switch to green',
      ),
      { step: 2, steps: 2, label: 'switch to green', state: 'in-progress' },
    ],
    [
      'failed at step 2, rolled back',
      rolledOut(
        CANARY_1,
        CANARY_2,
        ROLLING_BACK_2,
        'failure: Rollout failed at step 2/3 (50%), rolled back: healthz: 500',
      ),
      {
        step: 2,
        steps: 3,
        label: '50%',
        state: 'failed',
        rolledBack: true,
        description: 'Rollout failed at step 2/3 (50%), rolled back: healthz: 500',
      },
    ],
    [
      'failed at step 2, its rollback under way: failed, not yet undone (null)',
      rolledOut(CANARY_1, CANARY_2, ROLLING_BACK_2),
      {
        step: 2,
        steps: 3,
        label: '50%',
        state: 'failed',
        rolledBack: null,
        description: 'Rollout failed at step 2/3 (50%), rolling back: healthz: 500',
      },
    ],
    [
      'failed, the rollback command failed too',
      rolledOut(
        CANARY_1,
        ROLLING_BACK_2,
        'failure: Rollout failed at step 2/3 (50%), rollback command exit code 1: healthz: 500',
      ),
      { step: 2, steps: 3, state: 'failed', rolledBack: false },
    ],
    [
      'failed during a freeze override: the note follows',
      rolledOut(
        'failure: Rollout failed at step 1/2 (eu-west-1), rolling back: p99: 0.8',
        'failure: Rollout failed at step 1/2 (eu-west-1), rolled back: p99: 0.8; freeze overridden: fix',
      ),
      { step: 1, steps: 2, label: 'eu-west-1', state: 'failed', rolledBack: true },
    ],
    [
      'failed, a long reason cut at 140 characters: what was undone still reads',
      rolledOut(`failure: Rollout failed at step 2/3 (50%), rolled back: ${'x'.repeat(92)}…`),
      { step: 2, steps: 3, label: '50%', state: 'failed', rolledBack: true },
    ],
    [
      'a failure status that names no step: failed, no step, undone unknown',
      rolledOut(CANARY_1, 'failure: Rollout failed by hand; rolled back'),
      { step: null, steps: null, label: '', state: 'failed', rolledBack: null },
    ],
    [
      'halted at step 2: nothing undone',
      rolledOut(CANARY_1, CANARY_2, 'failure: Rollout halted at step 2/3 (50%): error rate 7%'),
      { step: 2, steps: 3, label: '50%', state: 'halted', rolledBack: false },
    ],
    [
      'a rollout marker that names no step',
      rolledOut('failure: Rollout halted by hand'),
      { step: null, steps: null, label: '', state: 'halted' },
    ],
    [
      'every step done, then deployed',
      rolledOut(CANARY_1, CANARY_2, CANARY_3, 'success: Deployed 1.4.0'),
      { step: 3, steps: 3, label: '100%', state: 'completed', rolledBack: null },
    ],
    [
      'completed, verified and accepted since',
      rolledOut(
        CANARY_1,
        CANARY_3,
        'success: Deployed 1.4.0',
        'success: Verified',
        'success: Accepted by lee',
      ),
      { step: 3, steps: 3, state: 'completed' },
    ],
    [
      'an earlier attempt’s step, then the rollout started again (the configuration changed)',
      rolledOut(CANARY_1, 'in_progress: Deploying 1.4.0'),
      null,
    ],
  ])('%s', (_situation, written, expected) => {
    const newest =
      written && suiteDeployment(4, written, { sha: sha('4'), version: '1.4.0', firstStatusId: 40 });
    const standing = rolloutStanding(newest);
    if (expected === null) expect(standing).toBeNull();
    else expect(standing).toEqual(expect.objectContaining({ ...expected, deploymentId: 4, sha: sha('4') }));
  });
});

/** A snapshot whose tags run release 1 everywhere and whose environments' newest deployments are `newest`. */
function snapshotWithNewest(newest: Record<string, DeploymentWithProgress>) {
  const everywhere = { integration: acceptedAgo(1, sha('1'), 3), staging: acceptedAgo(2, sha('1'), 3) };
  const read = snapshot({ ...everywhere, production: acceptedAgo(3, sha('1'), 3) });
  read.recent = new Map(Object.entries(newest).map(([environment, found]) => [environment, [found]]));
  return read;
}

const rollingOut = (...steps: string[]) =>
  suiteDeployment(4, rolledOut(...steps), { sha: sha('4'), version: '1.4.0', firstStatusId: 40 });

describe('statusReport: the rollout of each environment’s newest deployment', () => {
  it('reads the newest deployment of every environment, the last one too, in the same request', () => {
    expect(statusSnapshotRequest(config).recent).toEqual([
      { environment: 'integration', count: 20 },
      { environment: 'staging', count: 20 },
      { environment: 'production', count: 5 },
    ]);
  });

  it.each<[string, Record<string, DeploymentWithProgress>, Array<string | null>]>([
    ['no environment rolls out', {}, [null, null, null]],
    [
      'production rolls 1.4.0 out while it runs release 1',
      { production: rollingOut(CANARY_1, CANARY_2) },
      [null, null, 'in-progress'],
    ],
    [
      'staging holds 1.4.0 (halted), production deployed a release all at once',
      {
        staging: rollingOut(CANARY_1, 'failure: Rollout halted at step 2/3 (50%): error rate 7%'),
        production: acceptedAgo(3, sha('1'), 3),
      },
      [null, 'halted', null],
    ],
  ])('%s', (_situation, newest, states) => {
    const report = statusReport(config, snapshotWithNewest(newest), { now: NOW, staleAfterDays: 14 });
    expect(report.environments.map((environment) => environment.rollout?.state ?? null)).toEqual(states);
    // The environment still runs what its tag names: the rollout is of another release.
    expect(report.environments.map((environment) => environment.version)).toEqual([
      '1.1.0',
      '1.2.0',
      '1.3.0',
    ]);
  });
});

describe('statusSummary: a rollout in the table and in the diagram', () => {
  /** The summary's production row and its node in the diagram, production's newest deployment written so. */
  function production(...steps: string[]): { row: string; node: string; summary: string } {
    const report = statusReport(config, snapshotWithNewest({ production: rollingOut(...steps) }), {
      now: NOW,
      staleAfterDays: 14,
    });
    const summary = statusSummary(report);
    const lines = summary.split('\n');
    return {
      row: lines.find((line) => line.startsWith('| `production`')) ?? '',
      node: lines.find((line) => line.startsWith('  env_production[')) ?? '',
      summary,
    };
  }

  it.each<[string, string[], string, string, string | undefined]>([
    [
      'in progress',
      [CANARY_1, CANARY_2],
      '✅ success · ⏳ `1.4.0` rolling out: step 2 of 3 (50%) |',
      'env_production["production<br/>1.3.0<br/>1.4.0 rolling out: step 2 of 3 (50%)"]',
      'class env_production rolling',
    ],
    [
      'failed and rolled back: held',
      [
        CANARY_1,
        CANARY_2,
        ROLLING_BACK_2,
        'failure: Rollout failed at step 2/3 (50%), rolled back: healthz: 500',
      ],
      '✅ success · ❌ `1.4.0` rollout failed at step 2 of 3 (50%), rolled back; held here |',
      'env_production["production<br/>1.3.0<br/>1.4.0 rollout failed at step 2 of 3 (50%), rolled back, held here"]',
      'class env_production held',
    ],
    [
      'failed, not rolled back: held',
      [
        CANARY_1,
        ROLLING_BACK_2,
        'failure: Rollout failed at step 2/3 (50%), rollback command exit code 1: healthz: 500',
      ],
      '❌ `1.4.0` rollout failed at step 2 of 3 (50%), not rolled back; held here |',
      '1.4.0 rollout failed at step 2 of 3 (50%), not rolled back, held here"]',
      'class env_production held',
    ],
    [
      'failed, its rollback under way: held, nothing said of the rollback yet',
      [CANARY_1, CANARY_2, ROLLING_BACK_2],
      '✅ success · ❌ `1.4.0` rollout failed at step 2 of 3 (50%); held here |',
      'env_production["production<br/>1.3.0<br/>1.4.0 rollout failed at step 2 of 3 (50%), held here"]',
      'class env_production held',
    ],
    [
      'halted: held',
      [CANARY_1, CANARY_2, 'failure: Rollout halted at step 2/3 (50%): error rate 7%'],
      '✅ success · ⏸️ `1.4.0` rollout halted at step 2 of 3 (50%); held here |',
      'env_production["production<br/>1.3.0<br/>1.4.0 rollout halted at step 2 of 3 (50%), held here"]',
      'class env_production held',
    ],
    [
      'completed: nothing more than the state',
      [CANARY_1, CANARY_2, CANARY_3, 'success: Deployed 1.4.0'],
      '| ✅ success |',
      'env_production["production<br/>1.3.0"]',
      undefined,
    ],
  ])('%s', (_situation, steps, cell, node, outline) => {
    const shown = production(...steps);
    expect(shown.row).toContain(cell);
    expect(shown.node).toContain(node);
    if (outline) expect(shown.summary).toContain(`  ${outline}\n`);
    else expect(shown.summary).not.toContain('classDef');
  });

  it('escapes a hostile step label in the table and the diagram', () => {
    const shown = production('in_progress: Step 1/2: <img src=x> | [a](b) — watching 5m');
    expect(shown.row).toContain('rolling out: step 1 of 2 (&lt;img src=x&gt; \\| \\[a\\]\\(b\\))');
    expect(shown.node).toContain('1.4.0 rolling out: step 1 of 2 (img src=x  [a](b))"]');
  });
});
