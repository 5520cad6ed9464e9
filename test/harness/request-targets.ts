import type { ActionName } from './action-metadata.js';

/**
 * The most requests each action may make in the step its benchmark scenario runs (issue 5's targets for a
 * three-environment chain, release-note pages aside). deploy-env's target is per status change it records.
 * `npm run bench` prints each against the measured count; `test/request-budget.bundle.test.ts` fails above it.
 */
export const REQUEST_TARGETS: Record<ActionName, { max: number; perStatusChange?: true }> = {
  'prepare-release': { max: 12 },
  'deploy-env': { max: 2, perStatusChange: true },
  verify: { max: 2 },
  accept: { max: 6 },
  rollback: { max: 8 },
  status: { max: 3 },
};

/** The most requests `action` may make, given how many status changes (writes) it recorded. */
export function requestTarget(action: ActionName, writes: number): number {
  const target = REQUEST_TARGETS[action];
  return target.perStatusChange ? target.max * Math.max(1, writes) : target.max;
}

/** How a target reads in the bench output: `≤ 6`, `≤ 2 per status change (4)`. */
export function describeTarget(action: ActionName, writes: number): string {
  const target = REQUEST_TARGETS[action];
  return target.perStatusChange
    ? `≤ ${target.max} per status change (${requestTarget(action, writes)})`
    : `≤ ${target.max}`;
}
