import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { ConflictError, UserError } from '../errors.js';
import { parseVersionTag, versionTag } from '../release/versioning.js';
import { runUrl } from '../run-context.js';
import { resolveCommit } from '../state/commits.js';
import { STEP_MARKERS, type ReleaseProgress } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleaseRef } from '../state/deployment-payload.js';
import {
  createReleaseDeployment,
  deploymentTask,
  listDeployments,
  setDeploymentState,
  type DeploymentRecord,
} from '../state/deployments.js';
import { environmentTagName, readTagCommit, swapTag } from '../state/environment-tag.js';
import { latestDeploymentOf, withProgress } from '../state/release-lookup.js';
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
 * Creates a deployment marked as a rollback, runs the
 * redeploy command if given, moves the environment tag back, and marks the bad release's deployment
 * "Rolled back" so prepare-release refuses it there without `force`.
 */
export async function rollbackEnvironment(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
): Promise<RollbackResult> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { chain, versioning } = config;
  const settings = chain.get(request.environment);
  const task = deploymentTask(null);
  const environmentTag = environmentTagName(request.environment, null, config.environmentTagPrefix);

  const currentSha = await readTagCommit(client, repository, environmentTag);
  const current = currentSha
    ? await latestDeploymentOf(client, repository, request.environment, currentSha, task)
    : undefined;
  const currentRelease: ReleaseRef | undefined = currentSha
    ? { sha: currentSha, version: current?.release?.version ?? null }
    : undefined;

  // The bad release is the newest one deployed here and not accepted (verify failed before accept), or else
  // the accepted one.
  const [newest] = await listDeployments(client, repository, {
    environment: request.environment,
    task,
    limit: 1,
  });
  // A re-run of this run finds its own rollback deployment and completes it instead of starting another.
  const resumed =
    newest?.release?.kind === 'rollback' && newest.release.run.id === context.runId && newest.release.rollback
      ? {
          deployment: newest,
          from: newest.release.rollback.from,
          progress: (await withProgress(client, repository, newest)).progress,
        }
      : undefined;
  if (resumed) {
    logger.info(
      `Completing rollback deployment ${resumed.deployment.id}, started by an earlier attempt of this run.`,
    );
  }
  const newestUnaccepted =
    !resumed &&
    newest?.release?.kind === 'release' &&
    newest.sha !== currentSha &&
    wentOutUnaccepted((await withProgress(client, repository, newest)).progress)
      ? newest
      : undefined;
  const badDeployment = resumed
    ? await latestDeploymentOf(client, repository, request.environment, resumed.from.sha, task)
    : (newestUnaccepted ?? current);
  const rolledBack: ReleaseRef | undefined = resumed
    ? resumed.from
    : newestUnaccepted
      ? { sha: newestUnaccepted.sha, version: newestUnaccepted.release?.version ?? null }
      : currentRelease;
  if (!rolledBack) {
    throw new UserError(
      `'${request.environment}' has no release to roll back: nothing was accepted there (tag ${environmentTag} ` +
        `does not exist) and no release is being deployed.`,
    );
  }

  let target: ReleaseRef;
  if (resumed) {
    target = { sha: resumed.deployment.sha, version: resumed.deployment.release?.version ?? null };
  } else if (request.to) {
    const version = parseVersionTag(request.to, versioning.tagPrefix) ?? parseVersionTag(request.to, '');
    const sha = version
      ? await readTagCommit(client, repository, versionTag(version, versioning.tagPrefix))
      : (await resolveCommit(client, repository, request.to, 'to')).sha;
    if (!sha) {
      throw new UserError(
        `Version ${request.to} (input 'to') has no tag ${versionTag(version ?? request.to, versioning.tagPrefix)}. ` +
          `Give a version or sha that was accepted in '${request.environment}' before.`,
      );
    }
    const earlier =
      sha === currentSha
        ? current
        : await latestDeploymentOf(client, repository, request.environment, sha, task);
    const accepted =
      sha === currentSha ||
      (earlier ? (await withProgress(client, repository, earlier)).progress.accepted : undefined);
    if (!accepted) {
      throw new UserError(
        `${request.to} (input 'to') was never accepted in '${request.environment}', so it is not a known good ` +
          `release there. Give a version or sha accepted there before, or leave 'to' empty for the previous release.`,
      );
    }
    target = { sha, version: earlier?.release?.version ?? version ?? null };
  } else if (newestUnaccepted && currentRelease) {
    target = currentRelease;
  } else {
    const previous = current?.release?.previous;
    if (!previous) {
      throw new UserError(
        `The release in '${request.environment}' (${rolledBack.sha.slice(0, 7)}) records no previous release to go ` +
          `back to. Name one with the 'to' input (a version or sha accepted there before).`,
      );
    }
    target = previous;
  }
  if (target.sha === rolledBack.sha) {
    throw new UserError(
      `'${request.environment}' already runs ${target.version ?? target.sha.slice(0, 7)}; nothing to roll back. ` +
        `Name another release with 'to'.`,
    );
  }
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
  const swap = await swapTag(client, repository, environmentTag, currentSha, target.sha);
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

/** Whether a release reached the environment (its deployment started) without being accepted or rolled back. */
function wentOutUnaccepted(progress: ReleaseProgress): boolean {
  const reached = ['deploying', 'deployed', 'deploy-failed', 'verified', 'verification-failed'];
  return (
    !progress.accepted &&
    !progress.rolledBack &&
    progress.lastStep !== undefined &&
    reached.includes(progress.lastStep)
  );
}
