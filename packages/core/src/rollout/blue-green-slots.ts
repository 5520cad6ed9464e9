/**
 * Which blue-green slot serves the environment, read from the deployments recorded there (pure): the slot the
 * newest release that recorded its switch switched to. The release goes to the other one.
 */
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import { recordedStep } from './rollout-resume.js';
import type { SlotPair } from './rollout-steps.js';

const SWITCH = /^switch to (\S+)$/;

/**
 * The live and idle slots of `slots`, from the environment's deployments (newest first, `exclude` left out: the
 * deployment being rolled out). The live slot is the one the newest release that recorded its switch (and was
 * not rolled back since) switched to; when none did (the first blue-green release), the second slot counts as live and the release goes to the
 * first.
 */
export function slotPair(
  slots: readonly [string, string],
  deployments: readonly DeploymentWithProgress[],
  exclude: number,
): SlotPair {
  for (const { deployment, progress } of deployments) {
    // A recorded switch proves traffic moved (it is written once the switch command exited 0), even when the
    // `Deployed` after it was never written; a release rolled back since no longer serves.
    if (deployment.id === exclude || progress.rolledBack || !progress.rolloutStep) continue;
    const label = recordedStep(progress.rolloutStep.description)?.label ?? '';
    const slot = SWITCH.exec(label)?.[1];
    if (slot === slots[0]) return { live: slots[0], idle: slots[1] };
    if (slot === slots[1]) return { live: slots[1], idle: slots[0] };
  }
  return { live: slots[1], idle: slots[0] };
}
