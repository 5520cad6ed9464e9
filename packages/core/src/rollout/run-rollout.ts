/**
 * Runs a rollout's steps: the deploy command once per step with the step's variables, a deployment status per
 * step completed, the checks watched during each pause; at the first failure (the command failing, or a check
 * failing during a pause) it stops, and with `on-failure: rollback` runs the command once more to undo the
 * steps done. Every effect goes through {@link RolloutEffects}, so the loop is tested with fakes and a fake clock.
 */
import type { CheckSpec } from '../checks/check-spec.js';
import type { VerificationReport } from '../checks/run-verification.js';
import type { ShellCommandResult } from '../commands/run-shell-command.js';
import type { Logger } from '../logger.js';
import type { GradualRolloutConfig } from './rollout-config.js';
import type { RolloutStart } from './rollout-resume.js';
import { stepName, type RolloutStep } from './rollout-steps.js';

/** What the rollout does to the world, injected. */
export interface RolloutEffects {
  /** Runs the deploy (or rollback) command with these variables added to the release's own. */
  runCommand(command: string, variables: Record<string, string>): Promise<ShellCommandResult>;
  /** Records that a step completed its command (its deployment status). */
  recordStep(step: RolloutStep): Promise<void>;
  /** Records that step `step` failed and its rollback starts, before the rollback command runs. */
  recordRollingBack(step: RolloutStep, reason: string): Promise<void>;
  /** Watches `checks` every `intervalMs` for `pauseMs` (at least one round); the first failure ends it. */
  watch(checks: CheckSpec[], pauseMs: number, intervalMs: number): Promise<VerificationReport>;
  /** Waits, when a pause has nothing to watch. */
  sleep(ms: number): Promise<void>;
  logger: Logger;
}

/** What a rollout is asked to do. */
export interface RolloutTask {
  rollout: GradualRolloutConfig;
  steps: RolloutStep[];
  start: Exclude<RolloutStart, { kind: 'ended' }>;
  /** The environment's checks, watched during each pause. */
  checks: CheckSpec[];
  command: string;
  /** The command that undoes the steps done (the `rollback-run` input, else `command`). */
  rollbackCommand: string;
  /** What the rollback is told (see `rollbackVariables`), for the step that failed. */
  rollbackVariables(failed: RolloutStep): Record<string, string>;
}

/** How one step went. */
export interface StepRecord {
  step: RolloutStep;
  /** `resumed`: an earlier attempt ran its command; `skipped`: not reached. */
  outcome: 'passed' | 'failed' | 'resumed' | 'skipped';
  command?: ShellCommandResult;
  /** The checks watched during its pause, when it had one with checks. */
  watch?: VerificationReport;
}

/** How the rollout ended. */
export interface RolloutOutcome {
  strategy: GradualRolloutConfig['strategy'];
  steps: StepRecord[];
  /** Steps whose command ran and whose pause was watched without a failure (this attempt or earlier ones). */
  completed: number;
  /** The step that failed and why, when one did. */
  failure?: { step: RolloutStep; reason: string };
  /** The rollback command's run, when one was run. */
  rollback?: { command: ShellCommandResult; variables: Record<string, string> };
  /** Whether the steps done were undone (the rollback command exited 0). */
  rolledBack: boolean;
  /** Whether the rollout stopped where it was (`on-failure: halt`). */
  halted: boolean;
}

/** Runs the rollout from where `task.start` says; never throws for a failing step or check. */
export async function runRollout(task: RolloutTask, effects: RolloutEffects): Promise<RolloutOutcome> {
  const records: StepRecord[] = task.steps.map((step) => ({ step, outcome: 'skipped' }));
  const outcome: RolloutOutcome = {
    strategy: task.rollout.strategy,
    steps: records,
    completed: 0,
    rolledBack: false,
    halted: false,
  };
  if (task.start.kind === 'done') {
    for (const record of records) record.outcome = 'resumed';
    outcome.completed = records.length;
    return outcome;
  }
  if (task.start.kind === 'undo') return finishRollback(task, effects, outcome, task.start);
  const first = task.start.kind === 'resume' ? task.start.completed : 0;
  for (const record of records.slice(0, first)) record.outcome = 'resumed';
  outcome.completed = Math.max(0, first - 1);
  if (task.start.kind === 'resume' && first > 0) {
    const resumed = records[first - 1] as StepRecord;
    effects.logger.info(`Resuming after ${stepName(resumed.step)}, which an earlier attempt ran.`);
    const failure = await watchPause(task, effects, resumed, task.start.watchRemainingMs);
    if (failure) return fail(task, effects, outcome, resumed, failure);
    // Its command ran in an earlier attempt; this one only watched the rest of its pause.
    resumed.outcome = 'resumed';
    outcome.completed = first;
  }
  for (const record of records.slice(first)) {
    const failure = await runStep(task, effects, record);
    if (failure) return fail(task, effects, outcome, record, failure);
    outcome.completed = record.step.number;
  }
  return outcome;
}

/** Runs one step: its command, its status, then its pause. Returns why it failed, or undefined. */
async function runStep(
  task: RolloutTask,
  effects: RolloutEffects,
  record: StepRecord,
): Promise<string | undefined> {
  const { step } = record;
  effects.logger.info(
    `Rollout ${stepName(step)}: running the deploy command (RELEASE_ACTION=${step.action}).`,
  );
  record.command = await effects.runCommand(task.command, step.variables);
  if (record.command.exitCode !== 0) {
    record.outcome = 'failed';
    return commandFailure('deploy command', record.command);
  }
  await effects.recordStep(step);
  return watchPause(task, effects, record, step.pauseMs);
}

/**
 * Watches a step's pause: the environment's checks (and blue-green's preview URL) every `check-interval` for
 * `pauseMs`. A step without a pause is not watched; a pause without checks only waits. Returns why a check
 * failed, or undefined.
 */
async function watchPause(
  task: RolloutTask,
  effects: RolloutEffects,
  record: StepRecord,
  pauseMs: number,
): Promise<string | undefined> {
  const { step } = record;
  // A step without a pause is not watched, but blue-green's idle slot is checked once before the switch.
  if (step.pauseMs <= 0 && step.previewUrl === undefined) {
    record.outcome = 'passed';
    return undefined;
  }
  const checks: CheckSpec[] = [...task.checks];
  if (step.previewUrl !== undefined) {
    checks.unshift({
      kind: 'http',
      url: step.previewUrl,
      name: `preview of ${step.label.replace(/^deploy to /, '')}`,
    });
  }
  if (checks.length === 0) {
    if (pauseMs <= 0) {
      record.outcome = 'passed';
      return undefined;
    }
    effects.logger.warning(
      `The environment has no checks to watch during the pause of ${stepName(step)}: it only waits. ` +
        "List checks under 'verify:' for the environment in the configuration file.",
    );
    await effects.sleep(pauseMs);
    record.outcome = 'passed';
    return undefined;
  }
  record.watch = await effects.watch(checks, pauseMs, task.rollout.checkIntervalMs);
  if (record.watch.result === 'passed') {
    record.outcome = 'passed';
    return undefined;
  }
  record.outcome = 'failed';
  const failing = record.watch.checks.find((check) => !check.passed);
  return failing ? `${failing.name}: ${failing.lastMessage}` : 'a check failed';
}

/** Ends a rollout at a failed step: halts there, or runs the rollback command. */
async function fail(
  task: RolloutTask,
  effects: RolloutEffects,
  outcome: RolloutOutcome,
  record: StepRecord,
  reason: string,
): Promise<RolloutOutcome> {
  record.outcome = 'failed';
  outcome.failure = { step: record.step, reason };
  // The failure itself is reported once, by the action's error line; the log tells the story.
  effects.logger.info(`Rollout ${stepName(record.step)} failed: ${reason}`);
  if (task.rollout.onFailure === 'halt') {
    outcome.halted = true;
    effects.logger.info('on-failure is halt: the rollout stops where it is; nothing is undone.');
    return outcome;
  }
  // Recorded first: a re-run after a runner died during the rollback finishes it rather than resuming the rollout.
  await effects.recordRollingBack(record.step, reason);
  return runRollback(task, effects, outcome, record.step);
}

/** Runs the rollback command for the failed `step`, and records whether it undid the steps done. */
async function runRollback(
  task: RolloutTask,
  effects: RolloutEffects,
  outcome: RolloutOutcome,
  step: RolloutStep,
): Promise<RolloutOutcome> {
  const variables = task.rollbackVariables(step);
  effects.logger.info(`Undoing the steps done: running the rollback command (RELEASE_ACTION=rollback).`);
  const command = await effects.runCommand(task.rollbackCommand, variables);
  outcome.rollback = { command, variables };
  outcome.rolledBack = command.exitCode === 0;
  return outcome;
}

/** A re-run after a rollback was left under way: the steps before the failed one are done, the rollback runs again. */
async function finishRollback(
  task: RolloutTask,
  effects: RolloutEffects,
  outcome: RolloutOutcome,
  start: { failed: number; reason: string },
): Promise<RolloutOutcome> {
  const failed = outcome.steps[start.failed - 1] as StepRecord;
  for (const record of outcome.steps.slice(0, start.failed - 1)) record.outcome = 'resumed';
  failed.outcome = 'failed';
  outcome.completed = start.failed - 1;
  outcome.failure = { step: failed.step, reason: start.reason };
  effects.logger.info(
    `${stepName(failed.step)} failed in an earlier attempt (${start.reason}) and its rollback did not finish: ` +
      'running it again.',
  );
  return runRollback(task, effects, outcome, failed.step);
}

/** Why a command failed, in a few words: `deploy command exit code 2`. */
export function commandFailure(what: string, command: ShellCommandResult): string {
  if (command.startError) return `${what} could not start: ${command.startError}`;
  if (command.timedOut) return `${what} timed out`;
  return `${what} exit code ${command.exitCode ?? command.signal ?? 'none'}`;
}
