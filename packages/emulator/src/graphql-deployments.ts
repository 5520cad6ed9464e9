/**
 * Deployments in GraphQL: `Repository.deployments`, `Commit.deployments`, `Deployment`, `DeploymentStatus` and
 * their connections, answered from the store the REST routes use (same ids, payloads and creators).
 */
import { actorOf } from './graphql-actors.js';
import { paginate, type ConnectionSource } from './graphql-connections.js';
import { REPOSITORY, type GraphqlArguments, type GraphqlContext, type Resolver } from './graphql-context.js';
import { gitObject } from './graphql-git-objects.js';
import { legacyNodeId } from './node-ids.js';
import type { EmulatorState } from './route-handler.js';
import type { DeploymentRecord, DeploymentStatusRecord } from './store.js';
import type { DeploymentState } from './types.js';

/** The value of a `DeploymentStatus` field: the status and the deployment it belongs to. */
export interface DeploymentStatusSource {
  status: DeploymentStatusRecord;
  deployment: DeploymentRecord;
}

/**
 * GitHub's `DeploymentState` of a deployment from the state of its newest status: `success` is `ACTIVE`, no
 * status is `PENDING`, any other state is its upper-case name.
 */
const DEPLOYMENT_STATES: Record<DeploymentState | 'waiting', string> = {
  success: 'ACTIVE',
  inactive: 'INACTIVE',
  failure: 'FAILURE',
  error: 'ERROR',
  queued: 'QUEUED',
  in_progress: 'IN_PROGRESS',
  pending: 'PENDING',
  waiting: 'WAITING',
};

/**
 * The deployments of the repository (of one commit when `sha` is given) as a connection: filtered by
 * `environments` (exact names, like the REST `environment` filter; absent or empty = all), ordered by creation
 * (`orderBy.direction`, default `ASC`: oldest first; ties by id), paginated.
 */
export function listDeployments(
  context: GraphqlContext,
  args: GraphqlArguments,
  sha?: string,
): ConnectionSource<DeploymentRecord> {
  const environments = Array.isArray(args.environments) ? new Set(args.environments.map(String)) : undefined;
  const filtered = context.state.store.deployments.filter(
    (deployment) =>
      (sha === undefined || deployment.sha === sha) &&
      (!environments || environments.size === 0 || environments.has(deployment.environment)),
  );
  filtered.sort(
    (first, second) =>
      (first.createdAt < second.createdAt ? -1 : first.createdAt > second.createdAt ? 1 : 0) ||
      first.id - second.id,
  );
  const order = args.orderBy as { direction?: string } | null | undefined;
  if (order?.direction === 'DESC') filtered.reverse();
  const page = paginate(filtered, args, 'deployments');
  const listed = listedShas.get(context) ?? new Set<string>();
  for (let index = page.start; index < page.end; index++) listed.add(filtered[index]?.sha ?? '');
  listedShas.set(context, listed);
  return page;
}

/** The commits of the deployments listed in a request, read together the first time one's `commit` is asked. */
const listedShas = new WeakMap<GraphqlContext, Set<string>>();

/**
 * Reads the commits of every deployment listed so far in this request in one git process into the request's
 * cache, so `deployments(first: 100) { nodes { commit { committedDate } } }` costs one git call, not 100.
 */
function primeListedCommits(context: GraphqlContext, sha: string): void {
  if (context.commits.has(sha)) return;
  const pending = [...(listedShas.get(context) ?? []), sha].filter((wanted) => !context.commits.has(wanted));
  listedShas.delete(context);
  // Commits not found here are left to `readCommit`, which answers them one by one (and their errors).
  for (const [found, commit] of context.state.git.readCommits(pending)) context.commits.set(found, commit);
}

/** `Deployment`. */
export const deploymentFields: Record<string, Resolver<DeploymentRecord>> = {
  id: (deployment) => legacyNodeId('Deployment', deployment.id),
  databaseId: (deployment) => deployment.id,
  commitOid: (deployment) => deployment.sha,
  commit: (deployment, _args, context) => {
    primeListedCommits(context, deployment.sha);
    return gitObject(deployment.sha, 'commit');
  },
  environment: (deployment) => deployment.environment,
  originalEnvironment: (deployment) => deployment.originalEnvironment,
  latestEnvironment: (deployment) => deployment.environment,
  task: (deployment) => deployment.task,
  payload: (deployment) =>
    typeof deployment.payload === 'string' ? deployment.payload : JSON.stringify(deployment.payload),
  description: (deployment) => deployment.description,
  createdAt: (deployment) => deployment.createdAt,
  updatedAt: (deployment) => deployment.updatedAt,
  creator: (deployment, _args, { state }) => actorOf(state, deployment.creator),
  repository: () => REPOSITORY,
  state: (deployment, _args, { state }) => {
    const latest = state.store.latestStatus(deployment.id);
    return latest ? DEPLOYMENT_STATES[latest.state] : 'PENDING';
  },
  latestStatus: (deployment, _args, { state }) => {
    const latest = state.store.latestStatus(deployment.id);
    return latest ? { status: latest, deployment } : null;
  },
  statuses: (deployment, args, { state }) => paginate(statusSources(state, deployment), args, 'statuses'),
};

/** `DeploymentStatus`. */
export const deploymentStatusFields: Record<string, Resolver<DeploymentStatusSource>> = {
  id: ({ status }) => legacyNodeId('DeploymentStatus', status.id),
  state: ({ status }) => status.state.toUpperCase(),
  description: ({ status }) => status.description,
  environment: ({ status }) => status.environment,
  environmentUrl: ({ status }) => status.environmentUrl || null,
  logUrl: ({ status }) => status.logUrl || null,
  createdAt: ({ status }) => status.createdAt,
  updatedAt: ({ status }) => status.updatedAt,
  creator: ({ status }, _args, { state }) => actorOf(state, status.creator),
  deployment: ({ deployment }) => deployment,
};

/** The statuses of a deployment, oldest first (so `last: 1` is the newest). */
function statusSources(state: EmulatorState, deployment: DeploymentRecord): DeploymentStatusSource[] {
  return state.store.statusHistory(deployment.id).map((status) => ({ status, deployment }));
}
