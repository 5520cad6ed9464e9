import type { PromotionConfig } from '../chain/promotion-config.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import type { RunContext } from '../run-context.js';
import type { RepositoryRef } from '../state/repository.js';

/** What every use-case receives: the GitHub client, the run, a logger and the configuration. */
export interface UseCaseDependencies {
  client: GitHubClient;
  context: RunContext;
  logger: Logger;
  config: PromotionConfig;
}

/** The repository the run belongs to. */
export function repositoryOf(dependencies: Pick<UseCaseDependencies, 'context'>): RepositoryRef {
  return { owner: dependencies.context.owner, repo: dependencies.context.repo };
}
