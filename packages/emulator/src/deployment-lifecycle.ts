/**
 * Creating deployments and deployment statuses, shared by the REST routes and the seeding helpers. Implements
 * GitHub's `auto_inactive` rule.
 */
import type { DeploymentRecord, DeploymentStatusRecord, Store } from './store.js';
import type { DeploymentState } from './types.js';

/** What a new deployment is made of (already validated and resolved). */
export interface NewDeployment {
  sha: string;
  ref: string;
  task?: string;
  payload?: Record<string, unknown> | string;
  environment?: string;
  description?: string | null;
  transientEnvironment?: boolean;
  productionEnvironment?: boolean;
  creator: string;
}

/** What a new deployment status is made of. */
export interface NewDeploymentStatus {
  state: DeploymentState;
  creator: string;
  description?: string;
  environment?: string;
  targetUrl?: string;
  logUrl?: string;
  environmentUrl?: string;
  /** Default: true. */
  autoInactive?: boolean;
}

/** Records a deployment (creating its environment when new) and returns it. */
export function createDeployment(store: Store, input: NewDeployment): DeploymentRecord {
  // Environment names ignore case on GitHub: a deployment to `Production` joins an existing `production`
  // environment. The deployment keeps the name it was created with, and the environment filters of REST and
  // GraphQL match names exactly: whether GitHub's filters ignore case is not documented, so the suite always
  // writes and asks with the chain's spelling, which works under either reading.
  const environment = input.environment ?? 'production';
  store.ensureEnvironment(environment);
  const now = store.now();
  const deployment: DeploymentRecord = {
    id: store.nextId('deployment'),
    sha: input.sha,
    ref: input.ref,
    task: input.task ?? 'deploy',
    payload: input.payload ?? {},
    originalEnvironment: environment,
    environment,
    description: input.description ?? null,
    creator: input.creator,
    createdAt: now,
    updatedAt: now,
    transientEnvironment: input.transientEnvironment ?? false,
    productionEnvironment: input.productionEnvironment ?? environment.toLowerCase() === 'production',
  };
  store.deployments.push(deployment);
  return deployment;
}

/**
 * Records a status of a deployment. A `success` status with `autoInactive` (the default) adds an `inactive` status
 * to every prior non-transient, non-production deployment of the same environment whose latest state is
 * `success`, as GitHub documents.
 */
export function createDeploymentStatus(
  store: Store,
  deployment: DeploymentRecord,
  input: NewDeploymentStatus,
): DeploymentStatusRecord {
  const previous = store.latestStatus(deployment.id);
  const status = appendStatus(store, deployment, {
    ...input,
    environment: input.environment ?? previous?.environment ?? deployment.environment,
  });
  if (input.state === 'success' && input.autoInactive !== false) {
    for (const prior of store.deployments) {
      if (prior.id >= deployment.id) continue;
      if (prior.environment.toLowerCase() !== deployment.environment.toLowerCase()) continue;
      if (prior.transientEnvironment || prior.productionEnvironment) continue;
      const latest = store.latestStatus(prior.id);
      if (latest?.state !== 'success') continue;
      appendStatus(store, prior, {
        state: 'inactive',
        creator: input.creator,
        environment: latest.environment,
        environmentUrl: latest.environmentUrl,
        logUrl: latest.logUrl,
        targetUrl: latest.targetUrl,
      });
    }
  }
  return status;
}

/** Whether GitHub lets a deployment be deleted: it is inactive, or the only deployment of its environment. */
export function canDeleteDeployment(store: Store, deployment: DeploymentRecord): boolean {
  if (store.latestStatus(deployment.id)?.state === 'inactive') return true;
  return !store.deployments.some(
    (other) => other.id !== deployment.id && other.environment === deployment.environment,
  );
}

/** Removes a deployment and its statuses. */
export function deleteDeployment(store: Store, deployment: DeploymentRecord): void {
  store.deployments = store.deployments.filter((candidate) => candidate.id !== deployment.id);
  store.statuses = store.statuses.filter((status) => status.deploymentId !== deployment.id);
}

function appendStatus(
  store: Store,
  deployment: DeploymentRecord,
  input: NewDeploymentStatus & { environment: string },
): DeploymentStatusRecord {
  const now = store.now();
  const logUrl = input.logUrl ?? input.targetUrl ?? '';
  const status: DeploymentStatusRecord = {
    id: store.nextId('status'),
    deploymentId: deployment.id,
    state: input.state,
    creator: input.creator,
    description: input.description ?? '',
    environment: input.environment,
    targetUrl: input.logUrl ?? input.targetUrl ?? '',
    logUrl,
    environmentUrl: input.environmentUrl ?? '',
    createdAt: now,
    updatedAt: now,
  };
  store.statuses.push(status);
  deployment.updatedAt = now;
  return status;
}
