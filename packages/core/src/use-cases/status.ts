import type { PromotionConfig } from '../chain/promotion-config.js';
import type { CommitInfo } from '../state/commits.js';
import { environmentTagName } from '../state/environment-tag.js';
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
}

/** What waits to be promoted from the environment below. */
export interface PendingChanges {
  from: string;
  /** How many commits wait; null when nothing was accepted here yet (everything below waits). */
  count: number | null;
  /** The newest commits (at most one compare page), oldest first. */
  commits: Array<Pick<CommitInfo, 'sha' | 'subject' | 'authorLogin' | 'authorName'>>;
}

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
  const tagOf = (name: string) => environmentTagName(name, null, config.environmentTagPrefix);
  return {
    tags: names.map((name) => ({ tag: tagOf(name), deploymentsIn: [name] })),
    comparisons: names
      .slice(1)
      .map((name, index) => ({ base: tagOf(name), head: tagOf(names[index] as string) })),
  };
}

/** Reads where every environment stands and what waits between neighbours. Read-only, one request. */
export async function readStatus(dependencies: UseCaseDependencies, now = new Date()): Promise<StatusReport> {
  const { config } = dependencies;
  const tagOf = (name: string) => environmentTagName(name, null, config.environmentTagPrefix);
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
    };
    const found = tag?.deployments.get(name);
    if (sha && found) {
      const { deployment, progress } = found;
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
        status.pending = { from: below.environment, count: 0, commits: [] };
      } else if (!sha) {
        status.pending = { from: below.environment, count: null, commits: [] };
      } else {
        const range = state.comparisons.get(`${tagOf(name)}...${tagOf(below.environment)}`);
        status.pending = {
          from: below.environment,
          count: range?.aheadBy === undefined || range.status === 'behind' ? 0 : range.aheadBy,
          commits: (range?.status === 'behind' ? [] : (range?.commits ?? [])).map(
            ({ sha: commitSha, subject, authorLogin, authorName }) => ({
              sha: commitSha,
              subject,
              authorLogin,
              authorName,
            }),
          ),
        };
      }
    }
    environments.push(status);
  }
  return { environments, generatedAt: now.toISOString() };
}
