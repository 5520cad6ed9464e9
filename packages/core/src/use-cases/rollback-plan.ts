import { UserError } from '../errors.js';
import type { ReleaseProgress } from '../state/deployment-markers.js';
import { parseVersionTag, versionTag } from '../release/versioning.js';
import type { ReleaseRef } from '../state/deployment-payload.js';
import type { DeploymentRecord } from '../state/deployments.js';
import { DEPLOYMENT_TASK } from '../state/deployment-payload.js';
import { environmentTagName } from '../state/environment-tag.js';
import { latestDeploymentOf, type DeploymentWithProgress } from '../state/release-lookup.js';
import type { RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import type { RepositoryRef } from '../state/repository.js';
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
  const task = DEPLOYMENT_TASK;
  const environmentTag = environmentTagName(request.environment, config.environmentTagPrefix);
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
  const resumed = resumedRollback(newestState, context.runId);
  if (resumed) {
    logger.info(
      `Completing rollback deployment ${resumed.deployment.id}, started by an earlier attempt of this run.`,
    );
  }
  const newestUnaccepted = resumed ? undefined : unacceptedNewest(newestState, currentSha);
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

  const target: ReleaseRef = resumed
    ? { sha: resumed.deployment.sha, version: resumed.deployment.release?.version ?? null }
    : request.to
      ? namedTarget(
          { ...request, to: request.to },
          wanted,
          state,
          { sha: currentSha, state: currentState },
          repository,
        )
      : newestUnaccepted && currentRelease
        ? currentRelease
        : previousTarget(request.environment, current, rolledBack);
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

/**
 * This run's own rollback deployment, when the environment's newest deployment is one: a re-run completes it
 * instead of starting another.
 */
function resumedRollback(
  newest: DeploymentWithProgress | undefined,
  runId: number,
): { deployment: DeploymentRecord; from: ReleaseRef; progress: ReleaseProgress } | undefined {
  const release = newest?.deployment.release;
  if (!newest || release?.kind !== 'rollback' || release.run.id !== runId || !release.rollback)
    return undefined;
  return { deployment: newest.deployment, from: release.rollback.from, progress: newest.progress };
}

/**
 * The release `to` names (its version tag or its commit), which must have been accepted in the environment:
 * a rollback goes back only to a known good release. Pure: decided from the snapshot.
 */
function namedTarget(
  request: { environment: string; to: string },
  wanted: ReturnType<typeof rollbackTarget>,
  state: RepositorySnapshot,
  current: { sha: string | undefined; state: DeploymentWithProgress | undefined },
  repository: RepositoryRef,
): ReleaseRef {
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
  const earlier = sha === current.sha ? current.state : found?.deployments.get(request.environment);
  if (sha !== current.sha && !earlier?.progress.accepted) {
    throw new UserError(
      `${request.to} (input 'to') was never accepted in '${request.environment}', so it is not a known good ` +
        `release there. Give a version or sha accepted there before, or leave 'to' empty for the previous release.`,
    );
  }
  return {
    sha,
    version: earlier?.deployment.release?.version ?? (wanted?.kind === 'version' ? wanted.version : null),
  };
}

/** The release the accepted one replaced (recorded in its deployment), where a plain rollback goes back to. */
function previousTarget(
  environment: string,
  current: DeploymentRecord | undefined,
  rolledBack: ReleaseRef,
): ReleaseRef {
  const previous = current?.release?.previous;
  if (!previous) {
    throw new UserError(
      `The release in '${environment}' (${rolledBack.sha.slice(0, 7)}) records no previous release to go ` +
        `back to. Name one with the 'to' input (a version or sha accepted there before).`,
    );
  }
  return previous;
}

/** The newest deployment when it is a release that went out here and was never accepted (nor rolled back). */
function unacceptedNewest(
  newest: DeploymentWithProgress | undefined,
  currentSha: string | undefined,
): DeploymentRecord | undefined {
  const deployment = newest?.deployment;
  if (!newest || deployment?.release?.kind !== 'release' || deployment.sha === currentSha) return undefined;
  return wentOutUnaccepted(newest.progress) ? deployment : undefined;
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
        tag: environmentTagName(environment, config.environmentTagPrefix),
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
