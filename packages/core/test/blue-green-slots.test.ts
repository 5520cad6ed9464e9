/**
 * Which blue-green slot serves the environment, a row per history: the environment's deployments (newest
 * first), each with the statuses the suite wrote (read by `releaseProgress`, as the actions read them).
 */
import { describe, expect, it } from '@jest/globals';
import { slotPair } from '../src/rollout/blue-green-slots.js';
import type { SlotPair } from '../src/rollout/rollout-steps.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import { deployment } from './support/fixtures.js';

const SLOTS: readonly [string, string] = ['blue', 'green'];

/** The statuses of a blue-green release that went to `slot` and switched traffic to it. */
function switchedTo(slot: string): string[] {
  return [
    'queued: Prepared by run 71; waiting to be deployed',
    'in_progress: Deploying',
    `in_progress: Step 1/2: deploy to ${slot} — watching 5m`,
    `in_progress: Step 2/2: switch to ${slot}`,
    'success: Deployed',
  ];
}

/** Deployment `id` that switched to `slot`, then had `more` statuses. */
const release = (id: number, slot: string, more: string[] = []): DeploymentWithProgress =>
  deployment(id, [...switchedTo(slot), ...more], { hour: id });

const LIVE_BLUE: SlotPair = { live: 'blue', idle: 'green' };
const LIVE_GREEN: SlotPair = { live: 'green', idle: 'blue' };

interface Row {
  label: string;
  slots?: readonly [string, string];
  /** Newest first. */
  deployments: DeploymentWithProgress[];
  /** The deployment being rolled out. Default 99 (none of the rows'). */
  exclude?: number;
  expected: SlotPair;
}

const rows: Row[] = [
  { label: 'no history: the second slot counts as live', deployments: [], expected: LIVE_GREEN },
  {
    label: 'no history, other slot names: the second counts as live',
    slots: ['a', 'b'],
    deployments: [],
    expected: { live: 'b', idle: 'a' },
  },
  {
    label: 'the newest switched to green: green is live',
    deployments: [release(3, 'green'), release(2, 'blue')],
    expected: LIVE_GREEN,
  },
  {
    label: 'the newest switched to blue: blue is live',
    deployments: [release(3, 'blue'), release(2, 'green')],
    expected: LIVE_BLUE,
  },
  {
    label: 'the newest switched to blue and was rolled back: ignored, green (the one before) is live',
    deployments: [release(3, 'blue', ['error: Rolled back to 1.2.0: error rate']), release(2, 'green')],
    expected: LIVE_GREEN,
  },
  {
    label: 'the deployment being rolled out (a re-run after its switch) is excluded',
    deployments: [release(3, 'blue'), release(2, 'green')],
    exclude: 3,
    expected: LIVE_GREEN,
  },
  {
    label: 'a slot name not in the configured slots (renamed since) is ignored',
    deployments: [release(3, 'purple'), release(2, 'blue')],
    expected: LIVE_BLUE,
  },
  {
    label: 'a release whose rollout failed (never switched) is ignored',
    deployments: [
      deployment(3, [
        'in_progress: Deploying',
        'in_progress: Step 1/2: deploy to blue — watching 5m',
        'failure: Rollout failed at step 1/2 (deploy to blue), rolling back: preview of blue: HTTP 503',
        'failure: Rollout failed at step 1/2 (deploy to blue), rolled back: preview of blue: HTTP 503',
      ]),
      release(2, 'green'),
    ],
    expected: LIVE_GREEN,
  },
  {
    label: 'a release deployed all at once (no step recorded) is ignored',
    deployments: [deployment(3, ['in_progress: Deploying', 'success: Deployed']), release(2, 'blue')],
    expected: LIVE_BLUE,
  },
  {
    label: 'a switch recorded without Deployed after it (never written): that slot is live',
    deployments: [deployment(3, switchedTo('blue').slice(0, 4)), release(2, 'green')],
    expected: LIVE_BLUE,
  },
  {
    label: 'switched to green with no Deployed, over an accepted switch to blue: green is live',
    deployments: [
      deployment(3, switchedTo('green').slice(0, 4), { hour: 3 }),
      release(2, 'blue', ['success: Accepted by lee']),
    ],
    expected: LIVE_GREEN,
  },
  {
    label: 'deployed to blue, not yet switched: ignored, green (the one before) is live',
    deployments: [deployment(3, switchedTo('blue').slice(0, 3)), release(2, 'green')],
    expected: LIVE_GREEN,
  },
  {
    label: 'switched to blue, then rolled back by rollback: ignored, green is live',
    deployments: [
      deployment(3, [...switchedTo('blue').slice(0, 4), 'error: Rolled back to 1.2.0: error rate']),
      release(2, 'green'),
    ],
    expected: LIVE_GREEN,
  },
  {
    label: 'a release that switched, then Verified and Accepted, still counts',
    deployments: [
      release(3, 'blue', ['success: Verified: 1 check(s) passed', 'success: Accepted by lee']),
      release(2, 'green'),
    ],
    expected: LIVE_BLUE,
  },
  {
    label: 'a newer one replaced it (inactive): the newer one counts',
    deployments: [release(3, 'green'), release(2, 'blue', ['inactive: Replaced by 1.3.0'])],
    expected: LIVE_GREEN,
  },
  {
    label: 'every deployment ignored: the second slot counts as live',
    deployments: [release(3, 'purple'), release(2, 'blue', ['error: Rolled back to 1.1.0: error rate'])],
    expected: LIVE_GREEN,
  },
];

describe('slotPair', () => {
  it.each(rows)('$label', ({ slots, deployments, exclude, expected }) => {
    expect(slotPair(slots ?? SLOTS, deployments, exclude ?? 99)).toEqual(expected);
  });
});
