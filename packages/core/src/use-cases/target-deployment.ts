import type { DeploymentRecord } from '../state/deployments.js';
import type { ReleaseProgress } from '../state/deployment-markers.js';
import { resolveTargetDeployment, runDeploymentSearch } from '../state/release-lookup.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
import { readState, repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/**
 * What deploy-env and verify read to find their deployment: the environment's newest deployments, where this
 * run's release is; nothing when the `deployment-id` input names it (it is read by id then).
 */
export function targetDeploymentRequest(
  environment: string,
  deploymentId: number | undefined,
): SnapshotRequest | undefined {
  return deploymentId === undefined ? { recent: [runDeploymentSearch(environment)] } : undefined;
}

/** The deployment deploy-env or verify works on (one request). */
export async function findTargetDeployment(
  dependencies: UseCaseDependencies,
  environment: string,
  deploymentId: number | undefined,
): Promise<{ deployment: DeploymentRecord; progress: ReleaseProgress | undefined }> {
  return resolveTargetDeployment(
    dependencies.client,
    repositoryOf(dependencies),
    dependencies.context,
    { environment, deploymentId },
    async () => {
      // The same request the entry points plan, so a read prefetched with the configuration serves it.
      const state = await readState(dependencies, targetDeploymentRequest(environment, undefined) ?? {});
      return state.recent.get(environment) ?? [];
    },
  );
}
