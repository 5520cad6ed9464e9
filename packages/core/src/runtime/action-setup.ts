import {
  loadPromotionConfig,
  parsePromotionConfig,
  type PromotionConfig,
} from '../chain/promotion-config.js';
import { parseEnvironmentList } from '../chain/environment-chain.js';
import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import { readRepositoryFile } from '../state/repository-file.js';
import { readRepositorySnapshot, type SnapshotRequest } from '../state/repository-snapshot.js';
import type { PrefetchedSnapshot, UseCaseDependencies } from '../use-cases/use-case-dependencies.js';
import { readCommonInputs, type CommonInputs } from './action-inputs.js';
import type { ActionRuntime } from './run-action.js';

/** Everything an entry point needs before it calls its use-case. */
export interface ActionSetup {
  inputs: CommonInputs;
  config: PromotionConfig;
  client: GitHubClient;
  dependencies: UseCaseDependencies;
}

/** The state an action reads first, as a function of the configuration and the common inputs. */
export type SnapshotPlan = (config: PromotionConfig, inputs: CommonInputs) => SnapshotRequest | undefined;

/**
 * Reads the common inputs, builds the GitHub client and loads the configuration (from the workspace, or
 * through the API at the run's commit when the workflow did not check the repository out), and checks that the
 * target environment is in the chain. Nothing is written to GitHub here.
 *
 * With `snapshot`, a configuration read through the API comes in the same GraphQL request as the state the
 * use-case reads first, planned from a provisional configuration (the chain of the `environments` input, else the
 * `environment` input alone, with default settings). When the real configuration plans the same request, the
 * use-case uses that answer and makes no request of its own; otherwise (e.g. a custom tag prefix) it reads again.
 */
export async function setUpAction(
  runtime: ActionRuntime,
  options: { environmentRequired: boolean; snapshot?: SnapshotPlan },
): Promise<ActionSetup> {
  const inputs = readCommonInputs(runtime.input, options);
  const client = runtime.github(inputs.token);
  const repository = { owner: runtime.context.owner, repo: runtime.context.repo };
  let prefetched: PrefetchedSnapshot | undefined;
  const readRemoteFile = async (path: string): Promise<string | undefined> => {
    const request =
      options.snapshot && (inputs.environment || inputs.environments)
        ? provisionalRequest(options.snapshot, inputs)
        : undefined;
    if (!request) return readRepositoryFile(client, repository, path, runtime.context.sha);
    const snapshot = await readRepositorySnapshot(client, repository, {
      ...request,
      file: { path, at: runtime.context.sha },
    });
    prefetched = { request, snapshot };
    if (typeof snapshot.file === 'object') {
      throw new UserError(
        `'${path}' in ${repository.owner}/${repository.repo} at ${runtime.context.sha.slice(0, 7)} is not a text ` +
          'file. Give the path of the YAML configuration file.',
      );
    }
    return snapshot.file;
  };
  const config = await loadPromotionConfig({
    configPath: inputs.config,
    environmentsInput: inputs.environments,
    workspace: runtime.context.workspace,
    readRemoteFile,
  });
  // The chain's spelling from here on (GitHub environment names ignore case; tags use the chain's spelling).
  if (inputs.environment) inputs.environment = config.chain.get(inputs.environment).name;
  runtime.logger.info(`Environment chain (${config.source}): ${config.chain.names.join(' -> ')}`);
  return {
    inputs,
    config,
    client,
    dependencies: { client, context: runtime.context, logger: runtime.logger, config, prefetched },
  };
}

/** The request `plan` makes for the chain the inputs name (`environments`, else `environment`), with default settings. */
function provisionalRequest(plan: SnapshotPlan, inputs: CommonInputs): SnapshotRequest | undefined {
  let provisional: PromotionConfig;
  try {
    const names = inputs.environments
      ? (parseEnvironmentList(inputs.environments)?.names ?? [])
      : [inputs.environment];
    provisional = parsePromotionConfig(
      `environments:\n${names.map((name) => `  - ${JSON.stringify(name)}\n`).join('')}`,
      'the provisional configuration',
    );
    if (inputs.environment) provisional.chain.get(inputs.environment);
  } catch {
    // Names the real configuration will refuse with a proper message: read the file alone.
    return undefined;
  }
  return plan(provisional, inputs);
}
