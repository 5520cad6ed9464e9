/**
 * What the status summary and the promotion board say of an environment's rollout, in the same words:
 * `rolling out: step 2 of 3 (50%)`, `rollout failed at step 2 of 3 (50%), rolled back`, `rollout halted at
 * step 2 of 3 (50%)`. The step's label comes from a deployment status, so it is untrusted: each caller passes
 * the escaping of where the phrase goes (the board's `markup` template escapes the whole phrase instead).
 */
import type { RolloutStanding } from '../use-cases/rollout-standing.js';
import { shortSha } from './markdown.js';

/** Text as it is: for a caller that escapes the whole phrase. */
const asIs = (value: string): string => value;

/** `step 2 of 3 (50%)`, `step 2 of 3` without a label, '' when the status named no legible step. */
export function rolloutStepPhrase(
  rollout: Pick<RolloutStanding, 'step' | 'steps' | 'label'>,
  text: (value: string) => string = asIs,
): string {
  if (rollout.step === null || rollout.steps === null) return '';
  const where = `step ${rollout.step} of ${rollout.steps}`;
  return rollout.label ? `${where} (${text(rollout.label)})` : where;
}

/** Whether the rollout holds its release in the environment: prepare-release refuses it there without force. */
export function rolloutHolds(rollout: Pick<RolloutStanding, 'state'>): boolean {
  return rollout.state === 'failed' || rollout.state === 'halted';
}

/** The release a rollout carries, as people name it: its version, else its short sha. */
export function rolloutRelease(rollout: Pick<RolloutStanding, 'version' | 'sha'>): string {
  return rollout.version ?? shortSha(rollout.sha);
}

/**
 * What a rollout in progress, failed or halted says, with the label through `text`; undefined for one that
 * completed (the environment's state says the rest).
 */
export function rolloutPhrase(
  rollout: Pick<RolloutStanding, 'state' | 'step' | 'steps' | 'label' | 'rolledBack'>,
  text: (value: string) => string = asIs,
): string | undefined {
  const where = rolloutStepPhrase(rollout, text);
  const at = where ? ` at ${where}` : '';
  switch (rollout.state) {
    case 'in-progress':
      return where ? `rolling out: ${where}` : 'rolling out';
    case 'halted':
      return `rollout halted${at}`;
    case 'failed': {
      const undone =
        rollout.rolledBack === true
          ? ', rolled back'
          : rollout.rolledBack === false
            ? ', not rolled back'
            : '';
      return `rollout failed${at}${undone}`;
    }
    case 'completed':
      return undefined;
  }
}
