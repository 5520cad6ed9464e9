import { UserError } from '../errors.js';
import { currentFreeze, freezeRefusal } from '../chain/freeze-windows.js';
import { fitReleaseBody } from '../release/release-body.js';
import { releaseNotesMarkdown } from '../release/release-notes.js';
import { nextVersion, versionTag, type NextVersion, type VersionBump } from '../release/versioning.js';
import { runUrl } from '../run-context.js';
import { listCommitsBetween, type ListedCommits } from '../state/commit-range.js';
import type { CommitInfo } from '../state/commits.js';
import { STEP_MARKERS, type ReleaseProgress } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleasePayload, type ReleaseRef } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName } from '../state/environment-tag.js';
import { createPrerelease, findReleaseByTag, type ReleaseRecord } from '../state/github-release.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { CommitState, RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { createVersionTag } from '../state/version-tag.js';
import { readState, repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

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

/** One rule `force` overrode. */
export interface ReleaseOverride {
  /** `freeze`: the environment's freeze window; `gate`: not accepted below, or rolled back here. */
  kind: 'freeze' | 'gate';
  /** What was overridden, e.g. `commit abc1234 was not accepted in preproduction`. */
  description: string;
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

/**
 * Prepares a release for an environment: picks the commit (the run's commit for the first environment, else the
 * one accepted below), enforces the gate, versions it from the configured environment on (annotated tag and a
 * prerelease GitHub Release), writes release notes, and creates the Deployment (status `queued`) whose payload
 * records the release. A re-run of the same run finds and completes its own earlier work.
 */
export async function prepareRelease(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
): Promise<PreparedRelease> {
  const { context, logger, config } = dependencies;
  const { chain } = config;
  const { environment } = request;
  chain.get(environment);
  const below = chain.previous(environment)?.name;
  const overrides: ReleaseOverride[] = [];
  const override = (kind: ReleaseOverride['kind'], description: string, refusal: string) => {
    if (!request.force) throw new UserError(refusal);
    overrides.push({ kind, description });
    const what = kind === 'freeze' ? 'Freeze' : 'Gate';
    logger.warning(`${what} overridden with force (${request.reason ?? ''}): ${description}`);
  };
  // 0. A freeze window of the environment, at the moment the action runs.
  const freeze = currentFreeze(
    config.freezeWindows.get(environment) ?? [],
    dependencies.now?.() ?? new Date(),
  );
  if (freeze) {
    override(
      'freeze',
      `'${environment}' is frozen (${freeze.description})`,
      freezeRefusal(environment, 'prepare-release', freeze),
    );
  }

  // 1. The candidate commit, the gate, this commit's history here and what runs here now: one request.
  const state = await readState(
    dependencies,
    prepareSnapshotRequest(config, environment, request.ref, context.sha),
  );
  const belowSha = below ? state.tags.get(environmentTagOf(config, below))?.sha : undefined;
  const candidate = candidateOf(dependencies, state, request, below);
  const { commit } = candidate;
  const short = commit.sha.slice(0, 7);

  // 2. The gate: only a commit accepted in the environment below.
  const belowState = below ? candidate.deployments.get(below) : undefined;
  if (below && commit.sha !== belowSha && belowState?.progress.accepted === undefined) {
    override(
      'gate',
      `commit ${short} was not accepted in ${below}`,
      notAcceptedRefusal(short, below, environment, belowSha),
    );
  }

  // 3. This commit's own history here: a re-run of this run, or a rollback that bars it.
  const earlierState = candidate.deployments.get(environment);
  const earlier = earlierState?.deployment;
  const resumed =
    earlier?.release?.kind === 'release' && earlier.release.run.id === context.runId ? earlier : undefined;
  const rolledBack = earlierState?.progress.rolledBack;
  if (rolledBack && !resumed) {
    override(
      'gate',
      `commit ${short} was rolled back in ${environment}`,
      `Commit ${short} was rolled back in '${environment}' (${rolledBack.description}). ` +
        `Prepare a newer commit, or set 'force: true' with a 'reason' to release it there again.`,
    );
  }

  // 4. The release running in the environment now, what changes, and the version.
  const plan = await planRelease(dependencies, request, { state, candidate, below, resumed });
  const prepared = preparedRelease(dependencies, request, plan, {
    candidate,
    below,
    overrides,
    resumed,
  });
  if (request.dryRun) {
    if (plan.tag)
      prepared.releaseUrl = (
        await findReleaseByTag(dependencies.client, repositoryOf(dependencies), plan.tag)
      )?.url;
    return prepared;
  }

  // 5. Writes: the version tag and Release first (the write GitHub may refuse, e.g. for the workflows rule: then
  // nothing else was changed), then retire a release prepared before and never deployed, then the deployment.
  prepared.releaseUrl = (await writeVersion(dependencies, plan))?.url;
  prepared.superseded = await supersedeUndeployed(
    dependencies,
    state.recent.get(environment) ?? [],
    resumed?.id,
  );
  await writeDeployment(dependencies, request, prepared, earlierState?.progress);
  logger.info(`Deployment ${prepared.deploymentId} is queued for ${environment}.`);
  return prepared;
}

/** The environment tag of `environment`. */
function environmentTagOf(config: PromotionConfig, environment: string): string {
  return environmentTagName(environment, config.environmentTagPrefix);
}

/** A candidate commit that exists. */
type Candidate = CommitState & { commit: CommitInfo };

/**
 * The commit to prepare, with its deployments: `ref`, else the run's commit in the first environment, else the
 * release accepted in the environment below. Throws a {@link UserError} when there is none.
 */
function candidateOf(
  dependencies: UseCaseDependencies,
  state: RepositorySnapshot,
  { ref, environment }: PrepareReleaseRequest,
  below: string | undefined,
): Candidate {
  const { context, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const candidate =
    ref || !below ? state.commits.get(ref || context.sha) : state.tags.get(environmentTagOf(config, below));
  if (candidate?.commit) return { ...candidate, commit: candidate.commit };
  if (ref) {
    throw new UserError(
      `'${ref}' (input 'ref') is not a commit, branch or tag of ${repository.owner}/${repository.repo}. ` +
        `Give a sha, branch or tag that exists there.`,
    );
  }
  if (below) {
    throw new UserError(
      `Nothing has been accepted in '${below}' yet, so there is no release to prepare for '${environment}'. ` +
        `Accept a release in '${below}' first (or give 'ref' with 'force: true' and a 'reason').`,
    );
  }
  throw new Error(`The run's commit ${context.sha} was not found in ${repository.owner}/${repository.repo}.`);
}

/** The refusal of a commit the environment below never accepted. */
function notAcceptedRefusal(
  short: string,
  below: string,
  environment: string,
  belowSha: string | undefined,
): string {
  return (
    `Commit ${short} was never accepted in '${below}', so it cannot be prepared for '${environment}'. ` +
    `Promote what '${below}' accepted (leave 'ref' empty)` +
    (belowSha ? `, currently ${belowSha.slice(0, 7)}` : '') +
    `, or override the gate with 'force: true' and a 'reason'.`
  );
}

/** What the environment below recorded for the candidate: its verification and acceptance. */
function belowRecordOf(candidate: Candidate, below: string | undefined): BelowRecord | undefined {
  const belowState = below ? candidate.deployments.get(below) : undefined;
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

/** What the release is, decided before any write. */
interface ReleasePlan {
  commit: CommitInfo;
  environment: string;
  previous: ReleaseRef | undefined;
  range: ListedCommits;
  chosen: NextVersion | undefined;
  /** The version was chosen by this run: its tag and Release are created (or found, on a re-run). */
  versionIsNew: boolean;
  tag: string | undefined;
  releaseNotes: string;
  releaseBody: string;
}

/** The release now running in the environment, the commits that change, the version and the notes. */
async function planRelease(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
  found: {
    state: RepositorySnapshot;
    candidate: Candidate;
    below: string | undefined;
    resumed: DeploymentRecord | undefined;
  },
): Promise<ReleasePlan> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { state, candidate, below, resumed } = found;
  const { commit } = candidate;
  const { environment } = request;
  const earlier = candidate.deployments.get(environment)?.deployment;
  const here = state.tags.get(environmentTagOf(config, environment));
  const previousSha = here?.sha;
  const previousDeployment =
    previousSha === commit.sha ? earlier : here?.deployments.get(environment)?.deployment;
  const previous: ReleaseRef | undefined = previousSha
    ? { sha: previousSha, version: previousDeployment?.release?.version ?? null }
    : undefined;
  const range: ListedCommits =
    previousSha === undefined
      ? { commits: [commit], total: 1, truncated: false }
      : previousSha === commit.sha
        ? { commits: [], total: 0, truncated: false }
        : await listCommitsBetween(client, repository, previousSha, commit.sha);
  const carried =
    resumed?.release?.version ??
    (below ? candidate.deployments.get(below)?.deployment.release?.version : undefined) ??
    earlier?.release?.version;
  const { chosen, versionIsNew } = await chooseVersion(dependencies, request, {
    state,
    commit,
    carried,
    previousSha,
    range,
  });
  const version = chosen?.version;
  const releaseNotes = releaseNotesMarkdown({
    commits: range.commits,
    total: range.total,
    truncated: range.truncated,
    serverUrl: context.serverUrl,
    owner: context.owner,
    repo: context.repo,
    ...(previous ? { previous } : {}),
    head: { sha: commit.sha, version: version ?? null },
  });
  logger.info(
    `Preparing ${version ?? commit.sha.slice(0, 7)} for ${environment}` +
      (previous
        ? ` (now running ${previous.version ?? previous.sha.slice(0, 7)}; ${range.total} commit(s) change).`
        : '.'),
  );
  return {
    commit,
    environment,
    previous,
    range,
    chosen,
    versionIsNew,
    tag: version ? versionTag(version, config.versioning.tagPrefix) : undefined,
    releaseNotes,
    // The Release gets notes that fit GitHub's limit; the `release-notes` output keeps them all.
    releaseBody: fitReleaseBody(releaseNotes),
  };
}

/**
 * The version: none before the versioned environments; the one the commit carries from below (or from an
 * earlier attempt); else the next one after the last version handed out, from the commits since.
 */
async function chooseVersion(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
  found: {
    state: RepositorySnapshot;
    commit: CommitInfo;
    carried: string | null | undefined;
    previousSha: string | undefined;
    range: ListedCommits;
  },
): Promise<{ chosen: NextVersion | undefined; versionIsNew: boolean }> {
  const { client, config } = dependencies;
  const { chain, versioning } = config;
  const { environment } = request;
  const { state, commit, carried, previousSha, range } = found;
  if (chain.indexOf(environment) < chain.indexOf(versioning.startsAt)) {
    if (!request.version && !request.bump) return { chosen: undefined, versionIsNew: false };
    throw new UserError(
      `'${environment}' is not versioned: versions start at '${versioning.startsAt}' (versioning.starts-at). ` +
        `Remove 'version'/'bump', or prepare the release for '${versioning.startsAt}'.`,
    );
  }
  if (carried && !request.version && !request.bump) {
    const reason = `carried with commit ${commit.sha.slice(0, 7)}`;
    return { chosen: { version: carried, bump: 'explicit', reason }, versionIsNew: false };
  }
  const last = lastVersionHandedOut(state.recent.get(versioning.startsAt) ?? []);
  const since =
    last?.sha === previousSha
      ? range
      : await listCommitsBetween(client, repositoryOf(dependencies), last?.sha, commit.sha);
  const chosen = nextVersion({
    previous: last?.version ?? undefined,
    initial: versioning.initial,
    messages: since.commits.map((change) => change.message),
    ...(request.bump ? { bump: request.bump } : {}),
    ...(request.version ? { explicit: request.version } : {}),
  });
  return { chosen, versionIsNew: true };
}

/** The result, before the writes fill in what they create. */
function preparedRelease(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
  plan: ReleasePlan,
  found: {
    candidate: Candidate;
    below: string | undefined;
    overrides: ReleaseOverride[];
    resumed: DeploymentRecord | undefined;
  },
): PreparedRelease {
  const { candidate, below, overrides, resumed } = found;
  return {
    environment: request.environment,
    belowEnvironment: below,
    nextEnvironment: dependencies.config.chain.next(request.environment)?.name,
    commit: candidate.commit,
    version: plan.chosen?.version,
    versionReason: plan.chosen?.reason,
    tag: plan.tag,
    deploymentId: resumed?.id,
    previous: plan.previous,
    changes: plan.range.commits,
    totalChanges: plan.range.total,
    releaseNotes: plan.releaseNotes,
    releaseBody: plan.releaseBody,
    releaseUrl: undefined,
    overrides,
    reason: request.force ? request.reason : undefined,
    belowRecord: belowRecordOf(candidate, below),
    superseded: undefined,
    resumed: resumed !== undefined,
    runUrl: runUrl(dependencies.context),
    dryRun: request.dryRun,
  };
}

/**
 * The version tag and the prerelease of a version chosen by this run (found as they are on a re-run), or the
 * Release of a version carried from below. Nothing without a version.
 */
async function writeVersion(
  dependencies: UseCaseDependencies,
  plan: ReleasePlan,
): Promise<ReleaseRecord | undefined> {
  const { client } = dependencies;
  const repository = repositoryOf(dependencies);
  const { tag, chosen, commit } = plan;
  if (!tag || !chosen) return undefined;
  if (!plan.versionIsNew) return findReleaseByTag(client, repository, tag);
  await createVersionTag(client, repository, {
    tag,
    sha: commit.sha,
    message: `Release ${chosen.version}\n\n${chosen.reason ?? ''}`.trim(),
    tagger: {
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com',
    },
  });
  return createPrerelease(client, repository, {
    tag,
    sha: commit.sha,
    name: tag,
    body: plan.releaseBody,
  });
}

/**
 * The Deployment whose payload records the release (unless an earlier attempt of this run created it) and its
 * `queued` status (unless that attempt wrote one).
 */
async function writeDeployment(
  dependencies: UseCaseDependencies,
  request: PrepareReleaseRequest,
  prepared: PreparedRelease,
  earlierProgress: ReleaseProgress | undefined,
): Promise<void> {
  const { client, context, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { environment, overrides, commit, version } = prepared;
  const what = version ?? commit.sha.slice(0, 7);
  if (!prepared.resumed) {
    const record: ReleasePayload = {
      schema: PAYLOAD_SCHEMA_VERSION,
      kind: 'release',
      environment,
      sha: commit.sha,
      version: version ?? null,
      previous: prepared.previous ?? null,
      run: { id: context.runId, attempt: context.runAttempt, url: prepared.runUrl },
      actor: context.actor,
      forced:
        overrides.length > 0
          ? { reason: `${request.reason ?? ''} (${overrides.map((item) => item.description).join('; ')})` }
          : null,
      rollback: null,
    };
    const deployment = await createReleaseDeployment(client, repository, {
      record,
      description: `Release ${what} prepared by run ${context.runId}`,
      productionEnvironment: config.chain.isLast(environment),
    });
    prepared.deploymentId = deployment.id;
  }
  if (!prepared.resumed || earlierProgress?.latest === undefined) {
    await setDeploymentState(client, repository, prepared.deploymentId as number, {
      state: STEP_MARKERS.prepared.state,
      description: `${STEP_MARKERS.prepared.prefix} ${what} by run ${context.runId}; waiting to be deployed`,
      logUrl: prepared.runUrl,
    });
  }
}

/** The newest version handed out: the version of the newest versioned deployment among `recent`. */
function lastVersionHandedOut(recent: DeploymentWithProgress[]): ReleaseRef | undefined {
  const versioned = recent.find(({ deployment }) => deployment.release?.version);
  const release = versioned?.deployment.release;
  return release ? { sha: release.sha, version: release.version } : undefined;
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

/**
 * Marks the environment's newest deployment inactive when it was prepared and never deployed (its approval
 * was rejected, its run cancelled), so it does not stay queued in the UI. Returns its id when it did.
 */
async function supersedeUndeployed(
  dependencies: UseCaseDependencies,
  recent: DeploymentWithProgress[],
  keep: number | undefined,
): Promise<number | undefined> {
  const { client, context } = dependencies;
  const repository = repositoryOf(dependencies);
  const [newest] = recent;
  if (!newest || newest.deployment.id === keep || !newest.deployment.release) return undefined;
  const { progress } = newest;
  if (progress.lastStep !== 'prepared' || progress.latest?.state !== 'queued') return undefined;
  await setDeploymentState(client, repository, newest.deployment.id, {
    state: 'inactive',
    description: `Superseded: never deployed; run ${context.runId} prepared a newer release`,
    logUrl: runUrl(context),
  });
  return newest.deployment.id;
}
