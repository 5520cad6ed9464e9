import { releaseVariables, runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import { freezeOverrideNote } from '../chain/freeze-windows.js';
import { runUrl } from '../run-context.js';
import { STEP_MARKERS, type ReleaseProgress, type ReleaseStep } from '../state/deployment-markers.js';
import {
  setDeploymentStateOnce,
  statusDescription,
  type DeploymentRecord,
  type DeploymentState,
} from '../state/deployments.js';
import { retireReplacedDeployments } from './retire-replaced.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { missingHeaderVariables, missingHeaderVariablesError } from '../checks/header-variables.js';
import { freezeAdmission, freezeOverride } from '../rules/freeze-gate.js';
import { targetDeploymentReads, type TargetDeployment } from './target-deployment.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';
import { runUseCase, type DecisionInput, type UseCase } from './use-case.js';
import { decided, isRefusal, refuse, type Decided, type Refusal } from '../rules/decision.js';
import type { RolloutOutcome } from '../rollout/run-rollout.js';
import {
  carryOutRollout,
  planRollout,
  rolloutFailureLine,
  rolloutFailureStatus,
  type RolloutPlan,
} from './deploy-rollout.js';
import { stepName } from '../rollout/rollout-steps.js';

/** The statuses deploy-env records by itself. */
export const DEPLOY_STATUSES = ['in_progress', 'success', 'failure'] as const;
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

/** What deploy-env is asked to do. */
export interface DeployEnvironmentRequest {
  environment: string;
  /** The deployment to record; default: the release prepared for the environment in this run. */
  deploymentId: number | undefined;
  /** The status to record (ignored when `run` is given). */
  status: DeployStatus | undefined;
  /** A deploy command whose exit code decides the outcome (run once per step of the environment's rollout). */
  run: string | undefined;
  /** The command that undoes a failed rollout's steps; default: `run`, with `RELEASE_ACTION=rollback`. */
  rollbackRun?: string | undefined;
  /** Where the release can be reached; default: the environment's `url` in the configuration. */
  environmentUrl: string | undefined;
  /** Deploy during a freeze window of the environment; requires `reason`, recorded on the statuses written. */
  force?: boolean;
  reason?: string | undefined;
  dryRun: boolean;
}

/** What deploy-env recorded. */
export interface DeployEnvironmentResult {
  environment: string;
  deployment: DeploymentRecord;
  /** The last status recorded (or that would be, in a dry run). */
  status: DeployStatus;
  environmentUrl: string | undefined;
  command: ShellCommandResult | undefined;
  /** The rollout's steps and how it ended, when the environment has one (not all-at-once) and `run` ran it. */
  rollout?: RolloutOutcome;
  /** The rollout planned (its strategy and steps), shown in a dry run too. */
  rolloutPlan?: Pick<RolloutPlan, 'steps' | 'start'> & { strategy: string };
  /** The deployments marked inactive because this one replaced them (one at most, normally). */
  replaced: number[];
  /** The freeze window overridden with `force`, and the reason given; undefined when none was. */
  freezeOverride: string | undefined;
  runUrl: string;
  dryRun: boolean;
}

const STEP_OF_STATUS: Record<DeployStatus, ReleaseStep> = {
  in_progress: 'deploying',
  success: 'deployed',
  failure: 'deploy-failed',
};

/** The deployment deploy-env records, as its snapshot shows it. */
export interface DeployEnvironmentFacts {
  target: TargetDeployment;
}

/** What deploy-env writes, decided before the first write. */
export interface DeployEnvironmentPlan {
  result: DeployEnvironmentResult;
  target: TargetDeployment;
  /** The deploy command, when the step runs one. */
  run: string | undefined;
  /** What the statuses end with: the freeze override's note, when one was overridden. */
  note: string;
  /** The environment's rollout, when `run` rolls it out in steps. */
  rollout: RolloutPlan | undefined;
}

/** The refusal of a step that asks for nothing to record. */
export const DEPLOY_NOTHING_ASKED =
  "deploy-env needs either 'status' (in_progress, success or failure) or 'run' (a deploy command). Set one of them.";

/**
 * deploy-env as steps: records a deployment's progress, `in_progress` with the run's log URL, then `success`
 * (with the environment URL; the release it replaces is marked inactive just before) or `failure`. With `run`,
 * runs the deploy command between the two and records its outcome. During a freeze window of the environment it
 * refuses to start a deployment (`run`, `in_progress`, or `success` of one not recorded as deploying) unless
 * `force` + `reason`; the outcome of a deployment that began before the freeze (and any `failure`) is still
 * recorded.
 */
export const deployEnvironmentUseCase: UseCase<
  DeployEnvironmentRequest,
  DeployEnvironmentFacts,
  DeployEnvironmentPlan,
  DeployEnvironmentResult
> = {
  admit: admitDeployment,
  ...targetDeploymentReads,
  decide: decideDeployment,
  apply: applyDeployment,
};

/** Records a deployment's progress in an environment (see {@link deployEnvironmentUseCase}). */
export function deployEnvironment(
  dependencies: UseCaseDependencies,
  request: DeployEnvironmentRequest,
): Promise<DeployEnvironmentResult> {
  return runUseCase(deployEnvironmentUseCase, dependencies, request);
}

/**
 * deploy-env's rules before anything is read (pure): something to record is asked, and a step that starts a
 * deployment whatever the deployment's state (`run`, `in_progress`) is refused inside a freeze window unless
 * forced. A `success` depends on whether the deployment is recorded as deploying: {@link decideDeployment}.
 */
export function admitDeployment(
  config: PromotionConfig,
  request: DeployEnvironmentRequest,
  now: Date,
): Refusal | undefined {
  if (!request.run && !request.status) return refuse(DEPLOY_NOTHING_ASKED);
  if (!startsDeploymentWhateverItsState(request)) return undefined;
  return freezeAdmission(config, 'deploy-env', request, now);
}

/**
 * deploy-env's rules once the deployment is read (pure): the freeze rule for a step that starts it (refused
 * unless forced; the override logged and noted on the statuses), and what the result will say.
 */
export function decideDeployment({
  request,
  facts,
  config,
  context,
  now,
}: DecisionInput<DeployEnvironmentRequest, DeployEnvironmentFacts>):
  Decided<DeployEnvironmentPlan> | Refusal {
  const { target } = facts;
  const starts = startsDeployment(request, target.progress);
  const refusal = starts ? freezeAdmission(config, 'deploy-env', request, now) : undefined;
  if (refusal) return refusal;
  const freeze = starts ? freezeOverride(config, request, now) : undefined;
  const result: DeployEnvironmentResult = {
    environment: request.environment,
    deployment: target.deployment,
    status: request.run ? 'success' : (request.status as DeployStatus),
    environmentUrl: request.environmentUrl || config.chain.get(request.environment).url,
    command: undefined,
    replaced: [],
    freezeOverride: freeze ? `${freeze.freeze.description}: ${request.reason ?? ''}` : undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  const note = freeze ? freezeOverrideNote(request.reason) : '';
  const rollout = request.run
    ? planRollout(
        config,
        { environment: request.environment, run: request.run, rollbackRun: request.rollbackRun },
        target,
        now.getTime(),
      )
    : undefined;
  if (rollout && isRefusal(rollout)) return rollout;
  if (rollout) {
    result.rolloutPlan = { strategy: rollout.rollout.strategy, steps: rollout.steps, start: rollout.start };
  }
  const warnings = [...(freeze ? [freeze.warning] : []), ...rolloutInputWarnings(config, request)];
  return decided({ result, target, run: request.run, note, rollout }, warnings);
}

/** Warnings about inputs a rollout reads: a status given where a rollout needs `run`, a `rollback-run` never used. */
function rolloutInputWarnings(config: PromotionConfig, request: DeployEnvironmentRequest): string[] {
  const rollout = config.chain.get(request.environment).rollout;
  if (request.rollbackRun && !request.run) {
    return [
      "'rollback-run' is used only when a rollout run by 'run' fails; this step gives no 'run', so it is ignored.",
    ];
  }
  if (request.rollbackRun && (!rollout || rollout.strategy === 'all-at-once')) {
    return [
      `'rollback-run' is used only when a rollout fails, and '${request.environment}' deploys all at once: it is ignored.`,
    ];
  }
  if (request.run || !rollout || rollout.strategy === 'all-at-once') return [];
  return [
    `'${request.environment}' has a ${rollout.strategy} rollout, which deploy-env carries out only with 'run' ` +
      '(the deploy command, run once per step). This step records the status it was given.',
  ];
}

/**
 * deploy-env's writes: the status asked for; or, with `run`, `in_progress`, the deploy command (not in a dry
 * run), then `success` or `failure` by its exit code.
 */
async function applyDeployment(
  dependencies: UseCaseDependencies,
  plan: DeployEnvironmentPlan,
): Promise<DeployEnvironmentResult> {
  const { logger } = dependencies;
  const { result, target, run, note } = plan;
  const { deployment } = target;
  const record = (status: DeployStatus, detail = '') =>
    recordStatus(dependencies, target, result, status, detail + note);
  if (!run) {
    await record(result.status);
    return result;
  }
  if (plan.rollout) return applyRollout(dependencies, plan, plan.rollout);
  await record('in_progress');
  if (result.dryRun) {
    logger.info(`Dry run: the deploy command is not run.`);
    return result;
  }
  logger.info(`Running the deploy command for ${labelOf(deployment)} in ${result.environment}.`);
  result.command = await runShellCommand(run, {
    onLine: (line) => logger.info(line),
    env: releaseVariables({
      environment: result.environment,
      sha: deployment.sha,
      version: deployment.release?.version ?? null,
      deploymentId: deployment.id,
    }),
  });
  if (result.command.exitCode === 0) {
    await record('success');
  } else {
    await record('failure', `: exit code ${result.command.exitCode ?? 'none (killed)'}`);
  }
  return result;
}

/**
 * deploy-env's writes for a rollout: `Deploying` (unless an earlier attempt started it), the steps (see
 * `run-rollout.ts`), then `Deployed` with the environment URL, or `Rollout failed`/`Rollout halted` naming the
 * step and the check. Nothing is run or written in a dry run.
 */
async function applyRollout(
  dependencies: UseCaseDependencies,
  plan: DeployEnvironmentPlan,
  rollout: RolloutPlan,
): Promise<DeployEnvironmentResult> {
  const { logger } = dependencies;
  const { result, target, note } = plan;
  const record = (status: DeployStatus, detail = '') =>
    recordStatus(dependencies, target, result, status, detail + note);
  const steps = rollout.steps.map((step) => stepName(step)).join(', ');
  logger.info(
    `Rolling out ${labelOf(target.deployment)} in ${result.environment} (${rollout.rollout.strategy}): ${steps}.`,
  );
  const missing = missingHeaderVariables(rollout.checks, dependencies.env ?? process.env);
  if (missing.length > 0) {
    throw missingHeaderVariablesError(
      missing,
      `environments.${result.environment}.verify in ${dependencies.config.source}`,
    );
  }
  if (result.dryRun) {
    result.status = 'in_progress';
    logger.info('Dry run: the deploy command is not run and nothing is recorded.');
    return result;
  }
  if (rollout.start.kind === 'fresh') await record('in_progress');
  const outcome = await carryOutRollout(dependencies, rollout, target.deployment, (state, description) =>
    recordRawStatus(dependencies, target, result, state, description),
  );
  result.rollout = outcome;
  if (!outcome.failure) {
    if (rollout.start.kind === 'done') {
      // A re-run of a rollout that completed and was recorded deployed: nothing to run, nothing to write.
      logger.info(`Deployment ${target.deployment.id} completed its rollout in an earlier attempt.`);
      return result;
    }
    await record('success');
    return result;
  }
  const final = rolloutFailureStatus(outcome);
  await recordRawStatus(dependencies, target, result, STEP_MARKERS[final.step].state, final.text + note);
  result.status = 'failure';
  return result;
}

/** The error line of a rollout that failed, or of a deploy command that failed (after outputs and summary). */
export function deployFailure(result: DeployEnvironmentResult): string | undefined {
  return rolloutFailureLine(result.rollout, result.environment) ?? deployCommandFailure(result);
}

/**
 * Whether the step starts a deployment (so a freeze window refuses it): running the command, `in_progress`, or
 * `success` of one not recorded as deploying. The outcome of a deployment already under way, and any `failure`,
 * is always recorded.
 */
export function startsDeployment(
  request: Pick<DeployEnvironmentRequest, 'run' | 'status'>,
  progress: Pick<ReleaseProgress, 'lastStep'>,
): boolean {
  if (request.run) return true;
  if (request.status === 'failure') return false;
  return !(request.status === 'success' && progress.lastStep === 'deploying');
}

/** Whether the step starts a deployment whatever its recorded progress: running the command, or `in_progress`. */
export function startsDeploymentWhateverItsState(
  request: Pick<DeployEnvironmentRequest, 'run' | 'status'>,
): boolean {
  return Boolean(request.run) || request.status === 'in_progress';
}

/** The error line of a step whose deploy command failed (after its outputs and summary), or undefined. */
export function deployCommandFailure(result: Pick<DeployEnvironmentResult, 'command'>): string | undefined {
  if (!result.command || result.command.exitCode === 0) return undefined;
  return `The deploy command exited with ${result.command.exitCode ?? 'no exit code (killed)'}; the deployment is marked failed.`;
}

/** Records a status with its own description (a rollout's step or end), once on a re-run. */
async function recordRawStatus(
  dependencies: UseCaseDependencies,
  target: TargetDeployment,
  result: DeployEnvironmentResult,
  state: DeploymentState,
  description: string,
): Promise<void> {
  const { client, context, logger } = dependencies;
  const written = await setDeploymentStateOnce(
    client,
    repositoryOf(dependencies),
    target.deployment.id,
    { state, description: statusDescription(description), logUrl: result.runUrl },
    { checkLatest: context.runAttempt > 1 },
  );
  if (!written) logger.info(`Deployment ${target.deployment.id} already records "${description}".`);
}

function labelOf(deployment: DeploymentRecord): string {
  return deployment.release?.version ?? deployment.sha.slice(0, 7);
}

/**
 * Records one status of the deployment (nothing in a dry run; once, on a re-run that recorded it already).
 * Before a `success`, the release it replaces stops being shown active: the environment keeps one active
 * deployment.
 */
async function recordStatus(
  dependencies: UseCaseDependencies,
  target: TargetDeployment,
  result: DeployEnvironmentResult,
  status: DeployStatus,
  detail: string,
): Promise<void> {
  const { client, context, logger } = dependencies;
  const { deployment } = target;
  result.status = status;
  if (result.dryRun) return;
  if (status === 'success') {
    result.replaced = await retireReplacedDeployments(
      dependencies,
      [...target.recent, target.accepted],
      deployment,
    );
  }
  const marker = STEP_MARKERS[STEP_OF_STATUS[status]];
  const written = await setDeploymentStateOnce(
    client,
    repositoryOf(dependencies),
    deployment.id,
    {
      state: marker.state,
      description: statusDescription(
        `${marker.prefix} ${labelOf(deployment)} (run ${context.runId})${detail}`,
      ),
      logUrl: result.runUrl,
      ...(status === 'success' && result.environmentUrl ? { environmentUrl: result.environmentUrl } : {}),
    },
    { checkLatest: context.runAttempt > 1 },
  );
  if (!written) logger.info(`Deployment ${deployment.id} already records ${status} from an earlier attempt.`);
  logger.info(`Deployment ${deployment.id}: ${status}.`);
}
