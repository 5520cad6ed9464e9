/**
 * The steps of a rollout, decided before the first one runs (pure): what each step tells the deploy command
 * (`RELEASE_*` variables), how it is shown (`Step 2/3: 50% — watching 10m`), how long its checks are watched,
 * and what the command is told to undo when a check fails.
 */
import { durationText } from '../chain/duration.js';
import type { BlueGreenRollout, GradualRolloutConfig } from './rollout-config.js';

/** The release a rollout replaces (the one accepted in the environment), when there is one. */
export interface ReplacedRelease {
  sha: string;
  version: string | null;
}

/** What a deploy command is told at a step: `deploy` (canary, phased, blue-green's idle slot) or `switch`. */
export type StepAction = 'deploy' | 'switch';

/** One step of a rollout, as planned. */
export interface RolloutStep {
  /** 1-based. */
  number: number;
  /** How many steps the rollout has. */
  count: number;
  action: StepAction;
  /** What the step does, in a few words: `50%`, `eu-west-1, us-east-1`, `deploy to green`, `switch to green`. */
  label: string;
  /** How long the checks are watched after the step's command succeeded (0: not watched). */
  pauseMs: number;
  /** The variables of the step, added to the release's own. */
  variables: Record<string, string>;
  /** Blue-green's first step: the idle slot's preview URL, checked during the pause besides the environment's checks. */
  previewUrl?: string;
}

/** Where traffic goes in a blue-green environment: the slot serving now, and the one the release goes to. */
export interface SlotPair {
  live: string;
  idle: string;
}

/**
 * The steps of `rollout` (a strategy other than all-at-once), with the variables of each. `slots` is where a
 * blue-green release goes (see `blue-green-slots.ts`); other strategies ignore it.
 */
export function rolloutSteps(rollout: GradualRolloutConfig, slots: SlotPair): RolloutStep[] {
  if (rollout.strategy === 'blue-green') return blueGreenSteps(rollout, slots);
  const count = rollout.steps.length;
  return rollout.steps.map((step, index): RolloutStep => {
    const gradual: { label: string; variables: Record<string, string> } =
      'weight' in step
        ? { label: `${step.weight}%`, variables: { RELEASE_WEIGHT: String(step.weight) } }
        : { label: step.targets.join(', '), variables: { RELEASE_TARGETS: step.targets.join(',') } };
    return {
      number: index + 1,
      count,
      action: 'deploy',
      label: gradual.label,
      pauseMs: step.pauseMs,
      variables: { ...stepVariables(rollout.strategy, index + 1, count, 'deploy'), ...gradual.variables },
    };
  });
}

/** Blue-green's two steps: deploy to the idle slot (watched for `pause`, at its preview URL too), then switch. */
function blueGreenSteps(rollout: BlueGreenRollout, slots: SlotPair): RolloutStep[] {
  const slot = { RELEASE_SLOT: slots.idle };
  const deploy: RolloutStep = {
    number: 1,
    count: 2,
    action: 'deploy',
    label: `deploy to ${slots.idle}`,
    pauseMs: rollout.pauseMs,
    variables: { ...stepVariables('blue-green', 1, 2, 'deploy'), ...slot },
  };
  if (rollout.previewUrl !== undefined) deploy.previewUrl = previewUrlOf(rollout.previewUrl, slots.idle);
  const switchStep: RolloutStep = {
    number: 2,
    count: 2,
    action: 'switch',
    label: `switch to ${slots.idle}`,
    pauseMs: 0,
    variables: { ...stepVariables('blue-green', 2, 2, 'switch'), ...slot },
  };
  return [deploy, switchStep];
}

/** The preview URL of `slot`: `{slot}` replaced by its name. */
export function previewUrlOf(template: string, slot: string): string {
  return template.replaceAll('{slot}', slot);
}

function stepVariables(
  strategy: string,
  step: number,
  count: number,
  action: StepAction | 'rollback',
): Record<string, string> {
  return {
    RELEASE_STRATEGY: strategy,
    RELEASE_STEP: String(step),
    RELEASE_STEPS: String(count),
    RELEASE_ACTION: action,
  };
}

/** The variables every step and the rollback get about the release being replaced (empty when none). */
export function replacedReleaseVariables(replaced: ReplacedRelease | undefined): Record<string, string> {
  return {
    RELEASE_PREVIOUS_SHA: replaced?.sha ?? '',
    RELEASE_PREVIOUS_VERSION: replaced?.version ?? '',
  };
}

/**
 * What the command is told to undo after step `failed` failed (steps 1 to `failed` started): `RELEASE_ACTION`
 * `rollback`; canary: `RELEASE_WEIGHT=0`; phased: `RELEASE_TARGETS` = the targets of the steps started, and
 * `RELEASE_SHA`/`RELEASE_VERSION` = the replaced release, which those targets go back to; blue-green:
 * `RELEASE_SLOT` = the slot that was live.
 */
export function rollbackVariables(
  rollout: GradualRolloutConfig,
  steps: readonly RolloutStep[],
  failed: RolloutStep,
  context: { slots: SlotPair; replaced: ReplacedRelease | undefined },
): Record<string, string> {
  const base = stepVariables(rollout.strategy, failed.number, failed.count, 'rollback');
  if (rollout.strategy === 'canary') return { ...base, RELEASE_WEIGHT: '0' };
  if (rollout.strategy === 'blue-green') return { ...base, RELEASE_SLOT: context.slots.live };
  const started = steps.filter((step) => step.number <= failed.number);
  const targets = started.flatMap((step) => (step.variables.RELEASE_TARGETS ?? '').split(','));
  return {
    ...base,
    RELEASE_TARGETS: targets.filter((target) => target !== '').join(','),
    RELEASE_SHA: context.replaced?.sha ?? '',
    RELEASE_VERSION: context.replaced?.version ?? '',
  };
}

/** The status description of a completed step: `Step 2/3: 50% — watching 10m`, or `Step 3/3: 100%`. */
export function stepStatusText(step: RolloutStep): string {
  const watching = step.pauseMs > 0 ? ` — watching ${durationText(step.pauseMs)}` : '';
  return `Step ${step.number}/${step.count}: ${step.label}${watching}`;
}

/** `step 2/3 (50%)`: a step named in a failure. */
export function stepName(step: RolloutStep): string {
  return `step ${step.number}/${step.count} (${step.label})`;
}
