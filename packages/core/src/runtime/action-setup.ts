import { loadPromotionConfig, type PromotionConfig } from '../chain/promotion-config.js';
import type { GitHubClient } from '../github/client.js';
import { readRepositoryFile } from '../state/repository-file.js';
import type { UseCaseDependencies } from '../use-cases/use-case-dependencies.js';
import { readCommonInputs, type CommonInputs } from './action-inputs.js';
import type { ActionRuntime } from './run-action.js';

/** Everything an entry point needs before it calls its use-case. */
export interface ActionSetup {
  inputs: CommonInputs;
  config: PromotionConfig;
  client: GitHubClient;
  dependencies: UseCaseDependencies;
}

/**
 * Reads the common inputs, builds the GitHub client and loads the configuration (from the workspace, or
 * through the contents API at the run's commit when the workflow did not check the repository out), and
 * checks that the target environment is in the chain. Nothing is written to GitHub here.
 */
export async function setUpAction(
  runtime: ActionRuntime,
  options: { environmentRequired: boolean },
): Promise<ActionSetup> {
  const inputs = readCommonInputs(runtime.input, options);
  const client = runtime.github(inputs.token);
  const repository = { owner: runtime.context.owner, repo: runtime.context.repo };
  const config = await loadPromotionConfig({
    configPath: inputs.config,
    environmentsInput: inputs.environments,
    workspace: runtime.context.workspace,
    readRemoteFile: (path) => readRepositoryFile(client, repository, path, runtime.context.sha),
  });
  if (inputs.environment) config.chain.get(inputs.environment);
  runtime.logger.info(`Environment chain (${config.source}): ${config.chain.names.join(' -> ')}`);
  return {
    inputs,
    config,
    client,
    dependencies: { client, context: runtime.context, logger: runtime.logger, config },
  };
}
