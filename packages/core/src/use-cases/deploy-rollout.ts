/**
 * deploy-env's rollout: the plan of an environment's canary, phased or blue-green rollout, decided before any
 * write (pure), and the effects that carry it out (commands, statuses, checks). The loop itself is
 * `rollout/run-rollout.ts`.
 */
import { runVerification } from '../checks/run-verification.js';
import { DEFAULT_VERIFICATION_OPTIONS } from '../checks/verification-options.js';
import type { CheckSpec } from '../checks/check-spec.js';
import { releaseVariables, runShellCommand } from '../commands/run-shell-command.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { systemClock } from '../clock.js';
import { slotPair } from '../rollout/blue-green-slots.js';
import { DEFAULT_SLOTS, type GradualRolloutConfig } from '../rollout/rollout-config.js';
import { rolloutEndText } from '../rollout/rollout-end.js';
import { rolloutStart, type RolloutStart } from '../rollout/rollout-resume.js';
import {
  replacedReleaseVariables,
  rollbackVariables,
  rolloutSteps,
  stepName,
  stepStatusText,
  type ReplacedRelease,
  type RolloutStep,
  type SlotPair,
} from '../rollout/rollout-steps.js';
import { commandFailure, type RolloutOutcome, runRollout } from '../rollout/run-rollout.js';
import type { DeploymentRecord, DeploymentState } from '../state/deployments.js';
import { STEP_MARKERS } from '../state/deployment-markers.js';
import { refuse, type Refusal } from '../rules/decision.js';
import type { TargetDeployment } from './target-deployment.js';
import type { UseCaseDependencies } from './use-case-dependencies.js';

/** A rollout as decided: its steps, where it starts, the slots and the release it replaces. */
export interface RolloutPlan {
  rollout: GradualRolloutConfig;
  steps: RolloutStep[];
  start: Exclude<RolloutStart, { kind: 'ended' }>;
  slots: SlotPair;
  replaced: ReplacedRelease | undefined;
  checks: CheckSpec[];
  command: string;
  rollbackCommand: string;
}

/** The rollout of `environment` for deploy-env's `run`, when it has one other than all-at-once (pure). */
export function planRollout(
  config: PromotionConfig,
  request: { environment: string; run: string; rollbackRun: string | undefined },
  target: TargetDeployment,
  nowMs: number,
): RolloutPlan | Refusal | undefined {
  const settings = config.chain.get(request.environment);
  const rollout = settings.rollout;
  if (!rollout || rollout.strategy === 'all-at-once') return undefined;
  // Newest first, as slotPair reads them: the accepted release only after the newest ones (it may be older than
  // they are), so a newer release that switched traffic since is not overlooked.
  const slots = slotPair(
    rollout.strategy === 'blue-green' ? rollout.slots : DEFAULT_SLOTS,
    [...target.recent, ...(target.accepted ? [target.accepted] : [])],
    target.deployment.id,
  );
  const steps = rolloutSteps(rollout, slots);
  const start = rolloutStart(target.progress, steps, nowMs);
  if (start.kind === 'ended') {
    return refuse(
      `Deployment ${target.deployment.id} is not rolled out again: ${start.status.description}. ` +
        `The release is held in '${request.environment}'.`,
      "Prepare the release again with prepare-release ('force: true' and a 'reason' to release the same " +
        'commit), or a newer commit.',
    );
  }
  const accepted = target.accepted?.deployment;
  const replaced =
    accepted && accepted.id !== target.deployment.id
      ? { sha: accepted.sha, version: accepted.release?.version ?? null }
      : undefined;
  return {
    rollout,
    steps,
    start,
    slots,
    replaced,
    checks: [...(settings.verify ?? [])],
    command: request.run,
    rollbackCommand: request.rollbackRun ?? request.run,
  };
}

/** What the rollout's effects record: a deployment status, by the caller's recorder. */
export type StatusRecorder = (state: DeploymentState, description: string) => Promise<void>;

/** Carries out a rollout plan (not in a dry run), recording each completed step and a failure with `record`. */
export async function carryOutRollout(
  dependencies: UseCaseDependencies,
  plan: RolloutPlan,
  deployment: DeploymentRecord,
  record: StatusRecorder,
): Promise<RolloutOutcome> {
  const { logger } = dependencies;
  const clock = dependencies.clock ?? systemClock;
  const release = {
    ...releaseVariables({
      environment: deployment.environment,
      sha: deployment.sha,
      version: deployment.release?.version ?? null,
      deploymentId: deployment.id,
    }),
    ...replacedReleaseVariables(plan.replaced),
  };
  return runRollout(
    {
      ...plan,
      rollbackVariables: (failed) =>
        rollbackVariables(plan.rollout, plan.steps, failed, { slots: plan.slots, replaced: plan.replaced }),
    },
    {
      logger,
      runCommand: (command, variables) =>
        runShellCommand(command, {
          onLine: (line) => logger.info(line),
          env: { ...release, ...variables },
          clock,
        }),
      recordStep: (step) => record('in_progress', stepStatusText(step)),
      recordRollingBack: (step, reason) =>
        record(STEP_MARKERS['rollout-failed'].state, rolloutEndText('rolling-back', step, reason)),
      watch: (checks, pauseMs, intervalMs) =>
        runVerification(
          checks,
          {
            attempts: 1,
            intervalMs,
            // Each reading may take the verify action's default timeout, whatever the check interval.
            timeoutMs: DEFAULT_VERIFICATION_OPTIONS.timeoutMs,
            bakeTimeMs: pauseMs,
          },
          { clock, logger, env: dependencies.env ?? process.env, mask: dependencies.mask },
        ),
      sleep: (ms) => clock.sleep(ms),
    },
  );
}

/**
 * The final status of a rollout that failed (see `rollout/rollout-end.ts`): `Rollout failed at step 2/3 (50%),
 * rolled back: <why>` (or what became of the rollback), or `Rollout halted at step 2/3 (50%): <why>`.
 */
export function rolloutFailureStatus(outcome: RolloutOutcome): {
  step: 'rollout-failed' | 'rollout-halted';
  text: string;
} {
  const failure = outcome.failure ?? { step: { number: 0, count: 0, label: '' }, reason: '' };
  if (outcome.halted) {
    return { step: 'rollout-halted', text: rolloutEndText('halted', failure.step, failure.reason) };
  }
  const end = outcome.rolledBack ? 'rolled-back' : 'rollback-failed';
  const rollback = outcome.rollback
    ? commandFailure('rollback command', outcome.rollback.command)
    : 'not rolled back';
  return { step: 'rollout-failed', text: rolloutEndText(end, failure.step, failure.reason, rollback) };
}

/** The error line of a rollout that failed (after the outputs and summary), or undefined when it completed. */
export function rolloutFailureLine(
  outcome: RolloutOutcome | undefined,
  environment: string,
): string | undefined {
  if (!outcome?.failure) return undefined;
  const { step, reason } = outcome.failure;
  const held = `The release is held in '${environment}': prepare a newer one, or release it again with 'force'.`;
  if (outcome.halted) {
    return `The rollout halted at ${stepName(step)}: ${reason}. Nothing was undone (on-failure: halt). ${held}`;
  }
  if (outcome.rolledBack) {
    return `The rollout failed at ${stepName(step)}: ${reason}. The steps done were rolled back. ${held}`;
  }
  const rollback = outcome.rollback ? commandFailure('the rollback command', outcome.rollback.command) : '';
  return (
    `The rollout failed at ${stepName(step)}: ${reason}, and ${rollback}: the environment may still serve part of ` +
    `the release. Undo it by hand (or run 'rollback'). ${held}`
  );
}
