import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../run-context.js';
import { releaseProgress, type ReleaseProgress } from './deployment-markers.js';
import {
  getDeployment,
  listDeployments,
  listDeploymentStatuses,
  type DeploymentRecord,
} from './deployments.js';
import type { RepositoryRef } from './repository.js';

/**
 * How many of an environment's newest deployments are searched for the one this run prepared. A run
 * prepares one release per environment, so it is among the newest unless many other runs prepared releases
 * for the same environment since; then the `deployment-id` input names it.
 */
export const RUN_DEPLOYMENT_SEARCH_LIMIT = 30;

/** The newest deployment of `sha` in `environment`, if any (one request). */
export async function latestDeploymentOf(
  client: GitHubClient,
  repository: RepositoryRef,
  environment: string,
  sha: string,
  task: string,
): Promise<DeploymentRecord | undefined> {
  const [deployment] = await listDeployments(client, repository, { environment, sha, task, limit: 1 });
  return deployment;
}

/** A deployment and what its statuses say. */
export interface DeploymentWithProgress {
  deployment: DeploymentRecord;
  progress: ReleaseProgress;
}

/** Reads a deployment's statuses and what they say (one request). */
export async function withProgress(
  client: GitHubClient,
  repository: RepositoryRef,
  deployment: DeploymentRecord,
): Promise<DeploymentWithProgress> {
  const statuses = await listDeploymentStatuses(client, repository, deployment.id);
  return { deployment, progress: releaseProgress(statuses) };
}

/** What {@link resolveTargetDeployment} reads of the environment when no `deployment-id` is given. */
export function runDeploymentSearch(environment: string): { environment: string; count: number } {
  return { environment, count: RUN_DEPLOYMENT_SEARCH_LIMIT };
}

/**
 * The deployment an action works on: the one named by the `deployment-id` input (checked to belong to
 * `environment` and to carry a release of the suite; read by REST, its statuses not read), or else the release
 * this run prepared for `environment`, found among `recent` (the environment's newest deployments, read with
 * {@link runDeploymentSearch}).
 */
export async function resolveTargetDeployment(
  client: GitHubClient,
  repository: RepositoryRef,
  context: RunContext,
  request: { environment: string; deploymentId: number | undefined },
  readRecent: () => Promise<DeploymentWithProgress[]>,
): Promise<{ deployment: DeploymentRecord; progress: ReleaseProgress | undefined }> {
  if (request.deploymentId !== undefined) {
    const deployment = await getDeployment(client, repository, request.deploymentId);
    if (deployment.environment !== request.environment) {
      throw new UserError(
        `Deployment ${deployment.id} (input 'deployment-id') is for environment '${deployment.environment}', ` +
          `not '${request.environment}'. Pass the deployment prepared for '${request.environment}', or fix 'environment'.`,
      );
    }
    if (!deployment.release) {
      throw new UserError(
        `Deployment ${deployment.id} (input 'deployment-id') was not created by prepare-release or rollback: ` +
          `it carries no release record. Pass the 'deployment-id' output of prepare-release.`,
      );
    }
    return { deployment, progress: undefined };
  }
  const recent = await readRecent();
  const mine = recent.find((candidate) => candidate.deployment.release?.run.id === context.runId);
  if (!mine) {
    throw new UserError(
      `No release was prepared for '${request.environment}' in this workflow run (run ${context.runId}). ` +
        `Run prepare-release for '${request.environment}' earlier in this run, or pass its 'deployment-id' output.`,
    );
  }
  return mine;
}
