import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { ConflictError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleaseRef } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName, swapTag } from '../state/environment-tag.js';
import { withProgress } from '../state/release-lookup.js';
import { planRollback } from './rollback-plan.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** What rollback is asked to do. */
export interface RollbackRequest {
  environment: string;
  /** A version or sha accepted in the environment before; default: the release before the current one. */
  to: string | undefined;
  /** Why; recorded on both deployments and in the summary. */
  reason: string;
  /** A redeploy command for the release rolled back to. */
  run: string | undefined;
  dryRun: boolean;
}

/** What rollback did. */
export interface RollbackResult {
  environment: string;
  /** The release the environment is back on. */
  target: ReleaseRef;
  /** The release taken out. */
  rolledBack: ReleaseRef;
  reason: string;
  deploymentId: number | undefined;
  /** The deployment of the release taken out, marked rolled back. */
  rolledBackDeploymentId: number | undefined;
  command: ShellCommandResult | undefined;
  runUrl: string;
  dryRun: boolean;
}

/**
 * Puts an environment back on its last good release. When the newest deployment there was deployed but never
 * accepted (its verification failed), the last good release is the one accepted there (the environment tag);
 * otherwise it is the release before the accepted one. `to` names another release accepted there before.
 * Creates a deployment marked as a rollback, runs the redeploy command if given, moves the environment tag back, and marks the bad release's deployment
 * "Rolled back" so prepare-release refuses it there without `force`.
 */
export async function rollbackEnvironment(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
): Promise<RollbackResult> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { chain } = config;
  const settings = chain.get(request.environment);
  const environmentTag = environmentTagName(request.environment, null, config.environmentTagPrefix);

  const { repositoryId, currentSha, rolledBack, badDeployment, target, resumed } = await planRollback(
    dependencies,
    request,
  );
  const label = (release: ReleaseRef) => release.version ?? release.sha.slice(0, 7);
  const result: RollbackResult = {
    environment: request.environment,
    target,
    rolledBack,
    reason: request.reason,
    deploymentId: undefined,
    rolledBackDeploymentId: badDeployment?.id,
    command: undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) return result;

  const deployment: DeploymentRecord =
    resumed?.deployment ??
    (await createReleaseDeployment(client, repository, {
      record: {
        schema: PAYLOAD_SCHEMA_VERSION,
        kind: 'rollback',
        component: null,
        environment: request.environment,
        sha: target.sha,
        version: target.version,
        previous: rolledBack,
        run: { id: context.runId, attempt: context.runAttempt, url: result.runUrl },
        actor: context.actor,
        forced: null,
        rollback: { from: rolledBack, reason: request.reason },
      },
      description: `Rollback from ${label(rolledBack)} to ${label(target)}`,
      productionEnvironment: chain.isLast(request.environment),
    }));
  result.deploymentId = deployment.id;
  const done = resumed?.progress.lastStep;
  if (done === undefined)
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.deploying.state,
      description: `${STEP_MARKERS.deploying.prefix} rollback to ${label(target)} (run ${context.runId})`,
      logUrl: result.runUrl,
    });
  if (request.run && done !== 'accepted') {
    logger.info(`Running the redeploy command for ${label(target)} in ${request.environment}.`);
    result.command = await runShellCommand(request.run, {
      onLine: (line) => logger.info(line),
      env: releaseVariables({
        environment: request.environment,
        sha: target.sha,
        version: target.version,
        deploymentId: deployment.id,
      }),
    });
    if (result.command.exitCode !== 0) {
      await setDeploymentState(client, repository, deployment.id, {
        state: STEP_MARKERS['deploy-failed'].state,
        description: `${STEP_MARKERS['deploy-failed'].prefix}: rollback command exit code ${result.command.exitCode ?? 'none'}`,
        logUrl: result.runUrl,
      });
      return result;
    }
  }
  const swap = await swapTag(client, repository, environmentTag, currentSha, target.sha, {
    repositoryId,
    current: currentSha,
  });
  // Another run's rollback that reached the same release first counts as a conflict too: one rollback wins.
  if (!swap.swapped || (swap.alreadyMoved && !resumed)) {
    await setDeploymentState(client, repository, deployment.id, {
      state: 'error',
      description: `Rollback abandoned: another run changed ${request.environment} first`,
      logUrl: result.runUrl,
    });
    throw new ConflictError(
      `Another run changed '${request.environment}' during this rollback: it now runs ` +
        `${swap.swapped ? target.sha.slice(0, 7) : swap.current ? swap.current.slice(0, 7) : 'nothing'}, not ` +
        `${currentSha ? currentSha.slice(0, 7) : 'nothing'}. ` +
        `The environment tag was not moved back; check what runs there and roll back again if needed.`,
    );
  }
  if (done !== 'accepted')
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.accepted.state,
      description: `${STEP_MARKERS.accepted.prefix} as rollback from ${label(rolledBack)}: ${request.reason}`,
      logUrl: result.runUrl,
      ...(settings.url ? { environmentUrl: settings.url } : {}),
    });
  const alreadyMarked =
    resumed && badDeployment
      ? (await withProgress(client, repository, badDeployment)).progress.rolledBack
      : undefined;
  if (badDeployment && !alreadyMarked) {
    await setDeploymentState(client, repository, badDeployment.id, {
      state: STEP_MARKERS['rolled-back'].state,
      description: `${STEP_MARKERS['rolled-back'].prefix} to ${label(target)}: ${request.reason}`,
      logUrl: result.runUrl,
    });
  }
  logger.info(`${request.environment} is back on ${label(target)}.`);
  return result;
}
