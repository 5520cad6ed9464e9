import type { CheckSpec } from '../checks/check-spec.js';
import { runVerification, type VerificationReport } from '../checks/run-verification.js';
import type { VerificationOptions } from '../checks/verification-options.js';
import { UserError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { setDeploymentStateOnce, type DeploymentRecord } from '../state/deployments.js';
import { deploymentStandingRefusal } from './deployment-preconditions.js';
import { findTargetDeployment } from './target-deployment.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** What verify is asked to do. */
export interface VerifyRequest {
  environment: string;
  deploymentId: number | undefined;
  /** Checks from the `url`/`checks` inputs; empty means the environment's `verify` from the configuration. */
  checks: CheckSpec[];
  options: VerificationOptions;
  dryRun: boolean;
}

/** What verify found. */
export interface VerifyResult {
  environment: string;
  deployment: DeploymentRecord;
  report: VerificationReport;
  /** Where the checks came from. */
  source: string;
  dryRun: boolean;
}

/** The clock and sleep verification waits with; tests pass fakes. */
export interface VerifyTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const realTiming: VerifyTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Verifies a deployment after it was deployed (refusing one that never deployed successfully or that a newer
 * release superseded): runs the checks with retries and the bake time, and records the
 * result on the deployment (`success` "Verified …" or `failure` "Verification failed …"), which accept reads.
 */
export async function verifyDeployment(
  dependencies: UseCaseDependencies,
  asked: VerifyRequest,
  timing: VerifyTiming = realTiming,
): Promise<VerifyResult> {
  // GitHub environment names ignore case: from here on, the chain's spelling (which tags use).
  const request = { ...asked, environment: dependencies.config.chain.get(asked.environment).name };
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const configured = config.chain.get(request.environment).verify ?? [];
  const checks = request.checks.length > 0 ? request.checks : configured;
  const source =
    request.checks.length > 0
      ? "the step's inputs"
      : `environments.${request.environment}.verify in ${config.source}`;
  if (checks.length === 0) {
    throw new UserError(
      `verify has no checks for '${request.environment}'. Give 'url' (a health URL expecting 2xx) or 'checks', ` +
        `or add 'verify:' to the environment in the configuration file.`,
    );
  }
  const target = await findTargetDeployment(dependencies, request.environment, request.deploymentId);
  const { deployment } = target;
  // Checked before any check runs: a deployment that never deployed, or that a newer release replaced, gets no
  // verification status (a `success` over a failed deploy would show it green on the Environments page).
  const refusal = deploymentStandingRefusal('verify', request.environment, target, target.recent);
  if (refusal) throw new UserError(refusal);
  logger.info(
    `Verifying deployment ${deployment.id} in ${request.environment} with ${checks.length} check(s).`,
  );
  const report = await runVerification(checks, request.options, { ...timing, logger });
  if (!request.dryRun) {
    const passed = report.result === 'passed';
    const marker = STEP_MARKERS[passed ? 'verified' : 'verification-failed'];
    const failing = report.checks.find((check) => !check.passed);
    await setDeploymentStateOnce(
      client,
      repository,
      deployment.id,
      {
        state: marker.state,
        description: passed
          ? `${marker.prefix}: ${report.checks.length} check(s) passed` +
            (report.bakeTimeMs > 0 ? ` over ${Math.round(report.bakeTimeMs / 1000)} s` : '')
          : `${marker.prefix}: ${failing ? `${failing.name}: ${failing.lastMessage}` : 'a check failed'}`,
        logUrl: runUrl(context),
      },
      { checkLatest: context.runAttempt > 1 },
    );
  }
  return { environment: request.environment, deployment, report, source, dryRun: request.dryRun };
}
