import type { CheckSpec } from '../checks/check-spec.js';
import { missingHeaderVariables, missingHeaderVariablesError } from '../checks/header-variables.js';
import { runVerification, type VerificationReport } from '../checks/run-verification.js';
import type { VerificationOptions } from '../checks/verification-options.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { systemClock } from '../clock.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { setDeploymentStateOnce, type DeploymentRecord } from '../state/deployments.js';
import { deploymentStandingRefusal } from '../rules/deployment-preconditions.js';
import { targetDeploymentReads, type TargetDeployment } from './target-deployment.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';
import type { DecisionInput, UseCase } from './use-case.js';
import { decided, refuse, type Decided, type Refusal } from '../rules/decision.js';

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

/** The deployment verify checks, as its snapshot shows it. */
export interface VerifyFacts {
  target: TargetDeployment;
}

/** What verify runs and where it records the outcome, decided before any check runs. */
export interface VerifyPlan {
  environment: string;
  deployment: DeploymentRecord;
  checks: CheckSpec[];
  /** Where the checks came from. */
  source: string;
  options: VerificationOptions;
  dryRun: boolean;
}

/**
 * verify as steps: refuses a step with no checks (none given, none configured) before anything is read, and a
 * deployment that never deployed successfully or that a newer release superseded before any check runs; then
 * runs the checks with retries and the bake time, and records the result on the deployment (`success`
 * "Verified …" or `failure` "Verification failed …"), which accept reads.
 */
export const verifyUseCase: UseCase<VerifyRequest, VerifyFacts, VerifyPlan, VerifyResult> = {
  admit: (config, request) =>
    verifyChecks(config, request).checks.length === 0
      ? refuse(noChecksRefusal(request.environment))
      : undefined,
  ...targetDeploymentReads,
  decide: decideVerify,
  apply: applyVerify,
};

/** The checks verify runs (the step's own, else the environment's `verify`), and where they came from. */
export function verifyChecks(
  config: PromotionConfig,
  request: Pick<VerifyRequest, 'environment' | 'checks'>,
): { checks: CheckSpec[]; source: string } {
  if (request.checks.length > 0) return { checks: request.checks, source: "the step's inputs" };
  return {
    checks: config.chain.get(request.environment).verify ?? [],
    source: `environments.${request.environment}.verify in ${config.source}`,
  };
}

/** The refusal of a step with nothing to check. */
function noChecksRefusal(environment: string): string {
  return (
    `verify has no checks for '${environment}'. Give 'url' (a health URL expecting 2xx) or 'checks', ` +
    `or add 'verify:' to the environment in the configuration file.`
  );
}

/**
 * verify's rules once the deployment is read (pure). Checked before any check runs: a deployment that never
 * deployed, or that a newer release replaced, gets no verification status (a `success` over a failed deploy
 * would show it green on the Environments page).
 */
export function decideVerify({
  request,
  facts,
  config,
}: DecisionInput<VerifyRequest, VerifyFacts>): Decided<VerifyPlan> | Refusal {
  const { target } = facts;
  const refusal = deploymentStandingRefusal('verify', request.environment, target, target.recent);
  if (refusal) return refuse(refusal);
  return decided({
    environment: request.environment,
    deployment: target.deployment,
    ...verifyChecks(config, request),
    options: request.options,
    dryRun: request.dryRun,
  });
}

/**
 * verify's work: runs the checks (they take long and do I/O), then records the outcome (not in a dry run).
 * Refuses first, before any check runs or anything is written, when a header of a check names an environment
 * variable the step does not set: every attempt would fail, and the deployment would be marked failed for it.
 */
async function applyVerify(dependencies: UseCaseDependencies, plan: VerifyPlan): Promise<VerifyResult> {
  const { client, context, logger } = dependencies;
  const { deployment, checks } = plan;
  const env = dependencies.env ?? process.env;
  const missing = missingHeaderVariables(checks, env);
  if (missing.length > 0) throw missingHeaderVariablesError(missing, plan.source);
  logger.info(`Verifying deployment ${deployment.id} in ${plan.environment} with ${checks.length} check(s).`);
  const clock = dependencies.clock ?? systemClock;
  const report = await runVerification(checks, plan.options, { clock, logger, env, mask: dependencies.mask });
  if (!plan.dryRun) {
    const marker = STEP_MARKERS[report.result === 'passed' ? 'verified' : 'verification-failed'];
    await setDeploymentStateOnce(
      client,
      repositoryOf(dependencies),
      deployment.id,
      { state: marker.state, description: verificationDescription(report), logUrl: runUrl(context) },
      { checkLatest: context.runAttempt > 1 },
    );
  }
  const { environment, source, dryRun } = plan;
  return { environment, deployment, report, source, dryRun };
}

/** The status verify records: how many checks passed (and over what bake time), or the first that failed. */
export function verificationDescription(
  report: Pick<VerificationReport, 'result' | 'checks' | 'bakeTimeMs'>,
): string {
  if (report.result === 'passed') {
    return (
      `${STEP_MARKERS.verified.prefix}: ${report.checks.length} check(s) passed` +
      (report.bakeTimeMs > 0 ? ` over ${Math.round(report.bakeTimeMs / 1000)} s` : '')
    );
  }
  const failing = report.checks.find((check) => !check.passed);
  return `${STEP_MARKERS['verification-failed'].prefix}: ${failing ? `${failing.name}: ${failing.lastMessage}` : 'a check failed'}`;
}
