import type { DeploymentWithProgress } from '../state/release-lookup.js';

/**
 * The deployment a new release supersedes (pure): the environment's newest deployment, when the suite
 * prepared it and it was never deployed (its approval was rejected, its run cancelled), so its status is still
 * `queued`, and it is not this run's own (`keep`, a re-run's earlier attempt). Marked inactive, it does not
 * stay queued in GitHub's UI. Undefined when there is none.
 */
export function undeployedToSupersede(
  recent: readonly DeploymentWithProgress[],
  keep: number | undefined,
): DeploymentWithProgress | undefined {
  const [newest] = recent;
  if (!newest || newest.deployment.id === keep || !newest.deployment.release) return undefined;
  const { progress } = newest;
  if (progress.lastStep !== 'prepared' || progress.latest?.state !== 'queued') return undefined;
  return newest;
}
