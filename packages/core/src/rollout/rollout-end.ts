/**
 * How a rollout that did not complete is recorded, and read back (pure). The outcome comes before the reason, so
 * GitHub's 140-character cut, which falls in the reason, never hides it:
 *
 * - `Rollout failed at step 2/3 (50%), rolling back: <reason>`: written before the rollback command runs, so a
 *   re-run after a runner died during the rollback finishes the rollback instead of resuming the rollout;
 * - `Rollout failed at step 2/3 (50%), rolled back: <reason>`: the rollback command undid the steps done;
 * - `Rollout failed at step 2/3 (50%), rollback command exit code 1: <reason>`: it did not;
 * - `Rollout halted at step 2/3 (50%): <reason>` (`on-failure: halt`): nothing was undone.
 */
import { STEP_MARKERS, stepOf, type StatusRecord } from '../state/deployment-markers.js';
import type { RolloutStep } from './rollout-steps.js';

/** What became of a rollout that did not complete. */
export type RolloutEnd = 'rolling-back' | 'rolled-back' | 'rollback-failed' | 'halted';

/** The status text of a rollout that ended at `step` (see the module's comment); `rollback` names a failed rollback. */
export function rolloutEndText(
  end: RolloutEnd,
  step: Pick<RolloutStep, 'number' | 'count' | 'label'>,
  reason: string,
  rollback = 'rollback failed',
): string {
  const at = `at step ${step.number}/${step.count} (${step.label})`;
  if (end === 'halted') return `${STEP_MARKERS['rollout-halted'].prefix} ${at}: ${reason}`;
  const outcome = end === 'rolled-back' ? 'rolled back' : end === 'rolling-back' ? 'rolling back' : rollback;
  return `${STEP_MARKERS['rollout-failed'].prefix} ${at}, ${outcome}: ${reason}`;
}

/** A rollout's end as its status records it. */
export interface RecordedEnd {
  end: RolloutEnd;
  number: number;
  count: number;
  label: string;
  /** The reason as recorded (possibly cut at 140 characters). */
  reason: string;
}

const END =
  /^Rollout (failed|halted) at step (\d+)\/(\d+) \((.*?)\)(?:, (rolled back|rolling back|[^:]+))?(?::\s?([\s\S]*))?$/;

/** The end a `Rollout failed …`/`Rollout halted …` status records, or undefined when it is not legible. */
export function recordedEnd(description: string): RecordedEnd | undefined {
  const match = END.exec(description);
  if (!match) return undefined;
  const [, kind, number, count, label, outcome, reason] = match;
  const end: RolloutEnd =
    kind === 'halted'
      ? 'halted'
      : outcome === 'rolled back'
        ? 'rolled-back'
        : outcome === 'rolling back'
          ? 'rolling-back'
          : 'rollback-failed';
  return { end, number: Number(number), count: Number(count), label: label ?? '', reason: reason ?? '' };
}

/**
 * Whether `status` (a release's newest holding status) says the release no longer runs in the environment:
 * rolled back by `rollback`, or undone by its own rollout. A halted rollout, a failed rollback or one still
 * under way leave the release (partly) out there.
 */
export function undoneHere(status: Pick<StatusRecord, 'state' | 'description'> | undefined): boolean {
  if (!status) return false;
  const step = stepOf(status);
  if (step === 'rolled-back') return true;
  return step === 'rollout-failed' && recordedEnd(status.description)?.end === 'rolled-back';
}
