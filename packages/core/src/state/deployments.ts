import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import {
  DEPLOYMENT_TASK,
  readReleasePayload,
  toDeploymentPayload,
  type ReleasePayload,
} from './deployment-payload.js';
import type { StatusRecord } from './deployment-markers.js';
import { hasHttpStatus } from '../github/http-status.js';
import { NOT_WRITTEN, writeGuarded } from '../github/write-policy.js';

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
  /** Login of whoever created it. */
  creator: string | null;
  /** The suite's record, when the deployment carries one. */
  release: ReleasePayload | undefined;
}

interface GitHubDeployment {
  id: number;
  sha: string;
  environment: string;
  url: string;
  created_at: string;
  payload: unknown;
  creator: { login: string } | null;
}

function toDeploymentRecord(deployment: GitHubDeployment): DeploymentRecord {
  return {
    id: deployment.id,
    sha: deployment.sha,
    environment: deployment.environment,
    url: deployment.url,
    createdAt: deployment.created_at,
    creator: deployment.creator?.login ?? null,
    release: readReleasePayload(deployment.payload),
  };
}

/** Filters of {@link listDeployments}. */
export interface DeploymentQuery {
  environment: string;
  task: string;
  sha?: string;
  /** How many of the newest to read (one request, at most 100). */
  limit: number;
}

/** The newest deployments matching `query`, newest first, with one request. */
export async function listDeployments(
  client: GitHubClient,
  repository: RepositoryRef,
  query: DeploymentQuery,
): Promise<DeploymentRecord[]> {
  const response = await client.rest.repos.listDeployments({
    ...repository,
    environment: query.environment,
    task: query.task,
    ...(query.sha ? { sha: query.sha } : {}),
    per_page: Math.min(query.limit, 100),
  });
  return response.data.map((deployment) => toDeploymentRecord(deployment as GitHubDeployment));
}

/** One deployment by id; a missing one is the user's mistake (the `deployment-id` input). */
export async function getDeployment(
  client: GitHubClient,
  repository: RepositoryRef,
  deploymentId: number,
): Promise<DeploymentRecord> {
  try {
    const response = await client.rest.repos.getDeployment({ ...repository, deployment_id: deploymentId });
    return toDeploymentRecord(response.data as GitHubDeployment);
  } catch (error) {
    if (hasHttpStatus(error, 404)) {
      throw new UserError(
        `Deployment ${deploymentId} (input 'deployment-id') does not exist in ${repository.owner}/${repository.repo}. ` +
          `Pass the 'deployment-id' output of prepare-release, or leave the input empty to use the release this run prepared.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The newest statuses of a deployment (newest first), one request. */
export async function listDeploymentStatuses(
  client: GitHubClient,
  repository: RepositoryRef,
  deploymentId: number,
  limit = 100,
): Promise<StatusRecord[]> {
  const response = await client.rest.repos.listDeploymentStatuses({
    ...repository,
    deployment_id: deploymentId,
    per_page: Math.min(limit, 100),
  });
  return response.data.map((status) => ({
    id: status.id,
    state: status.state,
    description: status.description ?? '',
    createdAt: status.created_at,
    creator: status.creator?.login ?? null,
    environmentUrl: status.environment_url ?? '',
    logUrl: status.log_url ?? '',
  }));
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
  return writeGuarded({
    what: `the deployment of ${record.sha.slice(0, 7)} to ${record.environment}`,
    send: async (request) => {
      const response = await client.rest.repos.createDeployment({
        ...repository,
        ref: record.sha,
        task: DEPLOYMENT_TASK,
        environment: record.environment,
        auto_merge: false,
        required_contexts: [],
        payload: toDeploymentPayload(record),
        description: statusDescription(deployment.description),
        production_environment: deployment.productionEnvironment,
        transient_environment: false,
        request,
      });
      if (response.status !== 201 || !('id' in response.data)) {
        const message =
          'message' in response.data ? String(response.data.message) : `status ${response.status}`;
        throw new Error(
          `GitHub did not create the deployment for ${record.sha} in ${record.environment}: ${message}`,
        );
      }
      return toDeploymentRecord(response.data as GitHubDeployment);
    },
    // GitHub may have created it before the answer was lost: this run's own record is then among the commit's
    // newest deployments there.
    readBack: async () => {
      const newest = await listDeployments(client, repository, {
        environment: record.environment,
        sha: record.sha,
        task: DEPLOYMENT_TASK,
        limit: 5,
      });
      const created = newest.find(
        (candidate) =>
          candidate.release?.run.id === record.run.id &&
          candidate.release.run.attempt === record.run.attempt &&
          candidate.release.kind === record.kind,
      );
      return created ?? NOT_WRITTEN;
    },
  });
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

/**
 * Adds a status to a deployment. `auto_inactive` is left to GitHub's default: a `success` marks the
 * environment's earlier deployments inactive in one request, so the suite never deactivates them one by one.
 */
export async function setDeploymentState(
  client: GitHubClient,
  repository: RepositoryRef,
  deploymentId: number,
  update: DeploymentStatusUpdate,
): Promise<void> {
  const description = statusDescription(update.description);
  await writeGuarded({
    what: `the status "${description}" of deployment ${deploymentId}`,
    send: async (request) => {
      await client.rest.repos.createDeploymentStatus({
        ...repository,
        deployment_id: deploymentId,
        state: update.state,
        description,
        ...(update.logUrl ? { log_url: update.logUrl } : {}),
        ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
        request,
      });
    },
    // A status GitHub recorded before the answer was lost must not be written twice: the newest one says.
    readBack: async () => {
      const [latest] = await listDeploymentStatuses(client, repository, deploymentId, 1);
      return latest?.state === update.state && latest.description === description ? undefined : NOT_WRITTEN;
    },
  });
}

/**
 * Adds a status unless the deployment's newest status already says exactly this (a re-run repeating a step
 * an earlier attempt recorded). The check costs one request, so callers make it only on re-runs
 * (`GITHUB_RUN_ATTEMPT` above 1). Returns whether a status was written.
 */
export async function setDeploymentStateOnce(
  client: GitHubClient,
  repository: RepositoryRef,
  deploymentId: number,
  update: DeploymentStatusUpdate,
  options: { checkLatest: boolean },
): Promise<boolean> {
  if (options.checkLatest) {
    const [latest] = await listDeploymentStatuses(client, repository, deploymentId, 1);
    if (latest?.state === update.state && latest.description === statusDescription(update.description))
      return false;
  }
  await setDeploymentState(client, repository, deploymentId, update);
  return true;
}
