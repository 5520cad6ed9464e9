/**
 * What verify and accept require of a deployment before they record anything on it (pure: decided from the
 * action's one snapshot). Each function returns the refusal's message, or undefined when the rule is met.
 */
import type { ReleaseProgress } from '../state/deployment-markers.js';
import { supersedingDeployment } from '../state/environment-occupancy.js';
import type { DeploymentRecord } from '../state/deployments.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';

/** Whether a deployment was ever deployed successfully (a rollback's is accepted without a separate step). */
export function deployedSuccessfully(progress: ReleaseProgress): boolean {
  return progress.deployed || progress.accepted !== undefined;
}

/** How a deployment is named in messages: its id and its version or short sha. */
export function deploymentLabel(deployment: DeploymentRecord): string {
  const release = deployment.release;
  return `deployment ${deployment.id} (${release?.version ?? deployment.sha.slice(0, 7)})`;
}

/**
 * Refuses a deployment that never deployed successfully, or that a newer release replaced in the environment
 * (it no longer runs there: recording it verified or accepted would describe a commit that is not deployed).
 */
export function deploymentStandingRefusal(
  action: 'verify' | 'accept',
  environment: string,
  target: DeploymentWithProgress,
  recent: readonly DeploymentWithProgress[],
): string | undefined {
  const { deployment, progress } = target;
  const what = deploymentLabel(deployment);
  if (!deployedSuccessfully(progress)) {
    const latest = progress.latest
      ? `its latest status is '${progress.latest.state}': ${progress.latest.description || '(no description)'}`
      : 'it has no status yet';
    return (
      `${capitalized(what)} in '${environment}' was never deployed successfully (${latest}), so ${action} ` +
      `records nothing on it. Record a successful deployment with deploy-env first ('status: success', or ` +
      `'run' with a deploy command that exits 0), then run ${action} again.`
    );
  }
  const newer = supersedingDeployment(deployment.id, recent);
  if (newer) {
    const run = newer.deployment.release ? `, run ${newer.deployment.release.run.id}` : '';
    return (
      `${capitalized(what)} in '${environment}' is superseded: ${deploymentLabel(newer.deployment)}${run} was ` +
      `deployed there after it and is what runs there now, so ${action} records nothing on ${deployment.id}. ` +
      `${action === 'accept' ? 'Accept' : 'Verify'} deployment ${newer.deployment.id} instead, or prepare ` +
      `this release again to promote it on top of it.`
    );
  }
  return undefined;
}

/** What accept's verification rule decided: a refusal, or an override to record (or neither). */
export interface VerificationDecision {
  refusal?: string;
  /** What was missing when `force` accepted anyway, recorded on the deployment and in the summary. */
  override?: string;
}

/**
 * accept's verification rule: a failed verification always blocks (`force` does not lift it: run verify again
 * once the release is fixed); where the environment configures checks, a passed verification is required,
 * unless `force` (with a reason) accepts without one, and that is recorded.
 */
export function verificationDecision(input: {
  environment: string;
  deployment: DeploymentRecord;
  progress: ReleaseProgress;
  /** Where the environment's checks are configured (e.g. `environments.production.verify in …`), if anywhere. */
  requiredBy: string | undefined;
  force: boolean;
}): VerificationDecision {
  const { environment, deployment, progress, requiredBy } = input;
  const what = deploymentLabel(deployment);
  if (progress.verification === 'failed') {
    return {
      refusal:
        `${capitalized(what)} in '${environment}' failed verification ` +
        `(${progress.verificationStatus?.description ?? 'Verification failed'}), so it cannot be accepted, even ` +
        `with force. Fix the release and prepare a new one, run verify again if the failure has passed, or roll ` +
        `back with the rollback action.`,
    };
  }
  if (progress.verification === 'passed' || requiredBy === undefined) return {};
  const missing = `no passed verification of ${what} (required by ${requiredBy})`;
  if (input.force) return { override: missing };
  return {
    refusal:
      `'${environment}' requires a passed verification before accept (${requiredBy}), and ${what} has none: ` +
      `verify never ran on it. Run verify on it first, or set 'force: true' with a 'reason' to accept it ` +
      `unverified (the override is recorded on the deployment).`,
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
