/** Deployment environments: `/repos/{owner}/{repo}/environments[/{environment_name}]`. */
import { notFound } from '../errors.js';
import { legacyNodeId } from '../node-ids.js';
import { paginate } from '../pagination.js';
import { json, type EmulatorRoute, type EmulatorState, type HandlerRequest } from '../route-handler.js';
import type { EnvironmentRecord } from '../store.js';
import { bodyOf, optionalBoolean, optionalNumber } from './request-body.js';

const MEMBER = '/repos/{owner}/{repo}/environments/{environment_name}';

/** The routes of this module. */
export const environmentRoutes: EmulatorRoute[] = [
  { method: 'GET', template: '/repos/{owner}/{repo}/environments', handler: listEnvironments },
  { method: 'GET', template: MEMBER, handler: getEnvironment },
  { method: 'PUT', template: MEMBER, handler: putEnvironment },
];

/** The short environment representation used inside run approvals. */
export function environmentSummaryJson({ repository }: EmulatorState, environment: EnvironmentRecord) {
  return {
    id: environment.id,
    node_id: legacyNodeId('Environment', environment.id),
    name: environment.name,
    url: repository.repoUrl(`environments/${encodeURIComponent(environment.name)}`),
    html_url: repository.htmlUrl(
      `deployments/activity_log?environments_filter=${encodeURIComponent(environment.name)}`,
    ),
    created_at: environment.createdAt,
    updated_at: environment.updatedAt,
  };
}

/** The `environment` representation, with its protection rules. */
export function environmentJson(
  state: EmulatorState,
  environment: EnvironmentRecord,
): Record<string, unknown> {
  const rules: Array<Record<string, unknown>> = [];
  const ruleId = (index: number) => environment.id * 10 + index;
  if (environment.waitTimer > 0) {
    const id = ruleId(1);
    rules.push({
      id,
      node_id: legacyNodeId('Gate', id),
      type: 'wait_timer',
      wait_timer: environment.waitTimer,
    });
  }
  if (environment.reviewers.length > 0) {
    const id = ruleId(2);
    const reviewers = environment.reviewers.flatMap((reviewer) => {
      const user = reviewer.type === 'User' ? state.users.findById(reviewer.id) : undefined;
      return user ? [{ type: 'User', reviewer: state.users.simpleUser(user.login) }] : [];
    });
    rules.push({
      id,
      node_id: legacyNodeId('Gate', id),
      prevent_self_review: environment.preventSelfReview,
      type: 'required_reviewers',
      reviewers,
    });
  }
  if (environment.deploymentBranchPolicy) {
    const id = ruleId(3);
    rules.push({ id, node_id: legacyNodeId('Gate', id), type: 'branch_policy' });
  }
  return {
    ...environmentSummaryJson(state, environment),
    protection_rules: rules,
    deployment_branch_policy: environment.deploymentBranchPolicy,
  };
}

function listEnvironments(request: HandlerRequest, state: EmulatorState) {
  const page = paginate(state.store.environments, request.url, request.query);
  return json(
    200,
    {
      total_count: state.store.environments.length,
      environments: page.items.map((environment) => environmentJson(state, environment)),
    },
    page.link ? { link: page.link } : undefined,
  );
}

function getEnvironment(request: HandlerRequest, state: EmulatorState) {
  const environment = state.store.findEnvironment(request.parameters.environment_name ?? '');
  if (!environment) throw notFound();
  return json(200, environmentJson(state, environment));
}

function putEnvironment(request: HandlerRequest, state: EmulatorState) {
  const environment = state.store.ensureEnvironment(request.parameters.environment_name ?? '');
  const body = bodyOf(request);
  environment.waitTimer = optionalNumber(body, 'wait_timer') ?? environment.waitTimer;
  environment.preventSelfReview =
    optionalBoolean(body, 'prevent_self_review') ?? environment.preventSelfReview;
  if (Array.isArray(body.reviewers)) {
    environment.reviewers = (body.reviewers as Array<{ type?: string; id?: number }>).map((reviewer) => ({
      type: reviewer.type === 'Team' ? 'Team' : 'User',
      id: reviewer.id ?? 0,
    }));
  } else if (body.reviewers === null) {
    environment.reviewers = [];
  }
  if ('deployment_branch_policy' in body) {
    environment.deploymentBranchPolicy =
      (body.deployment_branch_policy as EnvironmentRecord['deploymentBranchPolicy'] | undefined) ?? null;
  }
  environment.updatedAt = state.store.now();
  return json(200, environmentJson(state, environment));
}
