import { loadPromotionConfig, type PromotionConfig } from '../chain/promotion-config.js';
import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../run-context.js';
import { readRepositoryFile } from '../state/repository-file.js';
import { readRepositorySnapshot, type SnapshotRequest } from '../state/repository-snapshot.js';
import type { PrefetchedSnapshot, UseCaseDependencies } from '../use-cases/use-case-dependencies.js';
import type { CommonInputs } from './action-inputs.js';
import type { ActionHost } from './action-host.js';

/** The state an action reads first, as a function of the configuration. */
export type SnapshotPlan = (config: PromotionConfig) => SnapshotRequest;

/**
 * Loads the configuration (from the workspace, or through the API at the run's commit when the workflow did
 * not check the repository out) and returns the use-case's dependencies. Nothing is written to GitHub here.
 *
 * A configuration read through the API comes in the same GraphQL request as the state the use-case reads first,
 * planned from a provisional configuration (the chain of the `environments` input, else the `environment` input
 * alone, with default settings). When the real configuration plans the same request, the use-case uses that
 * answer and makes no request of its own; otherwise (e.g. a custom tag prefix) it reads again.
 */
export async function setUpAction(
  host: ActionHost,
  setup: { context: RunContext; inputs: CommonInputs; client: GitHubClient; snapshot: SnapshotPlan },
): Promise<UseCaseDependencies> {
  const { context, inputs, client } = setup;
  const repository = { owner: context.owner, repo: context.repo };
  let prefetched: PrefetchedSnapshot | undefined;
  const readRemoteFile = async (path: string): Promise<string | undefined> => {
    const request = await provisionalRequest(setup.snapshot, inputs);
    if (!request) return readRepositoryFile(client, repository, path, context.sha);
    const snapshot = await readRepositorySnapshot(client, repository, {
      ...request,
      file: { path, at: context.sha },
    });
    prefetched = { request, snapshot };
    if (typeof snapshot.file === 'object') {
      throw new UserError(
        `'${path}' in ${repository.owner}/${repository.repo} at ${context.sha.slice(0, 7)} is not a text ` +
          'file. Give the path of the YAML configuration file.',
      );
    }
    return snapshot.file;
  };
  const config = await loadPromotionConfig({
    configPath: inputs.config,
    environmentsInput: inputs.environments,
    workspace: context.workspace,
    readRemoteFile,
  });
  host.logger.info(`Environment chain (${config.source}): ${config.chain.names.join(' -> ')}`);
  const mask = (value: string) => host.setSecret(value);
  return { client, context, logger: host.logger, config, prefetched, mask, env: host.env };
}

/**
 * The request `plan` makes for the chain the inputs name (`environments`, else `environment`), with default
 * settings; undefined when they name none, or names the real configuration will refuse with a proper message
 * (the file is then read alone).
 */
async function provisionalRequest(
  plan: SnapshotPlan,
  inputs: CommonInputs,
): Promise<SnapshotRequest | undefined> {
  const environments = inputs.environments || inputs.environment;
  if (!environments) return undefined;
  try {
    const provisional = await loadPromotionConfig({
      configPath: '',
      environmentsInput: environments,
      workspace: undefined,
    });
    if (inputs.environment) provisional.chain.get(inputs.environment);
    return plan(provisional);
  } catch {
    return undefined;
  }
}
