import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { systemClock } from '../clock.js';
import type { CommitInfo } from '../state/commits.js';
import { environmentTagName } from '../state/environment-tag.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { RepositorySnapshot, SnapshotRequest, TagComparison } from '../state/repository-snapshot.js';
import type { DoraMetrics } from '../metrics/metric-types.js';
import { renderStatusBoard } from '../report/status-board.js';
import type { EnvironmentHistory } from '../state/release-history.js';
import { deliveryMetrics, metricsEnvironment, readMetricsHistory } from './delivery-metrics.js';
import { boardFilePath } from './board-path.js';
import { readState, type UseCaseDependencies } from './use-case-dependencies.js';
import { type BaseRequest, type DecisionInput, type UseCase } from './use-case.js';
import { decided, type Decided } from '../rules/decision.js';
import { rolloutStanding, type RolloutStanding } from './rollout-standing.js';

/** One environment in the status report. */
export interface EnvironmentStatus {
  environment: string;
  /** The accepted commit; null when nothing was accepted yet. */
  sha: string | null;
  version: string | null;
  /** When the release there was prepared (ISO time). */
  since: string | null;
  /** Who prepared it. */
  by: string | null;
  /** The latest state of its deployment (`success`, `error`, …) and what the status says. */
  state: string | null;
  description: string | null;
  deploymentId: number | null;
  /** Whether the environment runs a rollback. */
  rollback: boolean;
  /** Commits accepted in the environment below and not yet here (null for the first environment). */
  pending: PendingChanges | null;
  /** When the release here was accepted (ISO time); null when nothing was accepted or the mark is missing. */
  acceptedAt: string | null;
  /** Whole days since that acceptance, when status ran. */
  daysSinceRelease: number | null;
  /** Whether the environment has gone longer than `staleAfterDays` without a new release. */
  stale: boolean;
  /**
   * The rollout of the environment's newest deployment (a release rolling out, or held by its rollout there),
   * when it has one; null otherwise. That deployment may carry a newer release than the one accepted here.
   */
  rollout: RolloutStanding | null;
}

/** What waits to be promoted from the environment below. */
export interface PendingChanges {
  from: string;
  /** How many commits wait; null when nothing was accepted here yet (everything below waits). */
  count: number | null;
  /** The newest commits (at most one compare page), oldest first. */
  commits: Array<Pick<CommitInfo, 'sha' | 'subject' | 'authorLogin' | 'authorName' | 'committedAt'>>;
  /** Who wrote them: GitHub logins, or commit author names where GitHub knows no login; first appearance first. */
  authors: string[];
  /** The oldest of them, and since when it waits here: since the environment below accepted it. */
  oldest: WaitingCommit | null;
}

/** The commit that has waited longest to be promoted. */
export interface WaitingCommit {
  sha: string;
  subject: string;
  committedAt: string | null;
  /**
   * When the environment below first accepted a release containing it (ISO time): the earliest acceptance
   * there after the release this environment runs; null when that is older than the deployments read.
   */
  waitingSince: string | null;
}

/** Options of {@link readStatus}. */
export interface StatusOptions {
  now?: Date;
  /** An environment is stale after this many days without a new release. Default {@link DEFAULT_STALE_AFTER_DAYS}. */
  staleAfterDays?: number;
}

/** Days without a new release after which status flags an environment. */
export const DEFAULT_STALE_AFTER_DAYS = 14;

/** Newest deployments of each environment below another read to date when its releases were accepted. */
const ACCEPTANCES_READ = 20;

/**
 * Newest deployments of the last environment read to find its newest one of the suite (and its rollout) among
 * others (GitHub's own, other tasks). By `snapshotPointCost`, 5 costs no more than 1 would in chains of up to 12
 * environments.
 */
const NEWEST_READ = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The status report. */
export interface StatusReport {
  environments: EnvironmentStatus[];
  generatedAt: string;
}

/**
 * What status reads in one request: each environment tag with its commit's deployment there, each
 * environment's newest deployments (its rollout; below another, when its releases were accepted), and the
 * commits between each pair of neighbouring tags.
 */
export function statusSnapshotRequest(config: PromotionConfig): SnapshotRequest {
  const names = config.chain.environments.map(({ name }) => name);
  const tagOf = (name: string) => environmentTagName(name, config.environmentTagPrefix);
  const last = names.length - 1;
  return {
    tags: names.map((name) => ({ tag: tagOf(name), deploymentsIn: [name] })),
    recent: names.map((environment, index) => ({
      environment,
      count: index < last ? ACCEPTANCES_READ : NEWEST_READ,
    })),
    comparisons: names
      .slice(1)
      .map((name, index) => ({ base: tagOf(name), head: tagOf(names[index] as string) })),
  };
}

/** Reads where every environment stands and what waits between neighbours. Read-only, one request. */
export async function readStatus(
  dependencies: UseCaseDependencies,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const { config } = dependencies;
  const now = options.now ?? new Date((dependencies.clock ?? systemClock).now());
  const snapshot = await readState(dependencies, statusSnapshotRequest(config));
  return statusReport(config, snapshot, {
    now,
    staleAfterDays: options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
  });
}

/**
 * The status report from the snapshot {@link statusSnapshotRequest} planned (pure): each environment's
 * standing, the rollout of its newest deployment, and what waits to be promoted from the environment below it.
 */
export function statusReport(
  config: Pick<PromotionConfig, 'chain' | 'environmentTagPrefix'>,
  snapshot: Pick<RepositorySnapshot, 'tags' | 'recent' | 'comparisons'>,
  options: { now: Date; staleAfterDays: number },
): StatusReport {
  const tagOf = (name: string) => environmentTagName(name, config.environmentTagPrefix);
  const environments: EnvironmentStatus[] = [];
  for (const { name } of config.chain.environments) {
    const tag = snapshot.tags.get(tagOf(name));
    const status = environmentStanding(name, tag?.sha, tag?.deployments.get(name), options);
    status.rollout = rolloutStanding(snapshot.recent.get(name)?.[0]);
    const below = environments[environments.length - 1];
    if (below?.sha) {
      status.pending = pendingChanges(below, status.sha ?? undefined, {
        range: snapshot.comparisons.get(`${tagOf(name)}...${tagOf(below.environment)}`),
        belowRecent: snapshot.recent.get(below.environment) ?? [],
      });
    }
    environments.push(status);
  }
  return { environments, generatedAt: options.now.toISOString() };
}

/**
 * Where one environment stands (pure): the commit its tag points at and that commit's deployment there, when
 * the release there was accepted, and whether it has gone more than `staleAfterDays` whole days since without
 * a new one. `pending` and `rollout` are left null (see {@link pendingChanges} and {@link rolloutStanding}).
 */
export function environmentStanding(
  environment: string,
  sha: string | undefined,
  found: DeploymentWithProgress | undefined,
  options: { now: Date; staleAfterDays: number },
): EnvironmentStatus {
  const status: EnvironmentStatus = {
    environment,
    sha: sha ?? null,
    version: null,
    since: null,
    by: null,
    state: null,
    description: null,
    deploymentId: null,
    rollback: false,
    pending: null,
    acceptedAt: null,
    daysSinceRelease: null,
    stale: false,
    rollout: null,
  };
  if (!sha || !found) return status;
  const { deployment, progress } = found;
  status.acceptedAt = progress.accepted?.createdAt ?? null;
  if (status.acceptedAt) {
    status.daysSinceRelease = Math.floor((options.now.getTime() - Date.parse(status.acceptedAt)) / DAY_MS);
    status.stale = status.daysSinceRelease > options.staleAfterDays;
  }
  return Object.assign(status, {
    version: deployment.release?.version ?? null,
    since: deployment.createdAt,
    by: deployment.release?.actor ?? deployment.creator,
    state: progress.latest?.state ?? null,
    description: progress.latest?.description ?? null,
    deploymentId: deployment.id,
    rollback: deployment.release?.kind === 'rollback',
  });
}

/**
 * What waits to be promoted from `below` (which runs a commit) to the environment running `sha` (pure): nothing
 * when both run the same commit, everything (count unknown) when nothing was accepted here yet, else the
 * commits of the comparison between their tags, with the oldest and since when it waits.
 */
export function pendingChanges(
  below: Pick<EnvironmentStatus, 'environment' | 'sha'>,
  sha: string | undefined,
  read: { range: TagComparison | undefined; belowRecent: DeploymentWithProgress[] },
): PendingChanges {
  const from = below.environment;
  if (sha === below.sha) return { from, count: 0, commits: [], authors: [], oldest: null };
  if (!sha) return { from, count: null, commits: [], authors: [], oldest: null };
  const { range } = read;
  const commits = (range?.status === 'behind' ? [] : (range?.commits ?? [])).map(
    ({ sha: commitSha, subject, authorLogin, authorName, committedAt }) => ({
      sha: commitSha,
      subject,
      authorLogin,
      authorName,
      committedAt,
    }),
  );
  const first = commits[0];
  return {
    from,
    count: range?.aheadBy === undefined || range.status === 'behind' ? 0 : range.aheadBy,
    commits,
    authors: [...new Set(commits.map((commit) => commit.authorLogin ?? commit.authorName))],
    oldest: first
      ? {
          sha: first.sha,
          subject: first.subject,
          committedAt: first.committedAt ?? null,
          waitingSince: firstAcceptanceAfter(read.belowRecent, sha),
        }
      : null,
  };
}

/**
 * The earliest acceptance, among an environment's newest deployments (newest first), of a release newer than the
 * deployment of `sha` there (the release the environment above runs). Null when nothing newer was accepted, or
 * when the deployment of `sha` is older than those read (then more releases than that waited, since earlier).
 */
function firstAcceptanceAfter(recent: DeploymentWithProgress[], sha: string): string | null {
  const cut = recent.findIndex(({ deployment }) => deployment.sha === sha);
  if (cut === -1) return null;
  const times = recent
    .slice(0, cut)
    .map(({ progress }) => progress.accepted?.createdAt)
    .filter((time): time is string => time !== undefined)
    .sort();
  return times[0] ?? null;
}

/** What status is asked to report. */
export interface StatusRequest extends BaseRequest {
  /** Always '': status reports on every environment. */
  environment: '';
  /** An environment is stale after this many days without a new release. Default {@link DEFAULT_STALE_AFTER_DAYS}. */
  staleAfterDays: number | undefined;
  /** The delivery metrics' window, in days. */
  windowDays: number;
  /**
   * Where to write the HTML promotion board: relative to the workspace, or absolute inside it (`board-path.ts`);
   * undefined writes none.
   */
  board: string | undefined;
}

/** What status reported, and where it wrote the board. */
export interface StatusResult {
  report: StatusReport;
  metrics: DoraMetrics;
  /** The board file's absolute path; undefined when none was asked for. */
  board: string | undefined;
}

/** What status read: the snapshot of every environment, and the last environment's recent history. */
export interface StatusFacts {
  snapshot: RepositorySnapshot;
  history: EnvironmentHistory;
}

/** What status writes: nothing on GitHub, the board file when one is asked for. */
export interface StatusPlan {
  report: StatusReport;
  metrics: DoraMetrics;
  /** The board page and its path as the `board` input gave it. */
  board: { path: string; page: string } | undefined;
}

/**
 * status as steps: reads every environment tag with its deployment, each environment's newest deployments
 * and the commits between neighbours (one request), and the last environment's deployments in the metrics
 * window (one request per 100 of them); reports where each environment stands, its rollout, what waits, and the
 * delivery metrics, all as of the one instant `now`; writes the HTML promotion board when asked to. Read-only
 * on GitHub.
 */
export const statusUseCase: UseCase<StatusRequest, StatusFacts, StatusPlan, StatusResult> = {
  plan: (config, request, context) => {
    // A board path outside the workspace is refused before status reads anything.
    if (request.board !== undefined) boardFilePath(request.board, context.workspace);
    return statusSnapshotRequest(config);
  },
  gather: async (dependencies, request, snapshot) => ({
    snapshot,
    // The window ends when the history is read; `decide` measures it as of its `now`, read by the same clock.
    history: await readMetricsHistory(dependencies, {
      windowDays: request.windowDays,
      now: new Date((dependencies.clock ?? systemClock).now()),
    }),
  }),
  decide: decideStatus,
  apply: applyStatus,
};

/** status's report (pure): the standing of every environment, the delivery metrics, the board page. */
export function decideStatus({
  request,
  facts,
  config,
  context,
  now,
}: DecisionInput<StatusRequest, StatusFacts>): Decided<StatusPlan> {
  const report = statusReport(config, facts.snapshot, {
    now,
    staleAfterDays: request.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
  });
  const metrics = deliveryMetrics(facts.history, {
    environment: metricsEnvironment(config),
    windowDays: request.windowDays,
    now,
  });
  const board = request.board
    ? {
        path: request.board,
        page: renderStatusBoard({
          repository: `${context.owner}/${context.repo}`,
          serverUrl: context.serverUrl,
          report,
          metrics,
        }),
      }
    : undefined;
  return decided({ report, metrics, board });
}

/** status's one write: the board file, inside the workspace (`plan` refused any other path already). */
async function applyStatus(dependencies: UseCaseDependencies, plan: StatusPlan): Promise<StatusResult> {
  const { report, metrics, board } = plan;
  if (!board) return { report, metrics, board: undefined };
  const file = boardFilePath(board.path, dependencies.context.workspace);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, board.page);
  return { report, metrics, board: file };
}
