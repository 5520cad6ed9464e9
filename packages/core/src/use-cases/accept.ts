import { ConflictError, UserError } from '../errors.js';
import { currentFreeze, freezeOverrideNote, freezeRefusal } from '../chain/freeze-windows.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { deploymentTask, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName, swapTag } from '../state/environment-tag.js';
import { findReleaseByTag, updateRelease } from '../state/github-release.js';
import {
  latestDeploymentOf,
  resolveTargetDeployment,
  runDeploymentSearch,
  withProgress,
} from '../state/release-lookup.js';
import type { SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { listRunApprovals, type RunApproval } from '../state/run-approvals.js';
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
  runUrl: string;
  dryRun: boolean;
}

/**
 * What accept reads in one request: the environment's newest deployments (where this run's release is, with
 * its statuses) unless `deployment-id` names it, and the environment tag with the repository id for the swap.
 */
export function acceptSnapshotRequest(
  config: PromotionConfig,
  environment: string,
  deploymentId: number | undefined,
): SnapshotRequest {
  return {
    ...(deploymentId === undefined ? { recent: [runDeploymentSearch(environment)] } : {}),
    tags: [{ tag: environmentTagName(environment, null, config.environmentTagPrefix), deploymentsIn: [] }],
  };
}

/**
 * Accepts a release in an environment: refuses unless its deployment succeeded, verification (where it ran)
 * passed, and a required approval is recorded in the run (by someone other than the preparer where
 * `prevent-self-approval` is set). Then moves the environment tag to the commit, marks the deployment accepted,
 * records the approvers, and updates the GitHub Release (final and latest in the last environment).
 */
export async function acceptRelease(
  dependencies: UseCaseDependencies,
  request: AcceptRequest,
): Promise<AcceptResult> {
  const { client, context, logger, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const { chain } = config;
  const settings = chain.get(request.environment);
  // A freeze window, at the moment the action runs: refused before anything is read or written.
  const freeze = currentFreeze(
    config.freezeWindows.get(request.environment) ?? [],
    dependencies.now?.() ?? new Date(),
  );
  if (freeze && !request.force) throw new UserError(freezeRefusal(request.environment, 'accept', freeze));
  if (freeze) {
    logger.warning(
      `Freeze overridden with force (${request.reason ?? ''}): '${request.environment}' is frozen (${freeze.description}).`,
    );
  }
  const environmentTag = environmentTagName(request.environment, null, config.environmentTagPrefix);
  const state = await readState(
    dependencies,
    acceptSnapshotRequest(config, request.environment, request.deploymentId),
  );
  const target = await resolveTargetDeployment(
    client,
    repository,
    context,
    { environment: request.environment, deploymentId: request.deploymentId },
    async () => state.recent.get(request.environment) ?? [],
  );
  const { deployment } = target;
  const release = deployment.release;
  if (!release) throw new Error(`Deployment ${deployment.id} carries no release record.`);
  const progress = target.progress ?? (await withProgress(client, repository, deployment)).progress;
  if (!progress.deployed) {
    throw new UserError(
      `Deployment ${deployment.id} in '${request.environment}' has not been deployed successfully ` +
        `(its latest status is ${progress.latest ? `'${progress.latest.state}': ${progress.latest.description}` : 'none'}). ` +
        `Record a successful deployment with deploy-env first.`,
    );
  }
  if (progress.verification === 'failed') {
    throw new UserError(
      `Deployment ${deployment.id} in '${request.environment}' failed verification, so it cannot be accepted. ` +
        `Fix the release and prepare a new one, or roll back with the rollback action.`,
    );
  }

  let approvals: RunApproval[] = [];
  if (request.approval === 'run') {
    approvals = (await listRunApprovals(client, repository, context.runId)).filter(
      (review) => review.state === 'approved' && review.environments.includes(request.environment),
    );
  }
  if (settings.approval === 'required' && approvals.length === 0) {
    throw new UserError(
      `'${request.environment}' requires an approval (approval: required), and none is recorded for it in run ` +
        `${context.runId}. Run accept in a job with 'environment: ${request.environment}' whose environment has ` +
        `required reviewers, and keep 'approval: run'.`,
    );
  }
  if (
    settings.preventSelfApproval &&
    approvals.length > 0 &&
    approvals.every((a) => a.user === release.actor)
  ) {
    throw new UserError(
      `'${request.environment}' forbids self-approval (prevent-self-approval), and the only approval is by ` +
        `${release.actor}, who prepared this release. Another required reviewer must approve the run.`,
    );
  }

  const tag = release.version ? versionTag(release.version, config.versioning.tagPrefix) : undefined;
  const isLast = chain.isLast(request.environment);
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
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) return result;

  // Compare-and-swap from the release this one was prepared against: if another run accepted something here
  // since, this accept is refused and changes nothing.
  const swap = await swapTag(client, repository, environmentTag, release.previous?.sha, release.sha, {
    repositoryId: state.repositoryId,
    current: state.tags.get(environmentTag)?.sha,
  });
  if (!swap.swapped) {
    throw await raceLost(dependencies, request.environment, release.sha, swap.current);
  }
  result.replacedSha = swap.before;
  // The approval audit: who accepted, who prepared, who approved and what they said, on the deployment (140
  // characters: comments come last, so a long one is what gets cut), the Release and the summary.
  const approvedBy = approvals
    .map((approval) => approval.user + (approval.comment ? ` ("${oneLine(approval.comment)}")` : ''))
    .join(', ');
  // A re-run after the status was written adds nothing; one that failed before completes it.
  if (progress.lastStep !== 'accepted')
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.accepted.state,
      description:
        `${STEP_MARKERS.accepted.prefix} by ${context.actor}${freeze ? freezeOverrideNote(request.reason) : ''}; prepared by ${release.actor}` +
        (approvedBy ? `; approved by ${approvedBy}` : ''),
      logUrl: result.runUrl,
      ...(settings.url ? { environmentUrl: settings.url } : {}),
    });
  if (tag) {
    const githubRelease = await findReleaseByTag(client, repository, tag);
    if (githubRelease) {
      const approvedInBody = approvals
        .map(
          (approval) =>
            text(approval.user) + (approval.comment ? `: “${text(oneLine(approval.comment))}”` : ''),
        )
        .join('; ');
      const line =
        `- Accepted in **${text(request.environment)}** by ${text(context.actor)} (run ${context.runId}); ` +
        `prepared by ${text(release.actor)}` +
        (approvedInBody ? `; approved by ${approvedInBody}` : '');
      const body = withPromotionLine(githubRelease.body, line);
      const changed = body !== githubRelease.body || (isLast && githubRelease.prerelease);
      const updated = changed
        ? await updateRelease(client, repository, githubRelease, { body, final: isLast })
        : githubRelease;
      result.releaseUrl = updated.url;
      result.releaseFinal = isLast;
    } else {
      logger.warning(
        `No GitHub Release for ${tag}; prepare-release creates it in '${config.versioning.startsAt}'.`,
      );
    }
  }
  logger.info(`Accepted ${release.version ?? release.sha.slice(0, 7)} in ${request.environment}.`);
  return result;
}

const PROMOTION_HEADING = '### Promotion';

/** A reviewer's comment on one line (statuses and list items hold one). */
function oneLine(comment: string): string {
  return comment.replace(/\s+/g, ' ').trim();
}

/** Adds a line to the release body's promotion section (once: a re-run adds nothing). */
function withPromotionLine(body: string, line: string): string {
  if (body.includes(line)) return body;
  const base = body.includes(PROMOTION_HEADING)
    ? body.trimEnd()
    : `${body.trimEnd()}\n\n${PROMOTION_HEADING}`;
  return `${base}\n${line}\n`;
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
        deploymentTask(null),
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
