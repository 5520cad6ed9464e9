import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { activeDeployments } from '../state/environment-occupancy.js';
import { setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/**
 * Marks inactive ("Replaced by …") the suite's deployments still shown active in the environment, just before
 * `replacement` records its first `success`, so the environment keeps exactly one active deployment. GitHub's
 * `auto_inactive` does this only for deployments that are neither transient nor production, so the last
 * environment's history would otherwise stay "Active" for ever; doing it everywhere keeps every environment
 * alike (and leaves `auto_inactive` nothing to do). Since the rule holds after every release, there is one such
 * deployment at most: one request, whatever the history. `candidates` come from the action's snapshot.
 * Returns the ids marked.
 */
export async function retireReplacedDeployments(
  dependencies: UseCaseDependencies,
  candidates: ReadonlyArray<DeploymentWithProgress | undefined>,
  replacement: DeploymentRecord,
  keep: readonly number[] = [],
): Promise<number[]> {
  const { client, context } = dependencies;
  const active = activeDeployments(candidates, [replacement.id, ...keep]);
  const label = replacement.release?.version ?? replacement.sha.slice(0, 7);
  for (const { deployment } of active) {
    await setDeploymentState(client, repositoryOf(dependencies), deployment.id, {
      state: STEP_MARKERS.replaced.state,
      description: `${STEP_MARKERS.replaced.prefix} by ${label} (deployment ${replacement.id}, run ${context.runId})`,
      logUrl: runUrl(context),
    });
  }
  return active.map(({ deployment }) => deployment.id);
}
