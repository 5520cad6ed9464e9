/** Deployment statuses: `/repos/{owner}/{repo}/deployments/{deployment_id}/statuses[/{status_id}]`. */
import { createDeploymentStatus } from '../deployment-lifecycle.js';
import { notFound, validationFailed } from '../errors.js';
import { legacyNodeId } from '../node-ids.js';
import {
  json,
  pagedJson,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerRequest,
} from '../route-handler.js';
import type { DeploymentStatusRecord } from '../store.js';
import type { DeploymentState } from '../types.js';
import { AUTHENTICATED_LOGIN } from '../users.js';
import { findDeployment } from './deployments.js';
import { bodyOf, optionalBoolean, optionalString } from './request-body.js';

const COLLECTION = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
const MEMBER = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}';

/** GitHub's limit on a status description. */
export const MAX_STATUS_DESCRIPTION_LENGTH = 140;

/** The routes of this module. */
export const deploymentStatusRoutes: EmulatorRoute[] = [
  { method: 'GET', template: COLLECTION, handler: listStatuses },
  { method: 'POST', template: COLLECTION, handler: createStatus },
  { method: 'GET', template: MEMBER, handler: getStatus },
];

/** The `deployment-status` representation. */
export function deploymentStatusJson(
  { repository, users }: EmulatorState,
  status: DeploymentStatusRecord,
): Record<string, unknown> {
  const deploymentUrl = repository.repoUrl(`deployments/${status.deploymentId}`);
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: legacyNodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: users.simpleUser(status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
    deployment_url: deploymentUrl,
    repository_url: repository.repoUrl(),
    environment_url: status.environmentUrl,
    log_url: status.logUrl,
  };
}

function listStatuses(request: HandlerRequest, state: EmulatorState) {
  const deployment = findDeployment(request, state);
  return pagedJson(request, state.store.statusesOf(deployment.id), (status) =>
    deploymentStatusJson(state, status),
  );
}

function createStatus(request: HandlerRequest, state: EmulatorState) {
  const deployment = findDeployment(request, state);
  const body = bodyOf(request);
  const description = optionalString(body, 'description');
  if (description !== undefined && description.length > MAX_STATUS_DESCRIPTION_LENGTH) {
    throw validationFailed({
      resource: 'DeploymentStatus',
      code: 'custom',
      field: 'description',
      message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION_LENGTH} characters)`,
    });
  }
  const status = createDeploymentStatus(state.store, deployment, {
    state: body.state as DeploymentState,
    creator: AUTHENTICATED_LOGIN,
    description,
    environment: optionalString(body, 'environment'),
    targetUrl: optionalString(body, 'target_url'),
    logUrl: optionalString(body, 'log_url'),
    environmentUrl: optionalString(body, 'environment_url'),
    autoInactive: optionalBoolean(body, 'auto_inactive'),
  });
  const location = state.repository.repoUrl(`deployments/${deployment.id}/statuses/${status.id}`);
  return json(201, deploymentStatusJson(state, status), { location });
}

function getStatus(request: HandlerRequest, state: EmulatorState) {
  const deployment = findDeployment(request, state);
  const id = Number(request.parameters.status_id);
  const status = state.store.statusesOf(deployment.id).find((candidate) => candidate.id === id);
  if (!status) throw notFound();
  return json(200, deploymentStatusJson(state, status));
}
