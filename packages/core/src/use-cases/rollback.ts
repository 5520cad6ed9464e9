import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { ConflictError, RefWriteRefusedError, UserError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { DEPLOYMENT_TASK, PAYLOAD_SCHEMA_VERSION, type ReleaseRef } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName, swapTag } from '../state/environment-tag.js';
import { latestDeploymentOf, withProgress } from '../state/release-lookup.js';
import type { RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import {
  knownDeployments,
  namedRelease,
  resumedRollback,
  rollbackTargets,
  type RollbackPlan,
} from '../rules/rollback-target.js';
import { retireReplacedDeployments } from './retire-replaced.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';
import { runUseCase, type DecisionInput, type UseCase } from './use-case.js';
import { decided, isRefusal, type Decided, type Refusal } from '../rules/decision.js';

/** What rollback is asked to do. */
export interface RollbackRequest {
  environment: string;
  /** A version or sha accepted in the environment before; default: the release before the current one. */
  to: string | undefined;
  /** Why; recorded on both deployments and in the summary. */
  reason: string;
  /** A redeploy command for the release rolled back to. */
  run: string | undefined;
  dryRun: boolean;
}

/** What rollback did. */
export interface RollbackResult {
  environment: string;
  /** The release the environment is back on. */
  target: ReleaseRef;
  /** The release taken out. */
  rolledBack: ReleaseRef;
  reason: string;
  deploymentId: number | undefined;
  /** The deployment of the release taken out, marked rolled back. */
  rolledBackDeploymentId: number | undefined;
  command: ShellCommandResult | undefined;
  runUrl: string;
  dryRun: boolean;
}

/** What rollback read: the snapshot, and the bad release's deployment when a re-run completes its rollback. */
export interface RollbackFacts {
  snapshot: RepositorySnapshot;
  /** The newest deployment here of the release a resumed rollback takes out; undefined when not resumed. */
  resumedBadDeployment: DeploymentRecord | undefined;
}

/** What rollback writes, decided before the first write. */
export interface RollbackWrites extends RollbackPlan {
  request: RollbackRequest;
  /** What rollback reports; the writes fill in the deployment and the command's result. */
  result: RollbackResult;
  /** The environment tag's name, `env/<environment>`. */
  environmentTag: string;
  /** The environment's `url`, recorded on the Accepted status. */
  environmentUrl: string | undefined;
  /** Whether the environment is the chain's last (GitHub's production flag on the deployment). */
  production: boolean;
}

/**
 * rollback as steps: puts an environment back on its last good release. When the newest deployment there was
 * deployed but never accepted (its verification failed), the last good release is the one accepted there (the
 * environment tag); otherwise it is the release before the accepted one. `to` names another release accepted
 * there before. Creates a deployment marked as a rollback, runs the redeploy command if given, moves the
 * environment tag back, retires the deployment still shown active, and marks the bad release's deployment
 * "Rolled back" so prepare-release refuses it there without `force`. When GitHub refuses the tag move (e.g. the
 * token lacks the `workflows` permission), the redeploy is recorded and the error says so; a re-run completes
 * the rest.
 */
export const rollbackUseCase: UseCase<RollbackRequest, RollbackFacts, RollbackWrites, RollbackResult> = {
  plan: (config, request) => rollbackSnapshotRequest(config, request.environment, request.to),
  gather: readRollbackFacts,
  decide: decideRollback,
  apply: applyRollback,
};

/** Rolls an environment back (see {@link rollbackUseCase}). */
export function rollbackEnvironment(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
): Promise<RollbackResult> {
  return runUseCase(rollbackUseCase, dependencies, request);
}

/**
 * When a re-run completes this run's own rollback deployment, the newest deployment here of the release it
 * takes out (one REST read); nothing otherwise.
 */
async function readRollbackFacts(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
  snapshot: RepositorySnapshot,
): Promise<RollbackFacts> {
  const { client, context, logger } = dependencies;
  const [newest] = snapshot.recent.get(request.environment) ?? [];
  const resumed = resumedRollback(newest, context.runId);
  if (!resumed) return { snapshot, resumedBadDeployment: undefined };
  logger.info(
    `Completing rollback deployment ${resumed.deployment.id}, started by an earlier attempt of this run.`,
  );
  const resumedBadDeployment = await latestDeploymentOf(
    client,
    repositoryOf(dependencies),
    request.environment,
    resumed.from.sha,
    DEPLOYMENT_TASK,
  );
  return { snapshot, resumedBadDeployment };
}

/** rollback's rules (pure): what goes back where ({@link rollbackTargets}), and the writes that follow. */
export function decideRollback({
  request,
  facts,
  config,
  context,
}: DecisionInput<RollbackRequest, RollbackFacts>): Decided<RollbackWrites> | Refusal {
  const { snapshot } = facts;
  const environmentTag = environmentTagName(request.environment, config.environmentTagPrefix);
  const targets = rollbackTargets({
    environment: request.environment,
    to: request.to,
    named: namedRelease(config, request.to),
    environmentTag,
    snapshot,
    runId: context.runId,
    resumedBadDeployment: facts.resumedBadDeployment,
    repository: repositoryOf({ context }),
  });
  if (isRefusal(targets)) return targets;
  const result: RollbackResult = {
    environment: request.environment,
    target: targets.target,
    rolledBack: targets.rolledBack,
    reason: request.reason,
    deploymentId: undefined,
    rolledBackDeploymentId: targets.badDeployment?.id,
    command: undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  return decided({
    ...targets,
    repositoryId: snapshot.repositoryId,
    known: knownDeployments(snapshot, request.environment),
    request,
    result,
    environmentTag,
    environmentUrl: config.chain.get(request.environment).url,
    production: config.chain.isLast(request.environment),
  });
}

/**
 * rollback's writes, in this order: the rollback deployment (unless an earlier attempt of this run created it)
 * and its Deploying status, the redeploy command (its failure is recorded and stops here: the tag stays), the
 * tag moved back, the replaced deployment retired and the rollback's Accepted status, the bad release's Rolled
 * back status.
 */
async function applyRollback(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
): Promise<RollbackResult> {
  const { client, context, logger } = dependencies;
  const repository = repositoryOf(dependencies);
  const { request, result, target, resumed } = writes;
  if (request.dryRun) return result;

  const deployment: DeploymentRecord =
    resumed?.deployment ?? (await createRollbackDeployment(dependencies, writes));
  result.deploymentId = deployment.id;
  const done = resumed?.progress.lastStep;
  if (done === undefined)
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.deploying.state,
      description: `${STEP_MARKERS.deploying.prefix} rollback to ${label(target)} (run ${context.runId})`,
      logUrl: result.runUrl,
    });
  // A redeploy recorded by an earlier attempt (whose tag move GitHub refused) is not run again.
  const redeploy = request.run && done !== 'accepted' && done !== 'deployed';
  if (redeploy && !(await runRedeploy(dependencies, writes, deployment))) return result;
  await moveTagBack(dependencies, writes, deployment, redeploy === true);
  if (done !== 'accepted') await recordAccepted(dependencies, writes, deployment);
  await markRolledBack(dependencies, writes);
  logger.info(`${request.environment} is back on ${label(target)}.`);
  return result;
}

const label = (release: ReleaseRef) => release.version ?? release.sha.slice(0, 7);

/** Retires the deployment still shown active (never the bad one: it is marked rolled back) and accepts the rollback. */
async function recordAccepted(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
  deployment: DeploymentRecord,
): Promise<void> {
  const { request, badDeployment, rolledBack, result, environmentUrl } = writes;
  await retireReplacedDeployments(
    dependencies,
    writes.known,
    deployment,
    badDeployment ? [badDeployment.id] : [],
  );
  await setDeploymentState(dependencies.client, repositoryOf(dependencies), deployment.id, {
    state: STEP_MARKERS.accepted.state,
    description: `${STEP_MARKERS.accepted.prefix} as rollback from ${label(rolledBack)}: ${request.reason}`,
    logUrl: result.runUrl,
    ...(environmentUrl ? { environmentUrl } : {}),
  });
}

/**
 * Marks the bad release's deployment "Rolled back" (what prepare-release refuses without `force`), unless an
 * earlier attempt of this run did: a resumed rollback reads its statuses first.
 */
async function markRolledBack(dependencies: UseCaseDependencies, writes: RollbackWrites): Promise<void> {
  const { client } = dependencies;
  const repository = repositoryOf(dependencies);
  const { badDeployment, resumed, request, target, result } = writes;
  if (!badDeployment) return;
  const alreadyMarked = resumed
    ? (await withProgress(client, repository, badDeployment)).progress.rolledBack
    : undefined;
  if (alreadyMarked) return;
  await setDeploymentState(client, repository, badDeployment.id, {
    state: STEP_MARKERS['rolled-back'].state,
    description: `${STEP_MARKERS['rolled-back'].prefix} to ${label(target)}: ${request.reason}`,
    logUrl: result.runUrl,
  });
}

/** The deployment that carries a rollback: the target's commit, marked as a rollback from the bad release. */
function createRollbackDeployment(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
): Promise<DeploymentRecord> {
  const { context } = dependencies;
  const { request, target, rolledBack, result } = writes;
  return createReleaseDeployment(dependencies.client, repositoryOf(dependencies), {
    record: {
      schema: PAYLOAD_SCHEMA_VERSION,
      kind: 'rollback',
      environment: request.environment,
      sha: target.sha,
      version: target.version,
      previous: rolledBack,
      run: { id: context.runId, attempt: context.runAttempt, url: result.runUrl },
      actor: context.actor,
      forced: null,
      rollback: { from: rolledBack, reason: request.reason },
    },
    description: `Rollback from ${label(rolledBack)} to ${label(target)}`,
    productionEnvironment: writes.production,
  });
}

/** Runs the redeploy command; on failure records it and returns false (the tag stays where it is). */
async function runRedeploy(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
  deployment: DeploymentRecord,
): Promise<boolean> {
  const { client, logger } = dependencies;
  const { request, target, result } = writes;
  logger.info(`Running the redeploy command for ${label(target)} in ${request.environment}.`);
  result.command = await runShellCommand(request.run ?? '', {
    onLine: (line) => logger.info(line),
    env: releaseVariables({
      environment: request.environment,
      sha: target.sha,
      version: target.version,
      deploymentId: deployment.id,
    }),
  });
  if (result.command.exitCode === 0) return true;
  await setDeploymentState(client, repositoryOf(dependencies), deployment.id, {
    state: STEP_MARKERS['deploy-failed'].state,
    description: `${STEP_MARKERS['deploy-failed'].prefix}: rollback command exit code ${result.command.exitCode ?? 'none'}`,
    logUrl: result.runUrl,
  });
  return false;
}

/**
 * Moves the environment tag back to the target with a compare-and-swap. Another run's change wins (this
 * rollback is abandoned); GitHub's refusal of the write (a permission, a ruleset) leaves the redeploy recorded
 * as deployed, so a re-run with a token that may move the tag completes the rollback without redeploying.
 */
async function moveTagBack(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
  deployment: DeploymentRecord,
  redeployed: boolean,
): Promise<void> {
  const { client, context } = dependencies;
  const repository = repositoryOf(dependencies);
  const { request, environmentTag, currentSha, target, repositoryId, resumed } = writes;
  let swap;
  try {
    swap = await swapTag(client, repository, environmentTag, currentSha, target.sha, {
      repositoryId,
      current: currentSha,
    });
  } catch (error) {
    if (!(error instanceof RefWriteRefusedError)) throw error;
    throw await tagNotMoved(dependencies, writes, deployment, redeployed, error);
  }
  // Another run's rollback that reached the same release first counts as a conflict too: one rollback wins.
  if (!swap.swapped || (swap.alreadyMoved && !resumed)) {
    await setDeploymentState(client, repository, deployment.id, {
      state: 'error',
      description: `Rollback abandoned: another run changed ${request.environment} first`,
      logUrl: runUrl(context),
    });
    throw new ConflictError(
      `Another run changed '${request.environment}' during this rollback: it now runs ` +
        `${swap.swapped ? target.sha.slice(0, 7) : swap.current ? swap.current.slice(0, 7) : 'nothing'}, not ` +
        `${currentSha ? currentSha.slice(0, 7) : 'nothing'}. ` +
        `The environment tag was not moved back; check what runs there and roll back again if needed.`,
    );
  }
}

/**
 * Records what a rollback whose tag move GitHub refused did (the redeploy, as deployed, retiring the
 * deployment it replaced) and returns the error that says exactly that, with GitHub's reason and the fix.
 */
async function tagNotMoved(
  dependencies: UseCaseDependencies,
  writes: RollbackWrites,
  deployment: DeploymentRecord,
  redeployed: boolean,
  refusal: RefWriteRefusedError,
): Promise<UserError> {
  const { request, environmentTag: tag, target } = writes;
  if (redeployed) {
    await retireReplacedDeployments(dependencies, writes.known, deployment);
    await setDeploymentState(dependencies.client, repositoryOf(dependencies), deployment.id, {
      state: STEP_MARKERS.deployed.state,
      description: `${STEP_MARKERS.deployed.prefix} rollback to ${label(target)}; tag ${tag} not moved yet`,
      logUrl: runUrl(dependencies.context),
    });
  }
  const what = redeployed
    ? `redeployed ${label(target)} in '${request.environment}' (deployment ${deployment.id})`
    : `recorded the rollback of '${request.environment}' to ${label(target)} (deployment ${deployment.id})`;
  return new UserError(
    `The rollback ${what}, but GitHub refused to move the environment tag ${tag} back to ` +
      `${target.sha.slice(0, 7)}, so the rollback is not complete. ${refusal.message} ` +
      `That re-run completes the rollback` +
      (redeployed ? ' without redeploying.' : '.'),
    { cause: refusal, ...(refusal.hint ? { hint: refusal.hint } : {}) },
  );
}

/** Deployments read to find the environment's newest one of the suite among others (e.g. GitHub's own). */
const NEWEST_DEPLOYMENTS = 5;

/**
 * What a rollback reads in one request: the environment tag with its commit's deployment there, the
 * environment's newest deployments, and the release `to` names (its tag or commit, with its deployment there).
 */
export function rollbackSnapshotRequest(
  config: PromotionConfig,
  environment: string,
  to: string | undefined,
): SnapshotRequest {
  const wanted = namedRelease(config, to);
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
