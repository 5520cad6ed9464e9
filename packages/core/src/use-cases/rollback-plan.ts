import { UserError } from '../errors.js';
import type { ReleaseProgress } from '../state/deployment-markers.js';
import { parseVersionTag, versionTag } from '../release/versioning.js';
import { resolveCommit } from '../state/commits.js';
import type { ReleaseRef } from '../state/deployment-payload.js';
import { deploymentTask, listDeployments, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName, readTagCommit } from '../state/environment-tag.js';
import { latestDeploymentOf, withProgress } from '../state/release-lookup.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** What a rollback will do, decided from the environment's state before anything is written. */
export interface RollbackPlan {
  /** The commit the environment tag points at now. */
  currentSha: string | undefined;
  /** The release taken out, and its deployment here. */
  rolledBack: ReleaseRef;
  badDeployment: DeploymentRecord | undefined;
  /** The release the environment goes back to. */
  target: ReleaseRef;
  /** This run's own rollback deployment from an earlier attempt, to complete instead of starting another. */
  resumed: { deployment: DeploymentRecord; progress: ReleaseProgress } | undefined;
}

/**
 * Decides what a rollback takes out and where it goes back to. The bad release is the newest one deployed here
 * and never accepted (its verification failed before accept), or else the accepted one; the target is the
 * accepted one in the first case, else the release before it, or `to` (which must have been accepted here).
 * Reads only.
 */
export async function planRollback(
  dependencies: UseCaseDependencies,
  request: { environment: string; to: string | undefined },
): Promise<RollbackPlan> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { versioning } = config;
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
  return {
    currentSha,
    rolledBack,
    badDeployment,
    target,
    resumed: resumed ? { deployment: resumed.deployment, progress: resumed.progress } : undefined,
  };
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
