import { ConflictError } from '../errors.js';
import { freezeOverrideNote } from '../chain/freeze-windows.js';
import { freezeAdmission, freezeOverride } from '../rules/freeze-gate.js';
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
import { approvalRefusal } from '../rules/approval.js';
import {
  deploymentStandingRefusal,
  verificationDecision,
  type VerificationDecision,
} from '../rules/deployment-preconditions.js';
import type { RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { listRunApprovals, type RunApproval } from '../state/run-approvals.js';
import { acceptedReleaseLine, withPromotionLine } from '../report/release-body.js';
import { versionTag } from '../release/versioning.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';
import { runUseCase, type DecisionInput, type UseCase } from './use-case.js';
import { decided, refuse, type Decided, type Refusal } from '../rules/decision.js';

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

/** What accept read: the snapshot, the deployment it accepts with its statuses, and the run's approvals. */
export interface AcceptFacts {
  snapshot: RepositorySnapshot;
  target: DeploymentWithProgress;
  approvals: RunApproval[];
}

/** What accept writes, decided before the first write. */
export interface AcceptPlan {
  result: AcceptResult;
  release: ReleasePayload;
  target: DeploymentWithProgress;
  environmentTag: string;
  repositoryId: string;
  currentTagSha: string | undefined;
  /** The Accepted status's description. */
  description: string;
  environmentUrl: string | undefined;
  newestReleases: ReleaseRecord[];
}

/**
 * accept as steps: refuses unless its deployment succeeded and still runs there (no newer release was deployed
 * since), its verification did not fail and passed where the environment configures checks (or `force`
 * overrides the missing one), and a required approval is recorded in the run (by someone other than the
 * preparer where `prevent-self-approval` is set). Then moves the environment tag to the commit, marks the
 * deployment accepted, records the approvers, and updates the GitHub Release (final and latest in the last
 * environment).
 */
export const acceptUseCase: UseCase<AcceptRequest, AcceptFacts, AcceptPlan, AcceptResult> = {
  admit: (config, request, now) => freezeAdmission(config, 'accept', request, now),
  plan: (config, request) => acceptSnapshotRequest(config, request.environment),
  gather: readAcceptFacts,
  decide: decideAccept,
  apply: applyAccept,
};

/** Accepts a release in an environment (see {@link acceptUseCase}). */
export function acceptRelease(
  dependencies: UseCaseDependencies,
  request: AcceptRequest,
): Promise<AcceptResult> {
  return runUseCase(acceptUseCase, dependencies, request);
}

/** The deployment accept is about (the run's own, or `deployment-id`'s) and the run's approvals. */
async function readAcceptFacts(
  dependencies: UseCaseDependencies,
  request: AcceptRequest,
  snapshot: RepositorySnapshot,
): Promise<AcceptFacts> {
  const recent = snapshot.recent.get(request.environment) ?? [];
  const target = await resolveTargetDeployment(
    dependencies.client,
    repositoryOf(dependencies),
    dependencies.context,
    { environment: request.environment, deploymentId: request.deploymentId },
    recent,
  );
  // A deployment accept refuses anyway needs no approvals read (the refusal reads nothing more, as it always did).
  const refused = deploymentRefusal(request, target, recent, dependencies.config) !== undefined;
  return { snapshot, target, approvals: refused ? [] : await readApprovals(dependencies, request) };
}

/** accept's rules (pure): the deployment's standing, its verification, the approvals, a freeze override. */
export function decideAccept({
  request,
  facts,
  config,
  context,
  now,
}: DecisionInput<AcceptRequest, AcceptFacts>): Decided<AcceptPlan> | Refusal {
  const { snapshot, target, approvals } = facts;
  const release = target.deployment.release;
  if (!release) throw new Error(`Deployment ${target.deployment.id} carries no release record.`);
  const settings = config.chain.get(request.environment);
  const refusal = acceptRefusal({ request, facts, config, context, now }, release);
  if (refusal) return refuse(refusal);
  const verification = acceptVerification(request, target, config);
  const freeze = freezeOverride(config, request, now);
  const warnings = freeze ? [freeze.warning] : [];
  if (verification.override) {
    warnings.push(`Verification overridden with force (${request.reason ?? ''}): ${verification.override}.`);
  }
  const environmentTag = environmentTagName(request.environment, config.environmentTagPrefix);
  const result: AcceptResult = {
    environment: request.environment,
    deployment: target.deployment,
    sha: release.sha,
    version: release.version ?? undefined,
    nextEnvironment: config.chain.next(request.environment)?.name,
    approvals,
    preparedBy: release.actor,
    replacedSha: release.previous?.sha,
    releaseUrl: undefined,
    releaseFinal: false,
    freezeOverride: freeze ? `${freeze.freeze.description}: ${request.reason ?? ''}` : undefined,
    verificationOverride: verification.override,
    reason: request.force ? request.reason : undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  const description = acceptedDescription(context.actor, release.actor, approvals, {
    freeze: freeze ? request.reason : undefined,
    verification: verification.override ? request.reason : undefined,
  });
  const plan: AcceptPlan = {
    result,
    release,
    target,
    environmentTag,
    repositoryId: snapshot.repositoryId,
    currentTagSha: snapshot.tags.get(environmentTag)?.sha,
    description,
    environmentUrl: settings.url,
    newestReleases: snapshot.releases,
  };
  return decided(plan, warnings);
}

/**
 * accept's preconditions, in the order they are reported: the deployment deployed and still runs there, its
 * verification did not fail (and passed where checks are configured, unless forced), the approvals meet the
 * environment's rules. The first refusal, or undefined.
 */
export function acceptRefusal(
  { request, facts, config, context }: DecisionInput<AcceptRequest, AcceptFacts>,
  release: ReleasePayload,
): string | undefined {
  const recent = facts.snapshot.recent.get(request.environment) ?? [];
  return (
    deploymentRefusal(request, facts.target, recent, config) ??
    approvalRefusal(
      request.environment,
      config.chain.get(request.environment),
      facts.approvals,
      release.actor,
      context.runId,
    )
  );
}

/** accept's rules on the deployment itself: it deployed and still runs there, its verification allows it. */
function deploymentRefusal(
  request: AcceptRequest,
  target: DeploymentWithProgress,
  recent: readonly DeploymentWithProgress[],
  config: PromotionConfig,
): string | undefined {
  return (
    deploymentStandingRefusal('accept', request.environment, target, recent) ??
    acceptVerification(request, target, config).refusal
  );
}

/** accept's verification rule for `target`, with where the environment configures its checks. */
function acceptVerification(
  request: AcceptRequest,
  target: DeploymentWithProgress,
  config: PromotionConfig,
): VerificationDecision {
  return verificationDecision({
    environment: request.environment,
    deployment: target.deployment,
    progress: target.progress,
    requiredBy: verificationRequiredBy(config, request.environment),
    force: request.force === true,
  });
}

/**
 * What requires a passed verification before accept, if anything: the environment's `verify` checks, or its
 * rollout (a release rolled out in steps is accepted only once it was verified at 100%).
 */
export function verificationRequiredBy(config: PromotionConfig, environment: string): string | undefined {
  const settings = config.chain.get(environment);
  if (settings.verify?.length) return `environments.${environment}.verify in ${config.source}`;
  if (settings.rollout && settings.rollout.strategy !== 'all-at-once') {
    return `the ${settings.rollout.strategy} rollout of ${environment} in ${config.source}`;
  }
  return undefined;
}

/**
 * accept's writes: the compare-and-swap of the environment tag from the release this one was prepared against
 * (if another run accepted something here since, this accept is refused and changes nothing; a refusal by
 * GitHub itself throws before the deployment is marked accepted, so no deployment says accepted while its tag
 * did not move), the Accepted status (unless a re-run wrote it), the Release.
 */
async function applyAccept(dependencies: UseCaseDependencies, plan: AcceptPlan): Promise<AcceptResult> {
  const { client, logger } = dependencies;
  const repository = repositoryOf(dependencies);
  const { result, release, target } = plan;
  if (result.dryRun) return result;
  const swap = await swapTag(client, repository, plan.environmentTag, release.previous?.sha, release.sha, {
    repositoryId: plan.repositoryId,
    current: plan.currentTagSha,
  });
  if (!swap.swapped) throw await raceLost(dependencies, result.environment, release.sha, swap.current);
  result.replacedSha = swap.before;
  if (target.progress.lastStep !== 'accepted') {
    await setDeploymentState(client, repository, target.deployment.id, {
      state: STEP_MARKERS.accepted.state,
      description: plan.description,
      logUrl: result.runUrl,
      ...(plan.environmentUrl ? { environmentUrl: plan.environmentUrl } : {}),
    });
  }
  await recordOnRelease(
    dependencies,
    result.environment,
    release,
    result.approvals,
    plan.newestReleases,
    result,
  );
  logger.info(`Accepted ${release.version ?? release.sha.slice(0, 7)} in ${result.environment}.`);
  return result;
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
  const line = acceptedReleaseLine({
    environment,
    actor: context.actor,
    runId: context.runId,
    preparedBy: release.actor,
    approvals,
  });
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
