import { REACHED_STEPS, type ReleaseProgress } from '../state/deployment-markers.js';
import { parseVersionTag, versionTag } from '../release/versioning.js';
import type { ReleaseRef } from '../state/deployment-payload.js';
import type { DeploymentRecord } from '../state/deployments.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { RepositorySnapshot } from '../state/repository-snapshot.js';
import type { RepositoryRef } from '../state/repository.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { isRefusal, refuse, type Refusal } from './decision.js';
import { undoneHere } from '../rollout/rollout-end.js';

/** This run's own rollback deployment from an earlier attempt, to complete instead of starting another. */
export interface ResumedRollback {
  deployment: DeploymentRecord;
  /** The release that earlier attempt took out. */
  from: ReleaseRef;
  progress: ReleaseProgress;
}

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

/** What `to` names: a version (through its tag) or a revision. */
export type NamedRelease = { kind: 'version'; version: string; tag: string } | { kind: 'revision' };

/** What the rollback target rule sees: all of it read before, none of it read by the rule. */
export interface RollbackSituation {
  /** The environment, in the chain's spelling. */
  environment: string;
  /** The `to` input; undefined when empty. */
  to: string | undefined;
  /** What `to` names ({@link namedRelease}). */
  named: NamedRelease | undefined;
  /** The environment tag's name, `env/<environment>`. */
  environmentTag: string;
  snapshot: Pick<RepositorySnapshot, 'tags' | 'commits' | 'recent'>;
  /** This run: a rollback deployment of its own is completed, not started again. */
  runId: number;
  /** The newest deployment here of the release a resumed rollback takes out (read after the snapshot). */
  resumedBadDeployment: DeploymentRecord | undefined;
  /** For the message of a `to` that names nothing. */
  repository: RepositoryRef;
}

/** What goes back where: the rule's answer. */
export type RollbackTargets = Pick<
  RollbackPlan,
  'currentSha' | 'rolledBack' | 'badDeployment' | 'target' | 'resumed'
>;

/**
 * The rollback target rule (pure). The bad release is the newest one deployed here and never accepted (its
 * verification failed before accept), or else the accepted one; the target is the accepted one in the first
 * case, else the release before it, or `to` (which must have been accepted here). A re-run of a rollback
 * completes this run's own rollback deployment. Refused when there is nothing to take out, nowhere to go back
 * to, or the target is what already runs there.
 */
export function rollbackTargets(situation: RollbackSituation): RollbackTargets | Refusal {
  const { environment, snapshot } = situation;
  const tagState = snapshot.tags.get(situation.environmentTag);
  const currentSha = tagState?.sha;
  const currentState = tagState?.deployments.get(environment);
  const current = currentState?.deployment;
  const currentRelease: ReleaseRef | undefined = currentSha
    ? { sha: currentSha, version: current?.release?.version ?? null }
    : undefined;

  const [newestState] = snapshot.recent.get(environment) ?? [];
  const resumed = resumedRollback(newestState, situation.runId);
  const newestUnaccepted = resumed ? undefined : unacceptedNewest(newestState, currentSha);
  const badDeployment = resumed ? situation.resumedBadDeployment : (newestUnaccepted ?? current);
  const rolledBack: ReleaseRef | undefined = resumed
    ? resumed.from
    : newestUnaccepted
      ? { sha: newestUnaccepted.sha, version: newestUnaccepted.release?.version ?? null }
      : currentRelease;
  if (!rolledBack) {
    return refuse(
      `'${environment}' has no release to roll back: nothing was accepted there (tag ${situation.environmentTag} ` +
        `does not exist) and no release is being deployed.`,
    );
  }

  const target: ReleaseRef | Refusal = resumed
    ? { sha: resumed.deployment.sha, version: resumed.deployment.release?.version ?? null }
    : situation.to
      ? namedTarget(situation, situation.to, { sha: currentSha, state: currentState })
      : newestUnaccepted && currentRelease
        ? currentRelease
        : previousTarget(environment, current, rolledBack);
  if (isRefusal(target)) return target;
  if (target.sha === rolledBack.sha) {
    return refuse(
      `'${environment}' already runs ${target.version ?? target.sha.slice(0, 7)}; nothing to roll back. ` +
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

/** The environment's deployments a snapshot read: the newest ones, and those of the tags and commits it named. */
export function knownDeployments(
  snapshot: Pick<RepositorySnapshot, 'tags' | 'commits' | 'recent'>,
  environment: string,
): Array<DeploymentWithProgress | undefined> {
  return [
    ...(snapshot.recent.get(environment) ?? []),
    ...[...snapshot.tags.values(), ...snapshot.commits.values()].map((read) =>
      read.deployments.get(environment),
    ),
  ];
}

/**
 * This run's own rollback deployment, when the environment's newest deployment is one: a re-run completes it
 * instead of starting another.
 */
export function resumedRollback(
  newest: DeploymentWithProgress | undefined,
  runId: number,
): ResumedRollback | undefined {
  const release = newest?.deployment.release;
  if (!newest || release?.kind !== 'rollback' || release.run.id !== runId || !release.rollback)
    return undefined;
  return { deployment: newest.deployment, from: release.rollback.from, progress: newest.progress };
}

/**
 * The release `to` names (its version tag or its commit), which must have been accepted in the environment:
 * a rollback goes back only to a known good release.
 */
function namedTarget(
  situation: RollbackSituation,
  to: string,
  current: { sha: string | undefined; state: DeploymentWithProgress | undefined },
): ReleaseRef | Refusal {
  const { environment, named, snapshot, repository } = situation;
  const found = named?.kind === 'version' ? snapshot.tags.get(named.tag) : snapshot.commits.get(to);
  const sha = found?.sha;
  if (!sha) {
    return refuse(
      named?.kind === 'version'
        ? `Version ${to} (input 'to') has no tag ${named.tag}. ` +
            `Give a version or sha that was accepted in '${environment}' before.`
        : `'${to}' (input 'to') is not a commit, branch or tag of ${repository.owner}/${repository.repo}. ` +
            `Give a sha, branch or tag that exists there.`,
    );
  }
  const earlier = sha === current.sha ? current.state : found?.deployments.get(environment);
  if (sha !== current.sha && !earlier?.progress.accepted) {
    return refuse(
      `${to} (input 'to') was never accepted in '${environment}', so it is not a known good ` +
        `release there. Give a version or sha accepted there before, or leave 'to' empty for the previous release.`,
    );
  }
  return {
    sha,
    version: earlier?.deployment.release?.version ?? (named?.kind === 'version' ? named.version : null),
  };
}

/** The release the accepted one replaced (recorded in its deployment), where a plain rollback goes back to. */
function previousTarget(
  environment: string,
  current: DeploymentRecord | undefined,
  rolledBack: ReleaseRef,
): ReleaseRef | Refusal {
  const previous = current?.release?.previous;
  if (!previous) {
    return refuse(
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

/**
 * Whether a release reached the environment (its deployment started) without being accepted or undone: rolled
 * back, or rolled back by its own rollout. A rollout that halted, failed to roll back, or was left part-way
 * leaves the release out there: that one is what a rollback takes out.
 */
function wentOutUnaccepted(progress: ReleaseProgress): boolean {
  // Accepted and rolled-back releases are left out by the first two conditions; a replaced one no longer serves.
  return (
    !progress.accepted &&
    !undoneHere(progress.rolledBack) &&
    progress.lastStep !== undefined &&
    progress.lastStep !== 'replaced' &&
    REACHED_STEPS.has(progress.lastStep)
  );
}

/** What `to` names: a version (through its tag) or a revision; undefined when `to` is empty. */
export function namedRelease(config: PromotionConfig, to: string | undefined): NamedRelease | undefined {
  if (!to) return undefined;
  const { tagPrefix } = config.versioning;
  const version = parseVersionTag(to, tagPrefix) ?? parseVersionTag(to, '');
  return version ? { kind: 'version', version, tag: versionTag(version, tagPrefix) } : { kind: 'revision' };
}
