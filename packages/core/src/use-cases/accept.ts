import { ConflictError, UserError } from '../errors.js';
import { freezeOverrideNote } from '../chain/freeze-windows.js';
import { enforceFreeze } from './freeze-gate.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { DEPLOYMENT_TASK } from '../state/deployment-payload.js';
import { environmentTagName, swapTag } from '../state/environment-tag.js';
import { findReleaseByTag, updateRelease, type ReleaseRecord } from '../state/github-release.js';
import type { ReleasePayload } from '../state/deployment-payload.js';
import {
  latestDeploymentOf,
  resolveTargetDeployment,
  runDeploymentSearch,
  sameEnvironment,
  type DeploymentWithProgress,
} from '../state/release-lookup.js';
import type { EnvironmentConfig } from '../chain/environment-chain.js';
import {
  deploymentStandingRefusal,
  verificationDecision,
  type VerificationDecision,
} from './deployment-preconditions.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { listRunApprovals, type RunApproval } from '../state/run-approvals.js';
import { withPromotionLine } from '../release/release-body.js';
import { versionTag } from '../release/versioning.js';
import { text } from '../report/markdown.js';
import { readState, repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** Where accept looks for the approval. */
export const APPROVAL_SOURCES = ['run', 'none'] as const;
export type ApprovalSource = (typeof APPROVAL_SOURCES)[number];

/** What accept is asked to do. */
export interface AcceptRequest {
  environment: string;
  deploymentId: number | undefined;
  /** `run`: read the run's environment reviews; `none`: do not (refused where an approval is required). */
  approval: ApprovalSource;
  /** Accept during a freeze window of the environment; requires `reason`, recorded on the deployment. */
  force?: boolean;
  reason?: string | undefined;
  dryRun: boolean;
}

/** What accept did. */
export interface AcceptResult {
  environment: string;
  deployment: DeploymentRecord;
  sha: string;
  version: string | undefined;
  nextEnvironment: string | undefined;
  /** Who approved the environment in this run (approved reviews only). */
  approvals: RunApproval[];
  /** Who prepared the release. */
  preparedBy: string;
  /** The commit the environment ran before. */
  replacedSha: string | undefined;
  releaseUrl: string | undefined;
  /** Whether the GitHub Release was made final and latest (last environment). */
  releaseFinal: boolean;
  /** The freeze window overridden with `force`, and the reason given; undefined when none was. */
  freezeOverride: string | undefined;
  /** What was missing of verification when `force` accepted without a passed one; undefined when nothing was. */
  verificationOverride: string | undefined;
  /** The `reason` given with `force`; undefined without `force`. */
  reason: string | undefined;
  runUrl: string;
  dryRun: boolean;
}

/** How many of the newest GitHub Releases accept reads to find the release's own among them. */
export const ACCEPT_RELEASES_READ = 20;

/**
 * What accept reads in one request: the environment's newest deployments (where this run's release, or the one
 * `deployment-id` names, is, with its statuses and any newer release that superseded it), the environment tag
 * with the repository id for the swap, and the newest GitHub Releases (where the release's own is).
 */
export function acceptSnapshotRequest(config: PromotionConfig, environment: string): SnapshotRequest {
  return {
    recent: [runDeploymentSearch(environment)],
    tags: [{ tag: environmentTagName(environment, config.environmentTagPrefix), deploymentsIn: [] }],
    releases: ACCEPT_RELEASES_READ,
  };
}

/**
 * Accepts a release in an environment: refuses unless its deployment succeeded and still runs there (no newer
 * release was deployed since), its verification did not fail and passed where the environment configures
 * checks (or `force` overrides the missing one), and a required approval is recorded in the run (by someone
 * other than the preparer where `prevent-self-approval` is set). Then moves the environment tag to the commit,
 * marks the deployment accepted, records the approvers, and updates the GitHub Release (final and latest in the
 * last environment).
 */
export async function acceptRelease(
  dependencies: UseCaseDependencies,
  asked: AcceptRequest,
): Promise<AcceptResult> {
  // GitHub environment names ignore case: from here on, the chain's spelling (which tags use).
  const request = { ...asked, environment: dependencies.config.chain.get(asked.environment).name };
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { chain } = config;
  const settings = chain.get(request.environment);
  // A freeze window, at the moment the action runs: refused before anything is read or written.
  const freeze = enforceFreeze(dependencies, 'accept', request);
  const environmentTag = environmentTagName(request.environment, config.environmentTagPrefix);
  const state = await readState(dependencies, acceptSnapshotRequest(config, request.environment));
  const recent = state.recent.get(request.environment) ?? [];
  const { deployment, progress } = await resolveTargetDeployment(
    client,
    repository,
    context,
    { environment: request.environment, deploymentId: request.deploymentId },
    recent,
  );
  const release = deployment.release;
  if (!release) throw new Error(`Deployment ${deployment.id} carries no release record.`);
  const verification = checkDeploymentAcceptable(dependencies, request, { deployment, progress }, recent);
  const approvals = await readApprovals(dependencies, request);
  const approvalProblem = approvalRefusal(
    request.environment,
    settings,
    approvals,
    release.actor,
    context.runId,
  );
  if (approvalProblem) throw new UserError(approvalProblem);

  const result: AcceptResult = {
    environment: request.environment,
    deployment,
    sha: release.sha,
    version: release.version ?? undefined,
    nextEnvironment: chain.next(request.environment)?.name,
    approvals,
    preparedBy: release.actor,
    replacedSha: release.previous?.sha,
    releaseUrl: undefined,
    releaseFinal: false,
    freezeOverride: freeze ? `${freeze.description}: ${request.reason ?? ''}` : undefined,
    verificationOverride: verification.override,
    reason: request.force ? request.reason : undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) return result;

  // Compare-and-swap from the release this one was prepared against: if another run accepted something here
  // since, this accept is refused and changes nothing. A refusal by GitHub itself (permissions, rulesets)
  // throws before the deployment is marked accepted, so no deployment says accepted while its tag did not move.
  const swap = await swapTag(client, repository, environmentTag, release.previous?.sha, release.sha, {
    repositoryId: state.repositoryId,
    current: state.tags.get(environmentTag)?.sha,
  });
  if (!swap.swapped) {
    throw await raceLost(dependencies, request.environment, release.sha, swap.current);
  }
  result.replacedSha = swap.before;
  // A re-run after the status was written adds nothing; one that failed before completes it.
  if (progress.lastStep !== 'accepted') {
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.accepted.state,
      description: acceptedDescription(context.actor, release.actor, approvals, {
        freeze: freeze ? request.reason : undefined,
        verification: verification.override ? request.reason : undefined,
      }),
      logUrl: result.runUrl,
      ...(settings.url ? { environmentUrl: settings.url } : {}),
    });
  }
  await recordOnRelease(dependencies, request.environment, release, approvals, state.releases, result);
  logger.info(`Accepted ${release.version ?? release.sha.slice(0, 7)} in ${request.environment}.`);
  return result;
}

/**
 * accept's rules on the deployment itself: it deployed and still runs there, and its verification did not fail
 * and passed where the environment configures checks (or `force` overrides the missing one: returned, to
 * record). Throws the refusal.
 */
function checkDeploymentAcceptable(
  dependencies: UseCaseDependencies,
  request: AcceptRequest,
  target: DeploymentWithProgress,
  recent: readonly DeploymentWithProgress[],
): VerificationDecision {
  const { config, logger } = dependencies;
  const standing = deploymentStandingRefusal('accept', request.environment, target, recent);
  if (standing) throw new UserError(standing);
  const verification = verificationDecision({
    environment: request.environment,
    deployment: target.deployment,
    progress: target.progress,
    requiredBy: config.chain.get(request.environment).verify?.length
      ? `environments.${request.environment}.verify in ${config.source}`
      : undefined,
    force: request.force === true,
  });
  if (verification.refusal) throw new UserError(verification.refusal);
  if (verification.override) {
    logger.warning(`Verification overridden with force (${request.reason ?? ''}): ${verification.override}.`);
  }
  return verification;
}

/** Who approved the environment in this run (approved reviews only); none read with `approval: none`. */
async function readApprovals(
  dependencies: UseCaseDependencies,
  request: AcceptRequest,
): Promise<RunApproval[]> {
  if (request.approval !== 'run') return [];
  const reviews = await listRunApprovals(
    dependencies.client,
    repositoryOf(dependencies),
    dependencies.context.runId,
  );
  // Reviews carry the GitHub environment's own spelling, which may differ in case from the chain's.
  return reviews.filter(
    (review) =>
      review.state === 'approved' &&
      review.environments.some((environment) => sameEnvironment(environment, request.environment)),
  );
}

/** Why the approvals recorded do not meet the environment's `approval` rules, or undefined when they do. */
export function approvalRefusal(
  environment: string,
  settings: Pick<EnvironmentConfig, 'approval' | 'preventSelfApproval'>,
  approvals: readonly RunApproval[],
  preparer: string,
  runId: number,
): string | undefined {
  if (settings.approval === 'required' && approvals.length === 0) {
    return (
      `'${environment}' requires an approval (approval: required), and none is recorded for it in run ` +
      `${runId}. Run accept in a job with 'environment: ${environment}' whose environment has ` +
      `required reviewers, and keep 'approval: run'.`
    );
  }
  if (settings.preventSelfApproval && approvals.length > 0 && approvals.every((a) => a.user === preparer)) {
    return (
      `'${environment}' forbids self-approval (prevent-self-approval), and the only approval is by ` +
      `${preparer}, who prepared this release. Another required reviewer must approve the run.`
    );
  }
  return undefined;
}

/**
 * The Accepted status: who accepted, the overrides with their reason, who prepared, who approved and what they
 * said (140 characters: comments come last, so a long one is what gets cut).
 */
function acceptedDescription(
  actor: string,
  preparer: string,
  approvals: readonly RunApproval[],
  overridden: { freeze: string | undefined; verification: string | undefined },
): string {
  const approvedBy = approvals
    .map((approval) => approval.user + (approval.comment ? ` ("${oneLine(approval.comment)}")` : ''))
    .join(', ');
  const notes =
    (overridden.freeze !== undefined ? freezeOverrideNote(overridden.freeze) : '') +
    (overridden.verification !== undefined ? verificationOverrideNote(overridden.verification) : '');
  return (
    `${STEP_MARKERS.accepted.prefix} by ${actor}${notes}; prepared by ${preparer}` +
    (approvedBy ? `; approved by ${approvedBy}` : '')
  );
}

/** The note an Accepted status carries when `force` accepted without a passed verification. */
function verificationOverrideNote(reason: string): string {
  return `; unverified, forced: ${oneLine(reason) || 'no reason given'}`;
}

/**
 * Adds the promotion line to the GitHub Release of the version (found among the newest releases the snapshot
 * read; by tag only when it is older than those), and makes it final and latest in the last environment.
 */
async function recordOnRelease(
  dependencies: UseCaseDependencies,
  environment: string,
  release: ReleasePayload,
  approvals: readonly RunApproval[],
  newestReleases: readonly ReleaseRecord[],
  result: AcceptResult,
): Promise<void> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  if (!release.version) return;
  const tag = versionTag(release.version, config.versioning.tagPrefix);
  const githubRelease =
    newestReleases.find((candidate) => candidate.tag === tag) ??
    (await findReleaseByTag(client, repository, tag));
  if (!githubRelease) {
    logger.warning(
      `No GitHub Release for ${tag}; prepare-release creates it in '${config.versioning.startsAt}'.`,
    );
    return;
  }
  const isLast = config.chain.isLast(environment);
  const approvedInBody = approvals
    .map(
      (approval) => text(approval.user) + (approval.comment ? `: “${text(oneLine(approval.comment))}”` : ''),
    )
    .join('; ');
  const line =
    `- Accepted in **${text(environment)}** by ${text(context.actor)} (run ${context.runId}); ` +
    `prepared by ${text(release.actor)}` +
    (approvedInBody ? `; approved by ${approvedInBody}` : '');
  const body = withPromotionLine(githubRelease.body, line);
  const changed = body !== githubRelease.body || (isLast && githubRelease.prerelease);
  const updated = changed
    ? await updateRelease(client, repository, githubRelease, { body, final: isLast })
    : githubRelease;
  result.releaseUrl = updated.url;
  result.releaseFinal = isLast;
}

/** A reviewer's comment on one line (statuses and list items hold one). */
function oneLine(comment: string): string {
  return comment.replace(/\s+/g, ' ').trim();
}

/** The error of an accept whose environment tag moved since the release was prepared. */
async function raceLost(
  dependencies: UseCaseDependencies,
  environment: string,
  sha: string,
  current: string | undefined,
): Promise<ConflictError> {
  const winner = current
    ? await latestDeploymentOf(
        dependencies.client,
        repositoryOf(dependencies),
        environment,
        current,
        DEPLOYMENT_TASK,
      )
    : undefined;
  const who = winner?.release
    ? ` (${winner.release.version ?? current?.slice(0, 7)}, run ${winner.release.run.id} by ${winner.release.actor})`
    : '';
  return new ConflictError(
    `Another run changed '${environment}' first: it now runs ${current ? current.slice(0, 7) : 'nothing'}${who}, ` +
      `not the release ${sha.slice(0, 7)} was prepared against. Nothing was accepted. Prepare the release again ` +
      `for '${environment}' to promote it on top of the current one.`,
  );
}
