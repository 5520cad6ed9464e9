import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { ConflictError, RefWriteRefusedError, UserError } from '../errors.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleaseRef } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState, type DeploymentRecord } from '../state/deployments.js';
import { environmentTagName, swapTag } from '../state/environment-tag.js';
import { withProgress } from '../state/release-lookup.js';
import { planRollback, type RollbackPlan } from './rollback-plan.js';
import { retireReplacedDeployments } from './retire-replaced.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

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

/**
 * Puts an environment back on its last good release. When the newest deployment there was deployed but never
 * accepted (its verification failed), the last good release is the one accepted there (the environment tag);
 * otherwise it is the release before the accepted one. `to` names another release accepted there before.
 * Creates a deployment marked as a rollback, runs the redeploy command if given, moves the environment tag
 * back, retires the deployment still shown active, and marks the bad release's deployment "Rolled back" so
 * prepare-release refuses it there without `force`. When GitHub refuses the tag move (e.g. the token lacks the
 * `workflows` permission), the redeploy is recorded and the error says so; a re-run completes the rest.
 */
export async function rollbackEnvironment(
  dependencies: UseCaseDependencies,
  asked: RollbackRequest,
): Promise<RollbackResult> {
  // GitHub environment names ignore case: from here on, the chain's spelling (which tags use).
  const request = { ...asked, environment: dependencies.config.chain.get(asked.environment).name };
  const { client, context, logger } = dependencies;
  const repository = repositoryOf(dependencies);
  const plan = await planRollback(dependencies, request);
  const { rolledBack, badDeployment, target, resumed } = plan;
  const result: RollbackResult = {
    environment: request.environment,
    target,
    rolledBack,
    reason: request.reason,
    deploymentId: undefined,
    rolledBackDeploymentId: badDeployment?.id,
    command: undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) return result;

  const deployment: DeploymentRecord =
    resumed?.deployment ?? (await createRollbackDeployment(dependencies, request, plan, result.runUrl));
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
  if (redeploy && !(await runRedeploy(dependencies, request, target, deployment, result))) return result;
  await moveTagBack(dependencies, request, plan, deployment, redeploy === true);
  if (done !== 'accepted') {
    await retireReplacedDeployments(
      dependencies,
      plan.known,
      deployment,
      badDeployment ? [badDeployment.id] : [],
    );
    await setDeploymentState(client, repository, deployment.id, {
      state: STEP_MARKERS.accepted.state,
      description: `${STEP_MARKERS.accepted.prefix} as rollback from ${label(rolledBack)}: ${request.reason}`,
      logUrl: result.runUrl,
      ...(dependencies.config.chain.get(request.environment).url
        ? { environmentUrl: dependencies.config.chain.get(request.environment).url }
        : {}),
    });
  }
  const alreadyMarked =
    resumed && badDeployment
      ? (await withProgress(client, repository, badDeployment)).progress.rolledBack
      : undefined;
  if (badDeployment && !alreadyMarked) {
    await setDeploymentState(client, repository, badDeployment.id, {
      state: STEP_MARKERS['rolled-back'].state,
      description: `${STEP_MARKERS['rolled-back'].prefix} to ${label(target)}: ${request.reason}`,
      logUrl: result.runUrl,
    });
  }
  logger.info(`${request.environment} is back on ${label(target)}.`);
  return result;
}

const label = (release: ReleaseRef) => release.version ?? release.sha.slice(0, 7);

/** The deployment that carries a rollback: the target's commit, marked as a rollback from the bad release. */
function createRollbackDeployment(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
  plan: RollbackPlan,
  logUrl: string,
): Promise<DeploymentRecord> {
  const { context, config } = dependencies;
  const { target, rolledBack } = plan;
  return createReleaseDeployment(dependencies.client, repositoryOf(dependencies), {
    record: {
      schema: PAYLOAD_SCHEMA_VERSION,
      kind: 'rollback',
      environment: request.environment,
      sha: target.sha,
      version: target.version,
      previous: rolledBack,
      run: { id: context.runId, attempt: context.runAttempt, url: logUrl },
      actor: context.actor,
      forced: null,
      rollback: { from: rolledBack, reason: request.reason },
    },
    description: `Rollback from ${label(rolledBack)} to ${label(target)}`,
    productionEnvironment: config.chain.isLast(request.environment),
  });
}

/** Runs the redeploy command; on failure records it and returns false (the tag stays where it is). */
async function runRedeploy(
  dependencies: UseCaseDependencies,
  request: RollbackRequest,
  target: ReleaseRef,
  deployment: DeploymentRecord,
  result: RollbackResult,
): Promise<boolean> {
  const { client, logger } = dependencies;
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
  request: RollbackRequest,
  plan: RollbackPlan,
  deployment: DeploymentRecord,
  redeployed: boolean,
): Promise<void> {
  const { client, context, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const environmentTag = environmentTagName(request.environment, config.environmentTagPrefix);
  const { currentSha, target, repositoryId, resumed } = plan;
  let swap;
  try {
    swap = await swapTag(client, repository, environmentTag, currentSha, target.sha, {
      repositoryId,
      current: currentSha,
    });
  } catch (error) {
    if (!(error instanceof RefWriteRefusedError)) throw error;
    throw await tagNotMoved(dependencies, request, plan, deployment, redeployed, error);
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
  request: RollbackRequest,
  plan: RollbackPlan,
  deployment: DeploymentRecord,
  redeployed: boolean,
  refusal: RefWriteRefusedError,
): Promise<UserError> {
  const tag = environmentTagName(request.environment, dependencies.config.environmentTagPrefix);
  if (redeployed) {
    await retireReplacedDeployments(dependencies, plan.known, deployment);
    await setDeploymentState(dependencies.client, repositoryOf(dependencies), deployment.id, {
      state: STEP_MARKERS.deployed.state,
      description: `${STEP_MARKERS.deployed.prefix} rollback to ${label(plan.target)}; tag ${tag} not moved yet`,
      logUrl: runUrl(dependencies.context),
    });
  }
  const what = redeployed
    ? `redeployed ${label(plan.target)} in '${request.environment}' (deployment ${deployment.id})`
    : `recorded the rollback of '${request.environment}' to ${label(plan.target)} (deployment ${deployment.id})`;
  return new UserError(
    `The rollback ${what}, but GitHub refused to move the environment tag ${tag} back to ` +
      `${plan.target.sha.slice(0, 7)}, so the rollback is not complete. ${refusal.message} ` +
      `That re-run completes the rollback` +
      (redeployed ? ' without redeploying.' : '.'),
    { cause: refusal, ...(refusal.hint ? { hint: refusal.hint } : {}) },
  );
}
