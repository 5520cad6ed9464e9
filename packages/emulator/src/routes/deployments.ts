/** Deployments: `/repos/{owner}/{repo}/deployments[/{deployment_id}]`. */
import { canDeleteDeployment, createDeployment, deleteDeployment } from '../deployment-lifecycle.js';
import { notFound, unprocessable } from '../errors.js';
import { legacyNodeId } from '../node-ids.js';
import {
  json,
  pagedJson,
  noContent,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerRequest,
} from '../route-handler.js';
import type { DeploymentRecord } from '../store.js';
import { AUTHENTICATED_LOGIN } from '../users.js';
import { bodyOf, optionalBoolean, optionalString } from './request-body.js';

const COLLECTION = '/repos/{owner}/{repo}/deployments';
const MEMBER = '/repos/{owner}/{repo}/deployments/{deployment_id}';

/** The routes of this module. */
export const deploymentRoutes: EmulatorRoute[] = [
  { method: 'GET', template: COLLECTION, handler: listDeployments },
  { method: 'POST', template: COLLECTION, handler: createDeploymentRoute },
  {
    method: 'GET',
    template: MEMBER,
    handler: (request, state) => json(200, deploymentJson(state, findDeployment(request, state))),
  },
  { method: 'DELETE', template: MEMBER, handler: deleteDeploymentRoute },
];

/** The `deployment` representation. */
export function deploymentJson(
  { repository, users }: EmulatorState,
  deployment: DeploymentRecord,
): Record<string, unknown> {
  const url = repository.repoUrl(`deployments/${deployment.id}`);
  return {
    url,
    id: deployment.id,
    node_id: legacyNodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: users.simpleUser(deployment.creator),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: repository.repoUrl(),
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

/** The deployment named by `{deployment_id}`; throws 404 when there is none. */
export function findDeployment(request: HandlerRequest, state: EmulatorState): DeploymentRecord {
  const id = Number(request.parameters.deployment_id);
  const deployment = Number.isInteger(id) ? state.store.findDeployment(id) : undefined;
  if (!deployment) throw notFound();
  return deployment;
}

function listDeployments(request: HandlerRequest, state: EmulatorState) {
  const { sha, ref, task, environment } = request.query;
  const matching = state.store.deployments
    .filter(
      (deployment) =>
        (sha === undefined || deployment.sha === sha) &&
        (ref === undefined || deployment.ref === ref) &&
        (task === undefined || deployment.task === task) &&
        (environment === undefined || deployment.environment === environment),
    )
    .sort((first, second) => second.id - first.id);
  return pagedJson(request, matching, (deployment) => deploymentJson(state, deployment));
}

function createDeploymentRoute(request: HandlerRequest, state: EmulatorState) {
  const body = bodyOf(request);
  const ref = optionalString(body, 'ref') ?? '';
  const sha = state.git.resolveCommit(ref);
  if (!sha) throw unprocessable(`No ref found for: ${ref}`);
  const environment = optionalString(body, 'environment') ?? 'production';
  const deployment = createDeployment(state.store, {
    sha,
    ref,
    task: optionalString(body, 'task'),
    payload: parsePayload(body.payload),
    environment,
    description: body.description === null ? null : optionalString(body, 'description'),
    transientEnvironment: optionalBoolean(body, 'transient_environment'),
    productionEnvironment: optionalBoolean(body, 'production_environment'),
    creator: AUTHENTICATED_LOGIN,
  });
  return json(201, deploymentJson(state, deployment), {
    location: state.repository.repoUrl(`deployments/${deployment.id}`),
  });
}

function deleteDeploymentRoute(request: HandlerRequest, state: EmulatorState) {
  const deployment = findDeployment(request, state);
  if (!canDeleteDeployment(state.store, deployment)) {
    throw unprocessable(
      'We cannot delete an active deployment unless it is the only deployment in a given environment.',
    );
  }
  deleteDeployment(state.store, deployment);
  return noContent();
}

/** GitHub accepts the payload as an object or as a JSON string, and answers with the parsed object. */
function parsePayload(payload: unknown): Record<string, unknown> | string | undefined {
  if (payload === undefined || payload === null || payload === '') return undefined;
  if (typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, unknown>;
  if (typeof payload !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : payload;
  } catch {
    return payload;
  }
}
