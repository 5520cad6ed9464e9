import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { createGitHubClient, type GitHubClient } from '../packages/core/src/github/client.js';
import { computeDoraMetrics } from '../packages/core/src/metrics/dora-metrics.js';
import { STEP_MARKERS, type ReleaseStep } from '../packages/core/src/state/deployment-markers.js';
import { toDeploymentPayload, type ReleasePayload } from '../packages/core/src/state/deployment-payload.js';
import { HISTORY_PAGE_SIZE, readEnvironmentHistory } from '../packages/core/src/state/release-history.js';
import { snapshotPointCost } from '../packages/core/src/state/repository-snapshot.js';
import type { RepositoryRef } from '../packages/core/src/state/repository.js';

// Sixty days of production history seeded from a fixed pseudo-random plan; the metrics of the last 30 days read
// through GraphQL must equal what this test works out from the plan itself.

const NOW = Date.parse('2025-06-01T00:00:00Z');
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW_DAYS = 30;
const SINCE = NOW - WINDOW_DAYS * DAY;

/** Mulberry32: a small deterministic generator, [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome =
  'accepted' | 'verification-failed-rolled-back' | 'verification-failed' | 'accepted-rolled-back';
type PlannedOutcome = Outcome | 'never-deployed' | 'deploy-failed';

/** One release of the plan, and what the test knows of it without reading any status back. */
interface PlannedRelease {
  index: number;
  outcome: PlannedOutcome;
  created: number;
  committed: number;
  statuses: Array<[ReleaseStep, number]>;
  acceptedAt?: number;
  /** When the failure was first recorded: verification failed, or the rollback started. */
  failedAt?: number;
  rollback?: { created: number; acceptedAt: number };
  /** A deployment by another tool in the environment (no suite payload), created then. */
  foreign?: number;
}

const seconds = (time: number) => Math.round(time / 1000) * 1000;

function planHistory(): PlannedRelease[] {
  const random = generator(20250601);
  const between = (low: number, high: number) => seconds(low + random() * (high - low));
  const plan: PlannedRelease[] = [];
  let time = NOW - 60 * DAY + HOUR;
  while (time < NOW - 3 * HOUR) {
    const roll = random();
    const outcome: PlannedOutcome =
      roll < 0.62
        ? 'accepted'
        : roll < 0.72
          ? 'verification-failed-rolled-back'
          : roll < 0.78
            ? 'verification-failed'
            : roll < 0.84
              ? 'accepted-rolled-back'
              : roll < 0.92
                ? 'never-deployed'
                : 'deploy-failed';
    const created = time;
    const release: PlannedRelease = {
      index: plan.length,
      outcome,
      created,
      committed: created - between(HOUR, 72 * HOUR),
      statuses: [['prepared', created]],
    };
    const deployed: Array<[ReleaseStep, number]> = [
      ['deploying', created + MINUTE],
      ['deployed', created + 5 * MINUTE],
    ];
    if (outcome === 'never-deployed') {
      if (random() < 0.5) release.statuses.push(['superseded', created + between(10 * MINUTE, HOUR)]);
    } else if (outcome === 'deploy-failed') {
      release.statuses.push(['deploying', created + MINUTE], ['deploy-failed', created + 4 * MINUTE]);
    } else if (outcome === 'accepted' || outcome === 'accepted-rolled-back') {
      const acceptedAt = created + between(20 * MINUTE, 50 * MINUTE);
      release.statuses.push(...deployed, ['verified', created + 15 * MINUTE], ['accepted', acceptedAt]);
      release.acceptedAt = acceptedAt;
      if (outcome === 'accepted-rolled-back') {
        const rollbackCreated = acceptedAt + between(20 * MINUTE, 40 * MINUTE);
        release.rollback = { created: rollbackCreated, acceptedAt: rollbackCreated + 10 * MINUTE };
        release.failedAt = rollbackCreated;
        release.statuses.push(['rolled-back', rollbackCreated + 10 * MINUTE + 5000]);
      }
    } else {
      const failedAt = created + 15 * MINUTE;
      release.statuses.push(...deployed, ['verification-failed', failedAt]);
      release.failedAt = failedAt;
      if (outcome === 'verification-failed-rolled-back') {
        const rollbackCreated = created + 30 * MINUTE;
        release.rollback = { created: rollbackCreated, acceptedAt: rollbackCreated + 10 * MINUTE };
        release.statuses.push(['rolled-back', rollbackCreated + 10 * MINUTE + 5000]);
      }
    }
    if (random() < 0.05) release.foreign = created + 90 * MINUTE;
    plan.push(release);
    time = created + between(2 * HOUR, 6 * HOUR);
  }
  return plan;
}

const iso = (time: number) => new Date(time).toISOString();

function payload(kind: 'release' | 'rollback', sha: string, run: number, from?: string): object {
  const record: ReleasePayload = {
    schema: 1,
    kind,
    environment: 'production',
    sha,
    version: kind === 'release' ? `1.${Math.floor(run / 100)}.${run % 100}` : null,
    previous: null,
    run: { id: run, attempt: 1, url: `https://github.com/octo-org/shop/actions/runs/${run}` },
    actor: 'mona',
    forced: null,
    rollback: from ? { from: { sha: from, version: null }, reason: 'errors after the release' } : null,
  };
  return toDeploymentPayload(record);
}

const status = ([step, time]: [ReleaseStep, number], run: number) => ({
  state: STEP_MARKERS[step].state,
  description: `${STEP_MARKERS[step].prefix} in production (run ${run})`,
  createdAt: iso(time),
});

function seedPlan(emulator: Emulator, plan: PlannedRelease[]): void {
  const shas = emulator.seed.commits(
    plan.map((release) => ({ message: `feat: change ${release.index}`, date: iso(release.committed) })),
  );
  let lastAccepted = shas[0] ?? '';
  plan.forEach((release, index) => {
    const sha = shas[index] ?? '';
    const run = 1000 + index;
    // The environment below gets each release half an hour before (not part of the production history).
    emulator.seed.deployments('preproduction', 1, {
      sha,
      createdAt: iso(release.created - 30 * MINUTE),
      payload: payload('release', sha, run),
      statuses: [status(['accepted', release.created - 20 * MINUTE], run)],
    });
    emulator.seed.deployments('production', 1, {
      sha,
      createdAt: iso(release.created),
      payload: payload('release', sha, run),
      statuses: release.statuses.map((entry) => status(entry, run)),
    });
    if (release.rollback) {
      emulator.seed.deployments('production', 1, {
        sha: lastAccepted,
        createdAt: iso(release.rollback.created),
        payload: payload('rollback', lastAccepted, run + 100_000, sha),
        statuses: [
          status(['deploying', release.rollback.created], run + 100_000),
          status(['accepted', release.rollback.acceptedAt], run + 100_000),
        ],
      });
    }
    if (release.foreign !== undefined) {
      emulator.seed.deployments('production', 1, { sha, createdAt: iso(release.foreign) });
    }
    if (release.acceptedAt !== undefined && !release.rollback) lastAccepted = sha;
  });
}

/** The value at rank ceil(p x n) of the sorted values. */
function rank(values: number[], percentile: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : (sorted[Math.ceil(percentile * sorted.length) - 1] ?? null);
}

/** The metrics worked out from the plan: what was planned, not what was recorded. */
function expectedFromPlan(plan: PlannedRelease[]) {
  const inWindow = plan.filter((release) => release.created >= SINCE);
  const accepted = inWindow.filter((release) => release.acceptedAt !== undefined);
  const leadTimes = accepted.map((release) => ((release.acceptedAt ?? 0) - release.committed) / HOUR);
  const reached = inWindow.filter((release) => release.outcome !== 'never-deployed');
  const failed = inWindow.filter((release) => release.failedAt !== undefined);
  const acceptances = inWindow.flatMap((release) => [
    ...(release.acceptedAt === undefined ? [] : [release.acceptedAt]),
    ...(release.rollback ? [release.rollback.acceptedAt] : []),
  ]);
  const restores = failed.flatMap((release) => {
    const failedAt = release.failedAt ?? 0;
    const later = acceptances.filter((time) => time >= failedAt);
    return later.length === 0 ? [] : [(Math.min(...later) - failedAt) / HOUR];
  });
  return {
    deployments: accepted.length,
    leadTimes,
    failed: failed.length,
    total: reached.length,
    restores,
  };
}

let emulator: Emulator;
let client: GitHubClient;
let repository: RepositoryRef;
const plan = planHistory();

beforeAll(async () => {
  emulator = await startEmulator();
  client = createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 });
  repository = { owner: emulator.owner, repo: emulator.repo };
  seedPlan(emulator, plan);
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

/** Production deployments (of any tool) created in the window, counted from the plan. */
function productionDeploymentsInWindow(): number {
  return plan
    .filter((release) => release.created >= SINCE)
    .reduce((count, release) => count + 1 + (release.rollback ? 1 : 0) + (release.foreign ? 1 : 0), 0);
}

async function measure() {
  emulator.resetLog();
  const history = await readEnvironmentHistory(client, repository, {
    environment: 'production',
    since: new Date(SINCE),
  });
  const graphqlRequests = emulator.requests.filter((request) => request.route === '/graphql').length;
  const metrics = computeDoraMetrics(history.deployments, {
    environment: 'production',
    windowDays: WINDOW_DAYS,
    now: new Date(NOW),
  });
  return { history, metrics, graphqlRequests };
}

describe('DORA metrics of a seeded production history', () => {
  it('plans several hundred deployments over 60 days with every outcome', () => {
    const outcomes = new Set(plan.map((release) => release.outcome));
    expect(outcomes.size).toBe(6);
    const all = plan.reduce((count, release) => count + 1 + (release.rollback ? 1 : 0), 0);
    expect(all).toBeGreaterThan(300);
    expect(productionDeploymentsInWindow()).toBeGreaterThan(100);
  });

  it('equals the metrics worked out from the plan', async () => {
    const { history, metrics } = await measure();
    const expected = expectedFromPlan(plan);
    const suiteInWindow = plan
      .filter((release) => release.created >= SINCE)
      .reduce((count, release) => count + 1 + (release.rollback ? 1 : 0), 0);
    expect(history.deployments).toHaveLength(suiteInWindow);

    expect(metrics.environment).toBe('production');
    expect(metrics.from).toBe(iso(SINCE));
    expect(metrics.to).toBe(iso(NOW));
    expect(metrics.deployments).toBe(expected.deployments);
    expect(metrics.deployments).toBeGreaterThan(50);
    expect(metrics.deploymentsPerDay).toBeCloseTo(expected.deployments / WINDOW_DAYS, 9);
    expect(metrics.leadTimeHours.samples).toBe(expected.leadTimes.length);
    expect(metrics.leadTimeHours.median).toBeCloseTo(rank(expected.leadTimes, 0.5) ?? Number.NaN, 6);
    expect(metrics.leadTimeHours.p90).toBeCloseTo(rank(expected.leadTimes, 0.9) ?? Number.NaN, 6);
    expect(metrics.changeFailureRate).toEqual({
      failed: expected.failed,
      total: expected.total,
      rate: expected.failed / expected.total,
    });
    expect(expected.failed).toBeGreaterThan(10);
    expect(metrics.timeToRestoreHours.samples).toBe(expected.restores.length);
    expect(metrics.timeToRestoreHours.median).toBeCloseTo(rank(expected.restores, 0.5) ?? Number.NaN, 6);
  });

  it('reads one 1-point page per 100 deployments of the window, whatever the older history', async () => {
    expect(HISTORY_PAGE_SIZE).toBe(100);
    // Same shape as a page: 100 deployments, each with its statuses.
    expect(snapshotPointCost({ recent: [{ environment: 'production', count: HISTORY_PAGE_SIZE }] })).toBe(1);
    const pages = Math.floor(productionDeploymentsInWindow() / HISTORY_PAGE_SIZE) + 1;
    expect(pages).toBeGreaterThanOrEqual(2);

    const before = await measure();
    expect(before.history.requests).toBe(pages);
    expect(before.graphqlRequests).toBe(pages);

    // 5,000 older releases, all before the 60 days.
    const sha = emulator.git.head();
    for (let batch = 0; batch < 50; batch++) {
      const created = NOW - 61 * DAY - batch * DAY;
      emulator.seed.deployments('production', 100, {
        sha,
        createdAt: iso(created),
        payload: payload('release', sha, 900_000 + batch),
        statuses: [
          status(['deployed', created + MINUTE], batch),
          status(['accepted', created + HOUR], batch),
        ],
      });
    }
    const after = await measure();
    expect(after.history.requests).toBe(pages);
    expect(after.graphqlRequests).toBe(pages);
    expect(after.metrics).toEqual(before.metrics);
  });
});
