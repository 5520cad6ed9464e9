/**
 * What runs in an environment, read from its deployments' statuses (pure: no requests). GitHub shows a
 * deployment as "Active" while its newest status is `success`; the suite keeps one such deployment per
 * environment (the release that runs there) and refuses to accept or verify a release that a newer one has
 * replaced.
 */
import { REACHED_STEPS, type ReleaseProgress } from './deployment-markers.js';
import type { DeploymentWithProgress } from './release-lookup.js';

/** Whether a release reached the environment: its deployment started, whatever happened after. */
export function reachedEnvironment(progress: ReleaseProgress): boolean {
  return progress.lastStep !== undefined && REACHED_STEPS.has(progress.lastStep);
}

/**
 * The newest release of the suite that reached the environment after `deploymentId` was created: it runs there
 * now instead (or did, until it was rolled back), so `deploymentId` is superseded. `recent` is the environment's
 * newest deployments, newest first; deployment ids grow with time on GitHub. Undefined when none did.
 */
export function supersedingDeployment(
  deploymentId: number,
  recent: readonly DeploymentWithProgress[],
): DeploymentWithProgress | undefined {
  return recent.find(
    ({ deployment, progress }) =>
      deployment.id > deploymentId && deployment.release !== undefined && reachedEnvironment(progress),
  );
}

/**
 * The suite's deployments GitHub shows as active (newest status `success`) among `candidates`, other than those
 * in `except`, each once. Marking these inactive before a newer release's first `success` leaves one active
 * deployment in the environment; GitHub's `auto_inactive` would do it only outside production.
 */
export function activeDeployments(
  candidates: ReadonlyArray<DeploymentWithProgress | undefined>,
  except: readonly number[],
): DeploymentWithProgress[] {
  const seen = new Set<number>(except);
  const active: DeploymentWithProgress[] = [];
  for (const candidate of candidates) {
    if (!candidate || seen.has(candidate.deployment.id)) continue;
    seen.add(candidate.deployment.id);
    if (candidate.deployment.release && candidate.progress.latest?.state === 'success')
      active.push(candidate);
  }
  return active;
}
