import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { freezeOverrideNote } from '../chain/freeze-windows.js';
import { UserError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS, type ReleaseProgress, type ReleaseStep } from '../state/deployment-markers.js';
import { setDeploymentStateOnce, statusDescription, type DeploymentRecord } from '../state/deployments.js';
import { retireReplacedDeployments } from './retire-replaced.js';
import { enforceFreeze } from './freeze-gate.js';
import { findTargetDeployment, type TargetDeployment } from './target-deployment.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** The statuses deploy-env records by itself. */
export const DEPLOY_STATUSES = ['in_progress', 'success', 'failure'] as const;
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

/** What deploy-env is asked to do. */
export interface DeployEnvironmentRequest {
  environment: string;
  /** The deployment to record; default: the release prepared for the environment in this run. */
  deploymentId: number | undefined;
  /** The status to record (ignored when `run` is given). */
  status: DeployStatus | undefined;
  /** A deploy command whose exit code decides the outcome. */
  run: string | undefined;
  /** Where the release can be reached; default: the environment's `url` in the configuration. */
  environmentUrl: string | undefined;
  /** Deploy during a freeze window of the environment; requires `reason`, recorded on the statuses written. */
  force?: boolean;
  reason?: string | undefined;
  dryRun: boolean;
}

/** What deploy-env recorded. */
export interface DeployEnvironmentResult {
  environment: string;
  deployment: DeploymentRecord;
  /** The last status recorded (or that would be, in a dry run). */
  status: DeployStatus;
  environmentUrl: string | undefined;
  command: ShellCommandResult | undefined;
  /** The deployments marked inactive because this one replaced them (one at most, normally). */
  replaced: number[];
  /** The freeze window overridden with `force`, and the reason given; undefined when none was. */
  freezeOverride: string | undefined;
  runUrl: string;
  dryRun: boolean;
}

const STEP_OF_STATUS: Record<DeployStatus, ReleaseStep> = {
  in_progress: 'deploying',
  success: 'deployed',
  failure: 'deploy-failed',
};

/**
 * Records a deployment's progress: `in_progress` with the run's log URL, then `success` (with the environment
 * URL; the release it replaces is marked inactive just before) or `failure`. With `run`, runs the deploy
 * command between the two and records its outcome. During a freeze window of the environment it refuses to
 * start a deployment (`run`, `in_progress`, or `success` of one not recorded as deploying) unless `force` +
 * `reason`; the outcome of a deployment that began before the freeze (and any `failure`) is still recorded.
 */
export async function deployEnvironment(
  dependencies: UseCaseDependencies,
  asked: DeployEnvironmentRequest,
): Promise<DeployEnvironmentResult> {
  // GitHub environment names ignore case: from here on, the chain's spelling (which tags use).
  const request = { ...asked, environment: dependencies.config.chain.get(asked.environment).name };
  const { context, logger, config } = dependencies;
  if (!request.run && !request.status) {
    throw new UserError(
      "deploy-env needs either 'status' (in_progress, success or failure) or 'run' (a deploy command). Set one of them.",
    );
  }
  const target = await findTargetDeployment(dependencies, request.environment, request.deploymentId);
  const { deployment } = target;
  const freeze = startsDeployment(request, target.progress)
    ? enforceFreeze(dependencies, 'deploy-env', request)
    : undefined;
  const result: DeployEnvironmentResult = {
    environment: request.environment,
    deployment,
    status: request.run ? 'success' : (request.status as DeployStatus),
    environmentUrl: request.environmentUrl || config.chain.get(request.environment).url,
    command: undefined,
    replaced: [],
    freezeOverride: freeze ? `${freeze.description}: ${request.reason ?? ''}` : undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  const record = (status: DeployStatus, detail = '') =>
    recordStatus(
      dependencies,
      target,
      result,
      status,
      detail + (freeze ? freezeOverrideNote(request.reason) : ''),
    );

  if (!request.run) {
    await record(request.status as DeployStatus);
    return result;
  }
  await record('in_progress');
  if (request.dryRun) {
    logger.info(`Dry run: the deploy command is not run.`);
    return result;
  }
  logger.info(`Running the deploy command for ${labelOf(deployment)} in ${request.environment}.`);
  result.command = await runShellCommand(request.run, {
    onLine: (line) => logger.info(line),
    env: releaseVariables({
      environment: request.environment,
      sha: deployment.sha,
      version: deployment.release?.version ?? null,
      deploymentId: deployment.id,
    }),
  });
  if (result.command.exitCode === 0) {
    await record('success');
  } else {
    await record('failure', `: exit code ${result.command.exitCode ?? 'none (killed)'}`);
  }
  return result;
}

/**
 * Whether the step starts a deployment (so a freeze window refuses it): running the command, `in_progress`, or
 * `success` of one not recorded as deploying. The outcome of a deployment already under way, and any `failure`,
 * is always recorded.
 */
export function startsDeployment(
  request: Pick<DeployEnvironmentRequest, 'run' | 'status'>,
  progress: ReleaseProgress,
): boolean {
  if (request.run) return true;
  if (request.status === 'failure') return false;
  return !(request.status === 'success' && progress.lastStep === 'deploying');
}

function labelOf(deployment: DeploymentRecord): string {
  return deployment.release?.version ?? deployment.sha.slice(0, 7);
}

/**
 * Records one status of the deployment (nothing in a dry run; once, on a re-run that recorded it already).
 * Before a `success`, the release it replaces stops being shown active: the environment keeps one active
 * deployment.
 */
async function recordStatus(
  dependencies: UseCaseDependencies,
  target: TargetDeployment,
  result: DeployEnvironmentResult,
  status: DeployStatus,
  detail: string,
): Promise<void> {
  const { client, context, logger } = dependencies;
  const { deployment } = target;
  result.status = status;
  if (result.dryRun) return;
  if (status === 'success') {
    result.replaced = await retireReplacedDeployments(
      dependencies,
      [...target.recent, target.accepted],
      deployment,
    );
  }
  const marker = STEP_MARKERS[STEP_OF_STATUS[status]];
  const written = await setDeploymentStateOnce(
    client,
    repositoryOf(dependencies),
    deployment.id,
    {
      state: marker.state,
      description: statusDescription(
        `${marker.prefix} ${labelOf(deployment)} (run ${context.runId})${detail}`,
      ),
      logUrl: result.runUrl,
      ...(status === 'success' && result.environmentUrl ? { environmentUrl: result.environmentUrl } : {}),
    },
    { checkLatest: context.runAttempt > 1 },
  );
  if (!written) logger.info(`Deployment ${deployment.id} already records ${status} from an earlier attempt.`);
  logger.info(`Deployment ${deployment.id}: ${status}.`);
}
