import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { UserError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS, type ReleaseStep } from '../state/deployment-markers.js';
import { setDeploymentStateOnce, type DeploymentRecord } from '../state/deployments.js';
import { findTargetDeployment } from './target-deployment.js';
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
 * URL; GitHub marks the environment's earlier deployments inactive) or `failure`. With `run`, runs the deploy
 * command between the two and records its outcome.
 */
export async function deployEnvironment(
  dependencies: UseCaseDependencies,
  request: DeployEnvironmentRequest,
): Promise<DeployEnvironmentResult> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  if (!request.run && !request.status) {
    throw new UserError(
      "deploy-env needs either 'status' (in_progress, success or failure) or 'run' (a deploy command). Set one of them.",
    );
  }
  const { deployment } = await findTargetDeployment(dependencies, request.environment, request.deploymentId);
  const environmentUrl = request.environmentUrl || config.chain.get(request.environment).url;
  const label = deployment.release?.version ?? deployment.sha.slice(0, 7);
  const result: DeployEnvironmentResult = {
    environment: request.environment,
    deployment,
    status: request.run ? 'success' : (request.status as DeployStatus),
    environmentUrl,
    command: undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  const record = async (status: DeployStatus, detail = '') => {
    result.status = status;
    const marker = STEP_MARKERS[STEP_OF_STATUS[status]];
    if (request.dryRun) return;
    const written = await setDeploymentStateOnce(
      client,
      repository,
      deployment.id,
      {
        state: marker.state,
        description: `${marker.prefix} ${label} (run ${context.runId})${detail}`,
        logUrl: result.runUrl,
        ...(status === 'success' && environmentUrl ? { environmentUrl } : {}),
      },
      { checkLatest: context.runAttempt > 1 },
    );
    if (!written)
      logger.info(`Deployment ${deployment.id} already records ${status} from an earlier attempt.`);
    logger.info(`Deployment ${deployment.id}: ${status}.`);
  };

  if (!request.run) {
    await record(request.status as DeployStatus);
    return result;
  }
  await record('in_progress');
  if (request.dryRun) {
    logger.info(`Dry run: the deploy command is not run.`);
    return result;
  }
  logger.info(`Running the deploy command for ${label} in ${request.environment}.`);
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
