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

/** Whether two environment names are one environment: GitHub environment names ignore case. */
export function sameEnvironment(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The deployment an action works on, with what its statuses say: the one named by the `deployment-id` input
 * (checked to belong to `environment` and to carry a release of the suite), or else the release this run
 * prepared for `environment`. Both are looked up in `recent` (the environment's newest deployments with their
 * statuses, read with {@link runDeploymentSearch} in the action's one snapshot); only a `deployment-id` older
 * than those is read by REST (the deployment and its statuses: two requests).
 */
export async function resolveTargetDeployment(
  client: GitHubClient,
  repository: RepositoryRef,
  context: RunContext,
  request: { environment: string; deploymentId: number | undefined },
  recent: DeploymentWithProgress[],
): Promise<DeploymentWithProgress> {
  if (request.deploymentId !== undefined) {
    const known = recent.find((candidate) => candidate.deployment.id === request.deploymentId);
    const found =
      known ??
      (await withProgress(client, repository, await getDeployment(client, repository, request.deploymentId)));
    checkNamedDeployment(found.deployment, request.environment);
    return found;
  }
  const mine = recent.find((candidate) => candidate.deployment.release?.run.id === context.runId);
  if (!mine) {
    throw new UserError(
      `No release was prepared for '${request.environment}' in this workflow run (run ${context.runId}). ` +
        `Run prepare-release for '${request.environment}' earlier in this run, or pass its 'deployment-id' output.`,
    );
  }
  return mine;
}

/** Refuses a deployment named by `deployment-id` that is not a release of the suite in `environment`. */
function checkNamedDeployment(deployment: DeploymentRecord, environment: string): void {
  if (!sameEnvironment(deployment.environment, environment)) {
    throw new UserError(
      `Deployment ${deployment.id} (input 'deployment-id') is for environment '${deployment.environment}', ` +
        `not '${environment}'. Pass the deployment prepared for '${environment}', or fix 'environment'.`,
    );
  }
  if (!deployment.release) {
    throw new UserError(
      `Deployment ${deployment.id} (input 'deployment-id') was not created by prepare-release or rollback: ` +
        `it carries no release record. Pass the 'deployment-id' output of prepare-release.`,
    );
  }
}
