import type { PromotionConfig } from '../chain/promotion-config.js';
import type { CommitInfo } from '../state/commits.js';
import { environmentTagName } from '../state/environment-tag.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
import { readState, type UseCaseDependencies } from './use-case-dependencies.js';

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

const DAY_MS = 24 * 60 * 60 * 1000;

/** The status report. */
export interface StatusReport {
  environments: EnvironmentStatus[];
  generatedAt: string;
}

/**
 * What status reads in one request: each environment tag with its commit's deployment there, and the commits
 * between each pair of neighbouring tags.
 */
export function statusSnapshotRequest(config: PromotionConfig): SnapshotRequest {
  const names = config.chain.environments.map(({ name }) => name);
  const tagOf = (name: string) => environmentTagName(name, config.environmentTagPrefix);
  return {
    tags: names.map((name) => ({ tag: tagOf(name), deploymentsIn: [name] })),
    recent: names.slice(0, -1).map((environment) => ({ environment, count: ACCEPTANCES_READ })),
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
  const now = options.now ?? new Date();
  const staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  const tagOf = (name: string) => environmentTagName(name, config.environmentTagPrefix);
  const state = await readState(dependencies, statusSnapshotRequest(config));
  const environments: EnvironmentStatus[] = [];
  for (const { name } of config.chain.environments) {
    const tag = state.tags.get(tagOf(name));
    const sha = tag?.sha;
    const status: EnvironmentStatus = {
      environment: name,
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
    };
    const found = tag?.deployments.get(name);
    if (sha && found) {
      const { deployment, progress } = found;
      status.acceptedAt = progress.accepted?.createdAt ?? null;
      if (status.acceptedAt) {
        status.daysSinceRelease = Math.floor((now.getTime() - Date.parse(status.acceptedAt)) / DAY_MS);
        status.stale = status.daysSinceRelease > staleAfterDays;
      }
      Object.assign(status, {
        version: deployment.release?.version ?? null,
        since: deployment.createdAt,
        by: deployment.release?.actor ?? deployment.creator,
        state: progress.latest?.state ?? null,
        description: progress.latest?.description ?? null,
        deploymentId: deployment.id,
        rollback: deployment.release?.kind === 'rollback',
      });
    }
    const below = environments[environments.length - 1];
    if (below?.sha) {
      if (sha === below.sha) {
        status.pending = { from: below.environment, count: 0, commits: [], authors: [], oldest: null };
      } else if (!sha) {
        status.pending = { from: below.environment, count: null, commits: [], authors: [], oldest: null };
      } else {
        const range = state.comparisons.get(`${tagOf(name)}...${tagOf(below.environment)}`);
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
        status.pending = {
          from: below.environment,
          count: range?.aheadBy === undefined || range.status === 'behind' ? 0 : range.aheadBy,
          commits,
          authors: [...new Set(commits.map((commit) => commit.authorLogin ?? commit.authorName))],
          oldest: first
            ? {
                sha: first.sha,
                subject: first.subject,
                committedAt: first.committedAt ?? null,
                waitingSince: firstAcceptanceAfter(state.recent.get(below.environment) ?? [], sha),
              }
            : null,
        };
      }
    }
    environments.push(status);
  }
  return { environments, generatedAt: now.toISOString() };
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
