import { UserError } from '../errors.js';
import { currentFreeze, freezeRefusal } from '../chain/freeze-windows.js';
import { releaseNotesMarkdown } from '../release/release-notes.js';
import { nextVersion, versionTag, type NextVersion, type VersionBump } from '../release/versioning.js';
import { runUrl } from '../run-context.js';
import { listCommitsBetween } from '../state/commit-range.js';
import type { CommitInfo } from '../state/commits.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleasePayload, type ReleaseRef } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName } from '../state/environment-tag.js';
import { createPrerelease, findReleaseByTag, type ReleaseRecord } from '../state/github-release.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
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
  /** Release notes (Markdown) of what changes in the environment. */
  releaseNotes: string;
  releaseUrl: string | undefined;
  /** Gate overrides applied with `force`, and why. */
  overrides: string[];
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
  const { client, context, logger, config } = dependencies;
  const { chain, versioning } = config;
  const repository = repositoryOf(dependencies);
  const { environment } = request;
  const tagOf = (name: string) => environmentTagName(name, null, config.environmentTagPrefix);
  chain.get(environment);
  const below = chain.previous(environment)?.name;
  const overrides: string[] = [];
  const override = (why: string, refusal: string) => {
    if (!request.force) throw new UserError(refusal);
    overrides.push(why);
    logger.warning(`Gate overridden with force (${request.reason ?? ''}): ${why}`);
  };
  // 0. A freeze window of the environment, at the moment the action runs.
  const freeze = currentFreeze(
    config.freezeWindows.get(environment) ?? [],
    dependencies.now?.() ?? new Date(),
  );
  if (freeze) {
    override(
      `'${environment}' is frozen (${freeze.description})`,
      freezeRefusal(environment, 'prepare-release', freeze),
    );
  }

  // 1. The candidate commit, the gate, this commit's history here and what runs here now: one request.
  const state = await readState(
    dependencies,
    prepareSnapshotRequest(config, environment, request.ref, context.sha),
  );
  const belowTag = below ? state.tags.get(tagOf(below)) : undefined;
  const belowSha = belowTag?.sha;
  const candidate = request.ref || !below ? state.commits.get(request.ref || context.sha) : belowTag;
  if (!candidate?.commit) {
    if (request.ref) {
      throw new UserError(
        `'${request.ref}' (input 'ref') is not a commit, branch or tag of ${repository.owner}/${repository.repo}. ` +
          `Give a sha, branch or tag that exists there.`,
      );
    }
    if (below) {
      throw new UserError(
        `Nothing has been accepted in '${below}' yet, so there is no release to prepare for '${environment}'. ` +
          `Accept a release in '${below}' first (or give 'ref' with 'force: true' and a 'reason').`,
      );
    }
    throw new Error(
      `The run's commit ${context.sha} was not found in ${repository.owner}/${repository.repo}.`,
    );
  }
  const commit = candidate.commit;
  const short = commit.sha.slice(0, 7);

  // 2. The gate: only a commit accepted in the environment below.
  let belowDeployment: DeploymentRecord | undefined;
  let belowRecord: BelowRecord | undefined;
  if (below) {
    const belowState = candidate.deployments.get(below);
    belowDeployment = belowState?.deployment;
    if (belowState) {
      const { progress } = belowState;
      belowRecord = {
        environment: below,
        deploymentId: belowState.deployment.id,
        verification: progress.verification,
        verificationDescription: progress.verificationStatus?.description,
        verifiedAt: progress.verificationStatus?.createdAt,
        acceptedDescription: progress.accepted?.description,
        acceptedAt: progress.accepted?.createdAt,
      };
    }
    const accepted = commit.sha === belowSha || belowState?.progress.accepted !== undefined;
    if (!accepted) {
      override(
        `commit ${short} was not accepted in ${below}`,
        `Commit ${short} was never accepted in '${below}', so it cannot be prepared for '${environment}'. ` +
          `Promote what '${below}' accepted (leave 'ref' empty)` +
          (belowSha ? `, currently ${belowSha.slice(0, 7)}` : '') +
          `, or override the gate with 'force: true' and a 'reason'.`,
      );
    }
  }

  // 3. This commit's own history here: a re-run of this run, or a rollback that bars it.
  const earlierState = candidate.deployments.get(environment);
  const earlier = earlierState?.deployment;
  const resumedDeployment =
    earlier?.release?.kind === 'release' && earlier.release.run.id === context.runId ? earlier : undefined;
  const earlierProgress = earlierState?.progress;
  if (earlierProgress?.rolledBack && !resumedDeployment) {
    override(
      `commit ${short} was rolled back in ${environment}`,
      `Commit ${short} was rolled back in '${environment}' (${earlierProgress.rolledBack.description}). ` +
        `Prepare a newer commit, or set 'force: true' with a 'reason' to release it there again.`,
    );
  }

  // 4. The release running in the environment now.
  const here = state.tags.get(tagOf(environment));
  const previousSha = here?.sha;
  const previousDeployment =
    previousSha === commit.sha ? earlier : here?.deployments.get(environment)?.deployment;
  const previous: ReleaseRef | undefined = previousSha
    ? { sha: previousSha, version: previousDeployment?.release?.version ?? null }
    : undefined;

  // 5. What changes, and the version.
  const range =
    previousSha === undefined
      ? { commits: [commit], total: 1, truncated: false }
      : previousSha === commit.sha
        ? { commits: [], total: 0, truncated: false }
        : await listCommitsBetween(client, repository, previousSha, commit.sha);
  const versioned = chain.indexOf(environment) >= chain.indexOf(versioning.startsAt);
  let chosen: NextVersion | undefined;
  let versionIsNew = false;
  if (versioned) {
    const carried =
      resumedDeployment?.release?.version ?? belowDeployment?.release?.version ?? earlier?.release?.version;
    if (carried && !request.version && !request.bump) {
      chosen = { version: carried, bump: 'explicit', reason: `carried with commit ${short}` };
    } else {
      const last = lastVersionHandedOut(state.recent.get(versioning.startsAt) ?? []);
      const since =
        last?.sha === previousSha
          ? range
          : await listCommitsBetween(client, repository, last?.sha, commit.sha);
      chosen = nextVersion({
        previous: last?.version ?? undefined,
        initial: versioning.initial,
        messages: since.commits.map((change) => change.message),
        ...(request.bump ? { bump: request.bump } : {}),
        ...(request.version ? { explicit: request.version } : {}),
      });
      versionIsNew = true;
    }
  } else if (request.version || request.bump) {
    throw new UserError(
      `'${environment}' is not versioned: versions start at '${versioning.startsAt}' (versioning.starts-at). ` +
        `Remove 'version'/'bump', or prepare the release for '${versioning.startsAt}'.`,
    );
  }
  const version = chosen?.version;
  const tag = version ? versionTag(version, versioning.tagPrefix) : undefined;
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
    `Preparing ${version ?? short} for ${environment}` +
      (previous
        ? ` (now running ${previous.version ?? previous.sha.slice(0, 7)}; ${range.total} commit(s) change).`
        : '.'),
  );

  const prepared: PreparedRelease = {
    environment,
    belowEnvironment: below,
    nextEnvironment: chain.next(environment)?.name,
    commit,
    version,
    versionReason: chosen?.reason,
    tag,
    deploymentId: resumedDeployment?.id,
    previous,
    changes: range.commits,
    totalChanges: range.total,
    releaseNotes,
    releaseUrl: undefined,
    overrides,
    belowRecord,
    superseded: undefined,
    resumed: resumedDeployment !== undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) {
    if (tag) prepared.releaseUrl = (await findReleaseByTag(client, repository, tag))?.url;
    return prepared;
  }

  // 6. Writes: retire a release prepared before and never deployed, then tag, release and deployment.
  prepared.superseded = await supersedeUndeployed(
    dependencies,
    state.recent.get(environment) ?? [],
    resumedDeployment?.id,
  );
  let release: ReleaseRecord | undefined;
  if (tag && version) {
    if (versionIsNew) {
      await createVersionTag(client, repository, {
        tag,
        sha: commit.sha,
        message: `Release ${version}\n\n${chosen?.reason ?? ''}`.trim(),
        tagger: {
          name: 'github-actions[bot]',
          email: '41898282+github-actions[bot]@users.noreply.github.com',
        },
      });
      release = await createPrerelease(client, repository, {
        tag,
        sha: commit.sha,
        name: tag,
        body: releaseNotes,
      });
    } else {
      release = await findReleaseByTag(client, repository, tag);
    }
    prepared.releaseUrl = release?.url;
  }
  if (!resumedDeployment) {
    const record: ReleasePayload = {
      schema: PAYLOAD_SCHEMA_VERSION,
      kind: 'release',
      component: null,
      environment,
      sha: commit.sha,
      version: version ?? null,
      previous: previous ?? null,
      run: { id: context.runId, attempt: context.runAttempt, url: prepared.runUrl },
      actor: context.actor,
      forced: overrides.length > 0 ? { reason: `${request.reason ?? ''} (${overrides.join('; ')})` } : null,
      rollback: null,
    };
    const deployment = await createReleaseDeployment(client, repository, {
      record,
      description: `Release ${version ?? short} prepared by run ${context.runId}`,
      productionEnvironment: chain.isLast(environment),
    });
    prepared.deploymentId = deployment.id;
  }
  if (!resumedDeployment || earlierProgress?.latest === undefined) {
    await setDeploymentState(client, repository, prepared.deploymentId as number, {
      state: STEP_MARKERS.prepared.state,
      description: `${STEP_MARKERS.prepared.prefix} ${version ?? short} by run ${context.runId}; waiting to be deployed`,
      logUrl: prepared.runUrl,
    });
  }
  logger.info(`Deployment ${prepared.deploymentId} is queued for ${environment}.`);
  return prepared;
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
  const tagOf = (name: string) => environmentTagName(name, null, config.environmentTagPrefix);
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
