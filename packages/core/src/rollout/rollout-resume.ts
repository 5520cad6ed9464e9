/**
 * Where a rollout starts (pure): from its first step, or, when an earlier attempt of the job recorded steps on
 * the deployment ("Re-run jobs" after a runner died), after the last step it completed — without running that
 * step's command again, and watching what was left of its pause.
 */
import type { ReleaseProgress, StatusRecord } from '../state/deployment-markers.js';
import { statusDescription } from '../state/deployments.js';
import { recordedEnd } from './rollout-end.js';
import { stepStatusText, type RolloutStep } from './rollout-steps.js';

/** How a rollout begins on this attempt. */
export type RolloutStart =
  /** Nothing recorded yet: record `Deploying`, then run every step. */
  | { kind: 'fresh' }
  /**
   * Steps 1 to `completed` ran their command (0: the deployment was started, no step recorded); the last of them
   * still has `watchRemainingMs` of its pause to watch (0: none left, but its checks run once before going on).
   */
  | { kind: 'resume'; completed: number; watchRemainingMs: number }
  /** Every step completed and the deployment was recorded deployed: there is nothing left to run. */
  | { kind: 'done' }
  /**
   * Step `failed` failed and its rollback was under way when the earlier attempt ended (`Rollout failed …, rolling
   * back`): run the rollback again, then record how it went. Nothing is rolled out.
   */
  | { kind: 'undo'; failed: number; reason: string }
  /** The rollout failed or halted: the release is held, the deployment is not rolled out again. */
  | { kind: 'ended'; status: StatusRecord };

/** The step a `Step <n>/<m>: <label>` status records, or undefined when the text is not one. */
export function recordedStep(
  description: string,
): { number: number; count: number; label: string } | undefined {
  const match = /^Step (\d+)\/(\d+): (.*?)(?: — watching .*)?$/.exec(description);
  if (!match) return undefined;
  return { number: Number(match[1]), count: Number(match[2]), label: match[3] ?? '' };
}

/**
 * Where the rollout of `steps` starts, from the deployment's progress at `nowMs`. A recorded step that does not
 * match the planned one (the configuration changed) starts the rollout again from its first step. A status
 * longer than GitHub's 140 characters (a long list of phased targets) was recorded cut: it matches the planned
 * step when it is that step's status text cut the same way.
 */
export function rolloutStart(
  progress: Pick<ReleaseProgress, 'lastStep' | 'latest' | 'deployed' | 'rolloutStep'>,
  steps: readonly RolloutStep[],
  nowMs: number,
): RolloutStart {
  const { lastStep } = progress;
  if ((lastStep === 'rollout-failed' || lastStep === 'rollout-halted') && progress.latest) {
    const end = recordedEnd(progress.latest.description);
    const failed = end ? steps[end.number - 1] : undefined;
    if (end?.end === 'rolling-back' && failed && end.count === steps.length) {
      return { kind: 'undo', failed: failed.number, reason: end.reason };
    }
    return { kind: 'ended', status: progress.latest };
  }
  const recorded = progress.rolloutStep ? recordedStep(progress.rolloutStep.description) : undefined;
  const planned = recorded ? steps[recorded.number - 1] : undefined;
  const matches =
    recorded !== undefined &&
    planned !== undefined &&
    recorded.count === steps.length &&
    (recorded.label === planned.label ||
      progress.rolloutStep?.description === statusDescription(stepStatusText(planned)));
  if (progress.deployed) {
    return matches && recorded.number === steps.length ? { kind: 'done' } : { kind: 'fresh' };
  }
  if (lastStep === 'deploying') return { kind: 'resume', completed: 0, watchRemainingMs: 0 };
  if (lastStep !== 'rollout-step' || !matches || !progress.rolloutStep) return { kind: 'fresh' };
  const elapsed = nowMs - Date.parse(progress.rolloutStep.createdAt);
  const remaining = Number.isFinite(elapsed) ? planned.pauseMs - Math.max(0, elapsed) : planned.pauseMs;
  return { kind: 'resume', completed: recorded.number, watchRemainingMs: Math.max(0, remaining) };
}
