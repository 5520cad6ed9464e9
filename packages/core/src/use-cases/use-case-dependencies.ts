import type { PromotionConfig } from '../chain/promotion-config.js';
import type { Clock } from '../clock.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import type { RunContext } from '../run-context.js';
import type { RepositoryRef } from '../state/repository.js';
import {
  readRepositorySnapshot,
  sameSnapshotRequest,
  type RepositorySnapshot,
  type SnapshotRequest,
} from '../state/repository-snapshot.js';

/** A snapshot read ahead (together with the configuration file), and what it was asked for. */
export interface PrefetchedSnapshot {
  request: SnapshotRequest;
  snapshot: RepositorySnapshot;
}

/** What every use-case receives: the GitHub client, the run, a logger and the configuration. */
export interface UseCaseDependencies {
  client: GitHubClient;
  context: RunContext;
  logger: Logger;
  config: PromotionConfig;
  /** Read by the action's set-up in the same request as the configuration file, when it had to be read remotely. */
  prefetched?: PrefetchedSnapshot | undefined;
  /** The clock rules such as freeze windows are evaluated with, when the action runs. Default: the system clock. */
  clock?: Clock;
  /** Hides a value in the log (a credential a check reads from the environment). Default: nothing is hidden. */
  mask?: (value: string) => void;
  /** The job's environment variables, where checks read `${NAME}` values. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The repository the run belongs to. */
export function repositoryOf(dependencies: Pick<UseCaseDependencies, 'context'>): RepositoryRef {
  return { owner: dependencies.context.owner, repo: dependencies.context.repo };
}

/**
 * The repository state a use-case works from (one GraphQL request), or the prefetched one when the set-up read
 * exactly this already.
 */
export async function readState(
  dependencies: UseCaseDependencies,
  request: SnapshotRequest,
): Promise<RepositorySnapshot> {
  const { prefetched } = dependencies;
  if (prefetched && sameSnapshotRequest(prefetched.request, request)) return prefetched.snapshot;
  return readRepositorySnapshot(dependencies.client, repositoryOf(dependencies), request);
}
