import type { PromotionConfig } from '../chain/promotion-config.js';
import { environmentTagName } from '../state/environment-tag.js';
import {
  resolveTargetDeployment,
  runDeploymentSearch,
  type DeploymentWithProgress,
} from '../state/release-lookup.js';
import type { RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/**
 * What deploy-env and verify read, in one request: the environment's newest deployments with their statuses
 * (where this run's release is, or the one `deployment-id` names, and any newer release that replaced it), and
 * the environment tag with its commit's deployment there (the release accepted there, active until replaced).
 */
export function targetDeploymentRequest(config: PromotionConfig, environment: string): SnapshotRequest {
  return {
    tags: [
      {
        tag: environmentTagName(environment, config.environmentTagPrefix),
        deploymentsIn: [environment],
      },
    ],
    recent: [runDeploymentSearch(environment)],
  };
}

/** The deployment deploy-env or verify works on, and what the environment's snapshot says around it. */
export interface TargetDeployment extends DeploymentWithProgress {
  /** The environment's newest deployments, newest first. */
  recent: DeploymentWithProgress[];
  /** The deployment of the commit the environment tag points at (the release accepted there), if any. */
  accepted: DeploymentWithProgress | undefined;
}

/**
 * The deployment deploy-env or verify works on, from the snapshot {@link targetDeploymentRequest} planned (no
 * request more, unless `deployment-id` names one older than the newest deployments read: then two).
 */
export async function targetDeploymentIn(
  dependencies: UseCaseDependencies,
  request: TargetDeploymentRequest,
  snapshot: RepositorySnapshot,
): Promise<TargetDeployment> {
  const { environment, deploymentId } = request;
  const recent = snapshot.recent.get(environment) ?? [];
  const target = await resolveTargetDeployment(
    dependencies.client,
    repositoryOf(dependencies),
    dependencies.context,
    { environment, deploymentId },
    recent,
  );
  const tag = environmentTagName(environment, dependencies.config.environmentTagPrefix);
  return { ...target, recent, accepted: snapshot.tags.get(tag)?.deployments.get(environment) };
}

/** What a request about one deployment of an environment names: the environment and, maybe, the deployment. */
export interface TargetDeploymentRequest {
  environment: string;
  deploymentId: number | undefined;
}

/** The read steps deploy-env and verify share: plan the snapshot, then find the target deployment in it. */
export const targetDeploymentReads = {
  plan: (config: PromotionConfig, request: TargetDeploymentRequest): SnapshotRequest =>
    targetDeploymentRequest(config, request.environment),
  gather: async (
    dependencies: UseCaseDependencies,
    request: TargetDeploymentRequest,
    snapshot: RepositorySnapshot,
  ): Promise<{ target: TargetDeployment }> => ({
    target: await targetDeploymentIn(dependencies, request, snapshot),
  }),
};
