/**
 * How far an environment's newest deployment got with its rollout (pure), read from the statuses deploy-env
 * wrote (`state/deployment-markers.ts`): a step recorded and the rollout still going, the rollout failed or
 * halted at a step (both hold the release there), or every step done and the deployment recorded deployed.
 * status reports it, so people see a canary at 50 % or a release held by its checks without opening the
 * Deployments page.
 */
import { recordedEnd } from '../rollout/rollout-end.js';
import { recordedStep } from '../rollout/rollout-resume.js';
import { stepOf, type StatusRecord } from '../state/deployment-markers.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';

/** Where a rollout stands. `failed` and `halted` hold the release in the environment. */
export type RolloutState = 'in-progress' | 'failed' | 'halted' | 'completed';

/** The rollout of an environment's newest deployment, as status reports it. */
export interface RolloutStanding {
  /** The step recorded (the last one completed, or the one it failed or halted at); null when not legible. */
  step: number | null;
  /** How many steps the rollout has; null when not legible. */
  steps: number | null;
  /** What the step does (`50%`, `eu-west-1`, `switch to green`); empty when not legible. */
  label: string;
  state: RolloutState;
  /** The status that says so, as deploy-env wrote it (for a completed rollout, its last step). */
  description: string;
  /**
   * Whether the steps done were undone: true after `, rolled back`, false when the rollback failed or the
   * rollout halted (nothing is undone then); null while in progress (the rollback too), once completed, or when
   * the status is not legible.
   */
  rolledBack: boolean | null;
  /** When that status was written (ISO time). */
  at: string;
  /** The deployment rolled out, and the release it carries (it may not be the one the environment's tag names). */
  deploymentId: number;
  sha: string;
  version: string | null;
}

/** A step as `Step <n>/<m>: <label>` or `Rollout … at step <n>/<m> (<label>)` names it. */
interface NamedStep {
  step: number | null;
  steps: number | null;
  label: string;
}

const ILLEGIBLE: NamedStep = { step: null, steps: null, label: '' };

/** The step a `Rollout failed at step 2/3 (50%), …` or `Rollout halted at step …` status names. */
export function endedAtStep(description: string): NamedStep {
  const end = recordedEnd(description);
  return end ? { step: end.number, steps: end.count, label: end.label } : ILLEGIBLE;
}

/** The step a `Step <n>/<m>: <label>` status records. */
function completedStep(description: string): NamedStep {
  const recorded = recordedStep(description);
  return recorded ? { step: recorded.number, steps: recorded.count, label: recorded.label } : ILLEGIBLE;
}

/**
 * Whether a `Rollout failed …` status says the steps were undone (see {@link RolloutStanding.rolledBack}): null
 * while the rollback is under way, or when the status is not legible.
 */
export function undoneByRollback(description: string): boolean | null {
  const end = recordedEnd(description)?.end;
  if (end === 'rolled-back') return true;
  if (end === 'rollback-failed' || end === 'halted') return false;
  return null;
}

/** What a status says of the rollout, given where it stands. */
function standing(
  found: DeploymentWithProgress,
  state: RolloutState,
  status: StatusRecord,
  named: NamedStep,
  rolledBack: boolean | null,
): RolloutStanding {
  const { deployment } = found;
  return {
    ...named,
    state,
    description: status.description,
    rolledBack,
    at: status.createdAt,
    deploymentId: deployment.id,
    sha: deployment.sha,
    version: deployment.release?.version ?? null,
  };
}

/**
 * The rollout of `newest` (an environment's newest deployment of the suite), or null when it has none: failed
 * or halted when that is the last step recorded; in progress when the last step is a rollout step (or
 * `Deploying` with a step recorded since); completed when it was recorded deployed after its steps.
 */
export function rolloutStanding(newest: DeploymentWithProgress | undefined): RolloutStanding | null {
  if (!newest) return null;
  const { lastStep, rolledBack: held, rolloutStep, deployed } = newest.progress;
  if ((lastStep === 'rollout-failed' || lastStep === 'rollout-halted') && held && stepOf(held) === lastStep) {
    return lastStep === 'rollout-halted'
      ? standing(newest, 'halted', held, endedAtStep(held.description), false)
      : standing(newest, 'failed', held, endedAtStep(held.description), undoneByRollback(held.description));
  }
  if (!rolloutStep) return null;
  const named = completedStep(rolloutStep.description);
  if (lastStep === 'rollout-step' || lastStep === 'deploying') {
    return standing(newest, 'in-progress', rolloutStep, named, null);
  }
  return deployed ? standing(newest, 'completed', rolloutStep, named, null) : null;
}
