import { UserError } from '../errors.js';
import type { ReleaseProgress } from '../state/deployment-markers.js';
import { parseVersionTag, versionTag } from '../release/versioning.js';
import type { ReleaseRef } from '../state/deployment-payload.js';
import { deploymentTask, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName } from '../state/environment-tag.js';
import { latestDeploymentOf, type DeploymentWithProgress } from '../state/release-lookup.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { readState, repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** Deployments read to find the environment's newest one of the suite among others (e.g. GitHub's own). */
const NEWEST_DEPLOYMENTS = 5;

/** What a rollback will do, decided from the environment's state before anything is written. */
export interface RollbackPlan {
  /** The repository's GraphQL node id (for the tag swap). */
  repositoryId: string;
  /** The commit the environment tag points at now. */
  currentSha: string | undefined;
  /** The release taken out, and its deployment here. */
  rolledBack: ReleaseRef;
  badDeployment: DeploymentRecord | undefined;
  /** The release the environment goes back to. */
  target: ReleaseRef;
  /** This run's own rollback deployment from an earlier attempt, to complete instead of starting another. */
  resumed: { deployment: DeploymentRecord; progress: ReleaseProgress } | undefined;
  /** The environment's deployments the snapshot read (to find the one still shown active). */
  known: Array<DeploymentWithProgress | undefined>;
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
  const task = deploymentTask(null);
  const environmentTag = environmentTagName(request.environment, null, config.environmentTagPrefix);
  const wanted = rollbackTarget(config, request.to);
  const state = await readState(
    dependencies,
    rollbackSnapshotRequest(config, request.environment, request.to),
  );

  const tagState = state.tags.get(environmentTag);
  const currentSha = tagState?.sha;
  const currentState = tagState?.deployments.get(request.environment);
  const current = currentState?.deployment;
  const currentRelease: ReleaseRef | undefined = currentSha
    ? { sha: currentSha, version: current?.release?.version ?? null }
    : undefined;

  // The bad release is the newest one deployed here and not accepted (verify failed before accept), or else
  // the accepted one.
  const [newestState] = state.recent.get(request.environment) ?? [];
  const newest = newestState?.deployment;
  // A re-run of this run finds its own rollback deployment and completes it instead of starting another.
  const resumed =
    newestState &&
    newest?.release?.kind === 'rollback' &&
    newest.release.run.id === context.runId &&
    newest.release.rollback
      ? {
          deployment: newest,
          from: newest.release.rollback.from,
          progress: newestState.progress,
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
    newestState &&
    wentOutUnaccepted(newestState.progress)
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
    const found = wanted?.kind === 'version' ? state.tags.get(wanted.tag) : state.commits.get(request.to);
    const sha = found?.sha;
    if (!sha) {
      throw new UserError(
        wanted?.kind === 'version'
          ? `Version ${request.to} (input 'to') has no tag ${wanted.tag}. ` +
              `Give a version or sha that was accepted in '${request.environment}' before.`
          : `'${request.to}' (input 'to') is not a commit, branch or tag of ${repository.owner}/${repository.repo}. ` +
              `Give a sha, branch or tag that exists there.`,
      );
    }
    const earlier = sha === currentSha ? currentState : found?.deployments.get(request.environment);
    const accepted = sha === currentSha || earlier?.progress.accepted;
    if (!accepted) {
      throw new UserError(
        `${request.to} (input 'to') was never accepted in '${request.environment}', so it is not a known good ` +
          `release there. Give a version or sha accepted there before, or leave 'to' empty for the previous release.`,
      );
    }
    target = {
      sha,
      version: earlier?.deployment.release?.version ?? (wanted?.kind === 'version' ? wanted.version : null),
    };
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
    repositoryId: state.repositoryId,
    currentSha,
    rolledBack,
    badDeployment,
    target,
    resumed: resumed ? { deployment: resumed.deployment, progress: resumed.progress } : undefined,
    known: [
      ...(state.recent.get(request.environment) ?? []),
      ...[...state.tags.values(), ...state.commits.values()].map((read) =>
        read.deployments.get(request.environment),
      ),
    ],
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

/** What `to` names: a version (through its tag) or a revision; undefined when `to` is empty. */
function rollbackTarget(
  config: PromotionConfig,
  to: string | undefined,
): { kind: 'version'; version: string; tag: string } | { kind: 'revision' } | undefined {
  if (!to) return undefined;
  const { tagPrefix } = config.versioning;
  const version = parseVersionTag(to, tagPrefix) ?? parseVersionTag(to, '');
  return version ? { kind: 'version', version, tag: versionTag(version, tagPrefix) } : { kind: 'revision' };
}

/**
 * What a rollback reads in one request: the environment tag with its commit's deployment there, the
 * environment's newest deployments, and the release `to` names (its tag or commit, with its deployment there).
 */
export function rollbackSnapshotRequest(
  config: PromotionConfig,
  environment: string,
  to: string | undefined,
): SnapshotRequest {
  const wanted = rollbackTarget(config, to);
  return {
    tags: [
      {
        tag: environmentTagName(environment, null, config.environmentTagPrefix),
        deploymentsIn: [environment],
      },
      ...(wanted?.kind === 'version' ? [{ tag: wanted.tag, deploymentsIn: [environment] }] : []),
    ],
    recent: [{ environment, count: NEWEST_DEPLOYMENTS }],
    ...(wanted?.kind === 'revision' && to
      ? { commits: [{ revision: to, deploymentsIn: [environment] }] }
      : {}),
  };
}
