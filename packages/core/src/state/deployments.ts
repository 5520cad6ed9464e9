import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { toDeploymentPayload, type ReleasePayload } from './deployment-payload.js';

/** The deployment `task` of the suite's deployments (`deploy:<component>` in a monorepo). */
export function deploymentTask(component: string | null): string {
  return component ? `deploy:${component}` : 'deploy';
}

/** GitHub's limit on a deployment status description. */
export const MAX_STATUS_DESCRIPTION_LENGTH = 140;

/** Cuts `text` to GitHub's 140-character status description limit. */
export function statusDescription(text: string): string {
  return text.length <= MAX_STATUS_DESCRIPTION_LENGTH
    ? text
    : `${text.slice(0, MAX_STATUS_DESCRIPTION_LENGTH - 1)}…`;
}

/** A deployment as the suite uses it. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  environment: string;
  url: string;
  createdAt: string;
}

/** What {@link createReleaseDeployment} needs. */
export interface NewDeployment {
  record: ReleasePayload;
  description: string;
  /** Whether GitHub should treat the environment as production (the last environment of the chain). */
  productionEnvironment: boolean;
}

/**
 * Creates the GitHub Deployment that carries a release to an environment. It deploys the exact commit
 * (`ref` is the sha), never merges the default branch into it (`auto_merge: false`), and does not wait on
 * commit statuses (`required_contexts: []`): the suite's own gate decided already.
 */
export async function createReleaseDeployment(
  client: GitHubClient,
  repository: RepositoryRef,
  deployment: NewDeployment,
): Promise<DeploymentRecord> {
  const { record } = deployment;
  const response = await client.rest.repos.createDeployment({
    ...repository,
    ref: record.sha,
    task: deploymentTask(record.component),
    environment: record.environment,
    auto_merge: false,
    required_contexts: [],
    payload: toDeploymentPayload(record),
    description: statusDescription(deployment.description),
    production_environment: deployment.productionEnvironment,
    transient_environment: false,
  });
  if (response.status !== 201 || !('id' in response.data)) {
    const message = 'message' in response.data ? String(response.data.message) : `status ${response.status}`;
    throw new Error(
      `GitHub did not create the deployment for ${record.sha} in ${record.environment}: ${message}`,
    );
  }
  return {
    id: response.data.id,
    sha: response.data.sha,
    environment: response.data.environment,
    url: response.data.url,
    createdAt: response.data.created_at,
  };
}

/** A deployment status state, as GitHub names them. */
export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

/** What {@link setDeploymentState} records. */
export interface DeploymentStatusUpdate {
  state: DeploymentState;
  description: string;
  /** The workflow run's log URL. */
  logUrl?: string;
  /** Where the deployed release can be reached. */
  environmentUrl?: string;
}

/** Adds a status to a deployment. `auto_inactive` is left to GitHub's default. */
export async function setDeploymentState(
  client: GitHubClient,
  repository: RepositoryRef,
  deploymentId: number,
  update: DeploymentStatusUpdate,
): Promise<void> {
  await client.rest.repos.createDeploymentStatus({
    ...repository,
    deployment_id: deploymentId,
    state: update.state,
    description: statusDescription(update.description),
    ...(update.logUrl ? { log_url: update.logUrl } : {}),
    ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
  });
}
