import type { PromotionConfig } from '../chain/promotion-config.js';
import { freezeRefusal } from '../chain/freeze-windows.js';
import { fitReleaseBody } from '../report/release-body.js';
import { releaseNotesMarkdown } from '../report/release-notes.js';
import { versionTag, type VersionBump } from '../release/versioning.js';
import { runUrl, type RunContext } from '../run-context.js';
import { listCommitsBetween, type ListedCommits } from '../state/commit-range.js';
import type { CommitInfo } from '../state/commits.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleasePayload, type ReleaseRef } from '../state/deployment-payload.js';
import {
  createReleaseDeployment,
  setDeploymentState,
  type DeploymentRecord,
  type DeploymentStatusUpdate,
  type NewDeployment,
} from '../state/deployments.js';
import { environmentTagName } from '../state/environment-tag.js';
import {
  createPrerelease,
  findReleaseByTag,
  type NewRelease,
  type ReleaseRecord,
} from '../state/github-release.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { CommitState, RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import { createVersionTag, type VersionTagRequest } from '../state/version-tag.js';
import { freezeAdmission, freezeOverride } from '../rules/freeze-gate.js';
import { releaseGate } from '../rules/release-gate.js';
import { forceOverrides, type BrokenRule, type ReleaseOverride } from '../rules/release-overrides.js';
import {
  choosesNewVersion,
  lastVersionHandedOut,
  releaseVersion,
  type VersionChoice,
} from '../rules/release-version.js';
import { ownEarlierRelease, rollbackHold } from '../rules/rollback-hold.js';
import { undeployedToSupersede } from '../rules/supersede-undeployed.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';
import { runUseCase, type DecisionInput, type UseCase } from './use-case.js';
import { decided, isRefusal, refuse, type Decided, type Refusal } from '../rules/decision.js';

export type { ReleaseOverride } from '../rules/release-overrides.js';

/** What prepare-release is asked to do. */
export interface PrepareReleaseRequest {
  /** The environment to prepare a release for. */
  environment: string;
  /** The commit to release (sha, branch or tag). Default: the release accepted below; for the first environment, the run's commit. */
  ref?: string;
  /** An explicit version (already validated as semver). */
  version?: string;
  /** A forced bump. */
  bump?: VersionBump;
  /** Override the gate (not accepted below, or rolled back here); requires `reason`. */
  force: boolean;
  reason?: string;
  /** Resolve and report everything, write nothing. */
  dryRun: boolean;
}

/** What prepare-release did. */
export interface PreparedRelease {
  environment: string;
  /** The environment below, if any. */
  belowEnvironment: string | undefined;
  nextEnvironment: string | undefined;
  commit: CommitInfo;
  /** The version given to the release; undefined before the versioned environments. */
  version: string | undefined;
  /** How the version was chosen. */
  versionReason: string | undefined;
  /** The version tag; undefined when there is no version. */
  tag: string | undefined;
  /** The deployment created (or found, on a re-run); undefined in a dry run. */
  deploymentId: number | undefined;
  /** The release in the environment before this one, if any. */
  previous: ReleaseRef | undefined;
  /** Commits between the previous release and this one, oldest first. */
  changes: CommitInfo[];
  /** Commits in the range in all (more than `changes.length` when the list was cut). */
  totalChanges: number;
  /** Release notes (Markdown) of what changes in the environment, every commit listed (the `release-notes` output). */
  releaseNotes: string;
  /**
   * The release notes as the GitHub Release holds them: cut at a commit line to GitHub's size limit of a
   * Release body, with how many commits are not listed and the compare link. The same as `releaseNotes` when
   * they fit.
   */
  releaseBody: string;
  releaseUrl: string | undefined;
  /** What `force` overrode: a freeze window, the gate (not accepted below, rolled back here); empty without. */
  overrides: ReleaseOverride[];
  /** The reason given with `force`; undefined without `force`. */
  reason: string | undefined;
  /** What the environment below recorded for this commit, for approvers: its verification and acceptance. */
  belowRecord: BelowRecord | undefined;
  /** A release prepared before and never deployed that this one superseded. */
  superseded: number | undefined;
  /** True when this run had prepared the release already (a re-run): nothing was created twice. */
  resumed: boolean;
  runUrl: string;
  dryRun: boolean;
}

/** The record of a commit's release in the environment below. */
export interface BelowRecord {
  environment: string;
  deploymentId: number;
  /** undefined when verify never ran there. */
  verification: 'passed' | 'failed' | undefined;
  /** What verify recorded (e.g. `Verified: 3 check(s) passed over 300 s`) and when. */
  verificationDescription: string | undefined;
  verifiedAt: string | undefined;
  /** The acceptance there: its status description (who accepted, prepared and approved) and when. */
  acceptedDescription: string | undefined;
  acceptedAt: string | undefined;
}

/** The action's name, as freeze refusals say it. */
const ACTION = 'prepare-release';

/**
 * prepare-release as steps: picks the commit (`ref`, else the run's commit for the first environment, else the
 * one accepted below), enforces the freeze windows, the gate and the rollback hold (each overridable with
 * `force` and a `reason`, recorded), versions it from the configured environment on (annotated tag and a
 * prerelease GitHub Release), writes release notes, supersedes a release prepared here and never deployed, and
 * creates the Deployment (status `queued`) whose payload records the release. A re-run of the same run finds
 * and completes its own earlier work.
 */
export const prepareReleaseUseCase: UseCase<
  PrepareReleaseRequest,
  PrepareFacts,
  PreparePlan,
  PreparedRelease
> = {
  admit: (config, request, now) => freezeAdmission(config, ACTION, request, now),
  plan: (config, request, context) =>
    prepareSnapshotRequest(config, request.environment, request.ref, context.sha),
  gather: readPrepareFacts,
  decide: decidePrepare,
  apply: applyPrepare,
};

/** Prepares a release for an environment (see {@link prepareReleaseUseCase}). */
export function prepareRelease(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
): Promise<PreparedRelease> {
  return runUseCase(prepareReleaseUseCase, dependencies, request);
}

/**
 * What prepare-release reads in one request: the environment tags below and here (each commit with its
 * deployments), the candidate commit when the run's commit or `ref` names it, the newest deployments here (a
 * release to supersede) and where versions start (the last version handed out).
 */
export function prepareSnapshotRequest(
  config: PromotionConfig,
  environment: string,
  ref: string | undefined,
  runSha: string,
): SnapshotRequest {
  const { chain, versioning } = config;
  const below = chain.previous(environment)?.name;
  const tagOf = (name: string) => environmentTagName(name, config.environmentTagPrefix);
  const candidateIn = below ? [below, environment] : [environment];
  const versioned = chain.indexOf(environment) >= chain.indexOf(versioning.startsAt);
  const recent = [{ environment, count: RECENT_DEPLOYMENTS }];
  if (versioned && versioning.startsAt !== environment) {
    recent.push({ environment: versioning.startsAt, count: RECENT_DEPLOYMENTS });
  }
  return {
    tags: [
      ...(below ? [{ tag: tagOf(below), deploymentsIn: candidateIn }] : []),
      { tag: tagOf(environment), deploymentsIn: [environment] },
    ],
    ...(ref || !below ? { commits: [{ revision: ref || runSha, deploymentsIn: candidateIn }] } : {}),
    recent,
  };
}

/** Newest deployments read per environment (the suite's newest among others, the last version handed out). */
const RECENT_DEPLOYMENTS = 10;

/** A candidate commit that exists. */
type Candidate = CommitState & { commit: CommitInfo };

/** What the snapshot says about the release, before anything else is read. */
export interface PrepareGround {
  /** The environment below, if any, and the commit its tag names. */
  below: string | undefined;
  belowSha: string | undefined;
  candidate: Candidate;
  /** The candidate's newest deployment below and here. */
  belowState: DeploymentWithProgress | undefined;
  hereState: DeploymentWithProgress | undefined;
  /** This run's own earlier deployment of the candidate here (a re-run). */
  resumed: DeploymentRecord | undefined;
  /** The release running here now (the environment tag), if any. */
  previous: ReleaseRef | undefined;
  /** The version the commit carries (from this run's earlier attempt, from below, from here). */
  carried: string | null | undefined;
  /** The last version handed out where versions start. */
  last: ReleaseRef | undefined;
  /** The environment's newest deployments, newest first. */
  recentHere: DeploymentWithProgress[];
}

/**
 * What prepare-release read: the ground, or the refusal when there is no candidate; the commits that change
 * and those since the last version. Neither range is read when the gate or the hold refuses.
 */
export interface PrepareFacts {
  ground: PrepareGround | Refusal;
  /** The commits between the release here and the candidate. */
  range: ListedCommits | undefined;
  /** The commits since the last version handed out; read only when a new version is chosen. */
  since: ListedCommits | undefined;
}

/** prepare-release's writes, decided before the first one. */
export interface PreparePlan {
  /** The result; the writes fill in the Release's URL, the deployment created and the one superseded. */
  result: PreparedRelease;
  /** The line logged before the writes (and in a dry run). */
  announcement: string;
  /** The version's tag and Release; undefined without a version. */
  version: VersionWrite | undefined;
  /** The deployment prepared here and never deployed that is marked inactive. */
  supersede: { id: number; update: DeploymentStatusUpdate } | undefined;
  deployment: DeploymentWrite;
}

/** The version tag and prerelease of a version chosen by this run, or the Release of a carried one. */
export interface VersionWrite {
  tag: string;
  /** The version was chosen by this run: its tag and Release are created (or found, on a re-run). */
  isNew: boolean;
  tagRequest: VersionTagRequest;
  release: NewRelease;
}

/** The Deployment that records the release, and its `queued` status. */
export interface DeploymentWrite {
  /** undefined when this run's earlier attempt created it. */
  create: NewDeployment | undefined;
  /** undefined when that attempt wrote a status already. */
  queued: DeploymentStatusUpdate | undefined;
}

/** The environment tag of `environment`. */
function environmentTagOf(config: PromotionConfig, environment: string): string {
  return environmentTagName(environment, config.environmentTagPrefix);
}

/**
 * What the snapshot says (pure): the candidate, what the environment below and this one recorded of it, the
 * release here and the last version handed out. A refusal when there is no candidate.
 */
export function groundOf(
  config: PromotionConfig,
  context: RunContext,
  request: PrepareReleaseRequest,
  snapshot: RepositorySnapshot,
): PrepareGround | Refusal {
  const { environment } = request;
  const below = config.chain.previous(environment)?.name;
  const candidate = candidateOf(config, context, snapshot, request, below);
  if (isRefusal(candidate)) return candidate;
  const belowState = below ? candidate.deployments.get(below) : undefined;
  const hereState = candidate.deployments.get(environment);
  const earlier = hereState?.deployment;
  const resumed = ownEarlierRelease(earlier, context.runId);
  const here = snapshot.tags.get(environmentTagOf(config, environment));
  const previousSha = here?.sha;
  // The release here is the candidate itself when it is prepared again: its own deployment holds its version.
  const previousDeployment =
    previousSha === candidate.commit.sha ? earlier : here?.deployments.get(environment)?.deployment;
  return {
    below,
    belowSha: below ? snapshot.tags.get(environmentTagOf(config, below))?.sha : undefined,
    candidate,
    belowState,
    hereState,
    resumed,
    previous: previousSha
      ? { sha: previousSha, version: previousDeployment?.release?.version ?? null }
      : undefined,
    carried:
      resumed?.release?.version ?? belowState?.deployment.release?.version ?? earlier?.release?.version,
    last: lastVersionHandedOut(snapshot.recent.get(config.versioning.startsAt) ?? []),
    recentHere: snapshot.recent.get(environment) ?? [],
  };
}

/**
 * The commit to prepare, with its deployments: `ref`, else the run's commit in the first environment, else the
 * release accepted in the environment below. A refusal when there is none.
 */
function candidateOf(
  config: PromotionConfig,
  context: RunContext,
  snapshot: RepositorySnapshot,
  { ref, environment }: PrepareReleaseRequest,
  below: string | undefined,
): Candidate | Refusal {
  const repository = `${context.owner}/${context.repo}`;
  const candidate =
    ref || !below
      ? snapshot.commits.get(ref || context.sha)
      : snapshot.tags.get(environmentTagOf(config, below));
  if (candidate?.commit) return { ...candidate, commit: candidate.commit };
  if (ref) {
    return refuse(
      `'${ref}' (input 'ref') is not a commit, branch or tag of ${repository}. ` +
        `Give a sha, branch or tag that exists there.`,
    );
  }
  if (below) {
    return refuse(
      `Nothing has been accepted in '${below}' yet, so there is no release to prepare for '${environment}'. ` +
        `Accept a release in '${below}' first (or give 'ref' with 'force: true' and a 'reason').`,
    );
  }
  throw new Error(`The run's commit ${context.sha} was not found in ${repository}.`);
}

/** The gate and the rollback hold, as they apply to the candidate, in that order: the ones broken. */
function gateRules(request: PrepareReleaseRequest, ground: PrepareGround): BrokenRule[] {
  const { environment } = request;
  const { sha } = ground.candidate.commit;
  const gate = releaseGate({
    environment,
    below: ground.below,
    belowSha: ground.belowSha,
    sha,
    acceptedBelow: ground.belowState?.progress.accepted !== undefined,
  });
  const hold = rollbackHold({
    environment,
    sha,
    rolledBack: ground.hereState?.progress.rolledBack,
    resumed: ground.resumed !== undefined,
  });
  return [gate, hold].filter((rule): rule is BrokenRule => rule !== undefined);
}

/** The freeze window `force` overrides at `now`, as a broken rule (none outside the windows, or without force). */
function freezeRules(config: PromotionConfig, request: PrepareReleaseRequest, now: Date): BrokenRule[] {
  const override = freezeOverride(config, request, now);
  if (!override) return [];
  const { environment } = request;
  return [
    {
      kind: 'freeze',
      description: `'${environment}' is frozen (${override.freeze.description})`,
      refusal: freezeRefusal(environment, ACTION, override.freeze),
    },
  ];
}

/**
 * The reads that depend on the snapshot: the commits that change (REST compare, none when the environment is
 * empty or runs the candidate already) and those since the last version handed out (only when a new version
 * is chosen, and not again when they are the same range). Nothing is read when the request will be refused
 * for want of a candidate or by the gate or the hold.
 */
async function readPrepareFacts(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
  snapshot: RepositorySnapshot,
): Promise<PrepareFacts> {
  const { client, config, context } = dependencies;
  const ground = groundOf(config, context, request, snapshot);
  if (isRefusal(ground) || (!request.force && gateRules(request, ground).length > 0)) {
    return { ground, range: undefined, since: undefined };
  }
  const repository = repositoryOf(dependencies);
  const { sha } = ground.candidate.commit;
  const previousSha = ground.previous?.sha;
  const range =
    previousSha === undefined
      ? { commits: [ground.candidate.commit], total: 1, truncated: false }
      : previousSha === sha
        ? { commits: [], total: 0, truncated: false }
        : await listCommitsBetween(client, repository, previousSha, sha);
  if (!choosesNewVersion(config, request, ground.carried)) return { ground, range, since: undefined };
  const lastSha = ground.last?.sha;
  const since = lastSha === previousSha ? range : await listCommitsBetween(client, repository, lastSha, sha);
  return { ground, range, since };
}

/**
 * prepare-release's rules (pure): the freeze windows, a candidate, the gate and the rollback hold (each broken
 * one refused without `force`, recorded and warned about with it, in that order), the version; then what to
 * write.
 */
export function decidePrepare({
  request,
  facts,
  config,
  context,
  now,
}: DecisionInput<PrepareReleaseRequest, PrepareFacts>): Decided<PreparePlan> | Refusal {
  const { ground, range, since } = facts;
  const admission = freezeAdmission(config, ACTION, request, now);
  if (admission) return admission;
  if (isRefusal(ground)) return ground;
  const broken = [...freezeRules(config, request, now), ...gateRules(request, ground)];
  const forced = forceOverrides(broken, request.force, request.reason);
  if (isRefusal(forced)) return forced;
  if (!range) throw new Error('The commits that change were not read before deciding the release.');
  const { sha } = ground.candidate.commit;
  const version = releaseVersion(request, { config, sha, carried: ground.carried, last: ground.last, since });
  if (isRefusal(version)) return version;
  const result = preparedResult(config, context, request, {
    ground,
    range,
    version,
    overrides: forced.overrides,
  });
  const superseded = undeployedToSupersede(ground.recentHere, ground.resumed?.id);
  return decided(
    {
      result,
      announcement: announcement(result),
      version: versionWrite(result, version),
      supersede: superseded
        ? {
            id: superseded.deployment.id,
            update: {
              state: 'inactive',
              description: `Superseded: never deployed; run ${context.runId} prepared a newer release`,
              logUrl: result.runUrl,
            },
          }
        : undefined,
      deployment: deploymentWrite(config, context, request, result, ground),
    },
    forced.warnings,
  );
}

/** The line logged before the writes: what is prepared, and what runs there now. */
function announcement(result: PreparedRelease): string {
  const { previous } = result;
  return (
    `Preparing ${result.version ?? result.commit.sha.slice(0, 7)} for ${result.environment}` +
    (previous
      ? ` (now running ${previous.version ?? previous.sha.slice(0, 7)}; ${result.totalChanges} commit(s) change).`
      : '.')
  );
}

/** The result, before the writes fill in what they create. */
function preparedResult(
  config: PromotionConfig,
  context: RunContext,
  request: PrepareReleaseRequest,
  decidedSoFar: {
    ground: PrepareGround;
    range: ListedCommits;
    version: VersionChoice;
    overrides: ReleaseOverride[];
  },
): PreparedRelease {
  const { ground, range, version, overrides } = decidedSoFar;
  const { commit } = ground.candidate;
  const { previous, below, resumed } = ground;
  const chosen = version.chosen?.version;
  const releaseNotes = releaseNotesMarkdown({
    commits: range.commits,
    total: range.total,
    truncated: range.truncated,
    serverUrl: context.serverUrl,
    owner: context.owner,
    repo: context.repo,
    ...(previous ? { previous } : {}),
    head: { sha: commit.sha, version: chosen ?? null },
  });
  return {
    environment: request.environment,
    belowEnvironment: below,
    nextEnvironment: config.chain.next(request.environment)?.name,
    commit,
    version: chosen,
    versionReason: version.chosen?.reason,
    tag: chosen ? versionTag(chosen, config.versioning.tagPrefix) : undefined,
    deploymentId: resumed?.id,
    previous,
    changes: range.commits,
    totalChanges: range.total,
    releaseNotes,
    // The Release gets notes that fit GitHub's limit; the `release-notes` output keeps them all.
    releaseBody: fitReleaseBody(releaseNotes),
    releaseUrl: undefined,
    overrides,
    reason: request.force ? request.reason : undefined,
    belowRecord: belowRecordOf(ground),
    superseded: undefined,
    resumed: resumed !== undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
}

/** What the environment below recorded for the candidate: its verification and acceptance. */
function belowRecordOf({ below, belowState }: PrepareGround): BelowRecord | undefined {
  if (!below || !belowState) return undefined;
  const { progress } = belowState;
  return {
    environment: below,
    deploymentId: belowState.deployment.id,
    verification: progress.verification,
    verificationDescription: progress.verificationStatus?.description,
    verifiedAt: progress.verificationStatus?.createdAt,
    acceptedDescription: progress.accepted?.description,
    acceptedAt: progress.accepted?.createdAt,
  };
}

/** The version's tag and prerelease (a version chosen by this run), or its Release to find (a carried one). */
function versionWrite(result: PreparedRelease, version: VersionChoice): VersionWrite | undefined {
  const { tag, commit } = result;
  const { chosen } = version;
  if (!tag || !chosen) return undefined;
  return {
    tag,
    isNew: version.versionIsNew,
    tagRequest: {
      tag,
      sha: commit.sha,
      message: `Release ${chosen.version}\n\n${chosen.reason ?? ''}`.trim(),
      tagger: {
        name: 'github-actions[bot]',
        email: '41898282+github-actions[bot]@users.noreply.github.com',
      },
    },
    release: { tag, sha: commit.sha, name: tag, body: result.releaseBody },
  };
}

/**
 * The Deployment whose payload records the release (unless an earlier attempt of this run created it) and its
 * `queued` status (unless that attempt wrote one).
 */
function deploymentWrite(
  config: PromotionConfig,
  context: RunContext,
  request: PrepareReleaseRequest,
  result: PreparedRelease,
  ground: PrepareGround,
): DeploymentWrite {
  const { environment, overrides, commit, version } = result;
  const what = version ?? commit.sha.slice(0, 7);
  const record: ReleasePayload = {
    schema: PAYLOAD_SCHEMA_VERSION,
    kind: 'release',
    environment,
    sha: commit.sha,
    version: version ?? null,
    previous: result.previous ?? null,
    run: { id: context.runId, attempt: context.runAttempt, url: result.runUrl },
    actor: context.actor,
    forced:
      overrides.length > 0
        ? { reason: `${request.reason ?? ''} (${overrides.map((item) => item.description).join('; ')})` }
        : null,
    rollback: null,
  };
  const create: NewDeployment = {
    record,
    description: `Release ${what} prepared by run ${context.runId}`,
    productionEnvironment: config.chain.isLast(environment),
  };
  const queued: DeploymentStatusUpdate = {
    state: STEP_MARKERS.prepared.state,
    description: `${STEP_MARKERS.prepared.prefix} ${what} by run ${context.runId}; waiting to be deployed`,
    logUrl: result.runUrl,
  };
  return {
    create: result.resumed ? undefined : create,
    queued: !result.resumed || ground.hereState?.progress.latest === undefined ? queued : undefined,
  };
}

/**
 * prepare-release's writes: the version tag and Release first (the write GitHub may refuse, e.g. for the
 * workflows rule: then nothing else was changed), then the release prepared before and never deployed is
 * superseded, then the deployment. A dry run writes nothing, but finds the version's Release to link it.
 */
async function applyPrepare(dependencies: UseCaseDependencies, plan: PreparePlan): Promise<PreparedRelease> {
  const { client, logger } = dependencies;
  const repository = repositoryOf(dependencies);
  const { result } = plan;
  logger.info(plan.announcement);
  if (result.dryRun) {
    if (plan.version) result.releaseUrl = (await findReleaseByTag(client, repository, plan.version.tag))?.url;
    return result;
  }
  result.releaseUrl = (await writeVersion(dependencies, plan.version))?.url;
  if (plan.supersede) {
    await setDeploymentState(client, repository, plan.supersede.id, plan.supersede.update);
    result.superseded = plan.supersede.id;
  }
  await writeDeployment(dependencies, plan);
  logger.info(`Deployment ${result.deploymentId} is queued for ${result.environment}.`);
  return result;
}

/**
 * The version tag and the prerelease of a version chosen by this run (found as they are on a re-run), or the
 * Release of a version carried from below. Nothing without a version.
 */
async function writeVersion(
  dependencies: UseCaseDependencies,
  version: VersionWrite | undefined,
): Promise<ReleaseRecord | undefined> {
  const { client } = dependencies;
  const repository = repositoryOf(dependencies);
  if (!version) return undefined;
  if (!version.isNew) return findReleaseByTag(client, repository, version.tag);
  await createVersionTag(client, repository, version.tagRequest);
  return createPrerelease(client, repository, version.release);
}

/** The Deployment (unless this run's earlier attempt created it) and its `queued` status (unless written). */
async function writeDeployment(dependencies: UseCaseDependencies, plan: PreparePlan): Promise<void> {
  const { client } = dependencies;
  const repository = repositoryOf(dependencies);
  const { result, deployment } = plan;
  if (deployment.create) {
    result.deploymentId = (await createReleaseDeployment(client, repository, deployment.create)).id;
  }
  if (deployment.queued) {
    await setDeploymentState(client, repository, result.deploymentId as number, deployment.queued);
  }
}
