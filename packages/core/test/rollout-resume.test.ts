/**
 * Where a rollout starts on this attempt, a row per situation: the deployment's statuses (plain records, read
 * by `releaseProgress` as the actions read them) and the instant of the re-run. Also how a `Step <n>/<m>`
 * status is read back.
 */
import { describe, expect, it } from '@jest/globals';
import type { CanaryRollout } from '../src/rollout/rollout-config.js';
import { recordedStep, rolloutStart, type RolloutStart } from '../src/rollout/rollout-resume.js';
import { rolloutSteps } from '../src/rollout/rollout-steps.js';
import { releaseProgress } from '../src/state/deployment-markers.js';
import { statusDescription } from '../src/state/deployments.js';
import { statuses } from './support/fixtures.js';

/** Canary of 3 steps: 10 % watched 5 s, 50 % watched 5 s, 100 %. */
const CANARY: CanaryRollout = {
  strategy: 'canary',
  checkIntervalMs: 1000,
  onFailure: 'rollback',
  steps: [
    { weight: 10, pauseMs: 5000 },
    { weight: 50, pauseMs: 5000 },
    { weight: 100, pauseMs: 0 },
  ],
};
const STEPS = rolloutSteps(CANARY, { live: 'green', idle: 'blue' });

const PREPARED = 'queued: Prepared 1.2.0 by run 71; waiting to be deployed';
const DEPLOYING = 'in_progress: Deploying 1.2.0';
const STEP_1 = 'in_progress: Step 1/3: 10% — watching 5s';
const STEP_2 = 'in_progress: Step 2/3: 50% — watching 5s';
const STEP_3 = 'in_progress: Step 3/3: 100%';
const ROLLING_BACK_2 = 'failure: Rollout failed at step 2/3 (50%), rolling back: healthz: HTTP 500';
/** A `rolling back` status longer than GitHub's 140 characters: recorded cut. */
const LONG_ROLLING_BACK = `Rollout failed at step 2/3 (50%), rolling back: healthz: HTTP 500: ${'upstream reset; '.repeat(8)}`;

/** The status at `index` (oldest first) of a row was written at 10:00:00 + index seconds. */
const writtenAt = (index: number): string => `2026-07-01T10:00:${String(index).padStart(2, '0')}Z`;
/** `seconds` after the status at `index` was written. */
const after = (index: number, seconds: number): number => Date.parse(writtenAt(index)) + seconds * 1000;

interface Row {
  label: string;
  /** The deployment's statuses, oldest first, as `state: Description`. */
  written: string[];
  nowMs: number;
  /** For an ended rollout, the description of the status it ended with. */
  expected: Exclude<RolloutStart, { kind: 'ended' }> | { kind: 'ended'; description: string };
}

const rows: Row[] = [
  { label: 'nothing recorded: fresh', written: [], nowMs: after(0, 0), expected: { kind: 'fresh' } },
  { label: 'only Prepared: fresh', written: [PREPARED], nowMs: after(0, 5), expected: { kind: 'fresh' } },
  {
    label: 'Deploying only: resume before step 1',
    written: [PREPARED, DEPLOYING],
    nowMs: after(1, 30),
    expected: { kind: 'resume', completed: 0, watchRemainingMs: 0 },
  },
  {
    label: 'Step 1/3 recorded 2 s into its 5 s pause: resume after step 1, 3 s left',
    written: [PREPARED, DEPLOYING, STEP_1],
    nowMs: after(2, 2),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 3000 },
  },
  {
    label: 'Step 1/3 recorded, its pause over: resume after step 1, nothing left to watch',
    written: [PREPARED, DEPLOYING, STEP_1],
    nowMs: after(2, 9),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 0 },
  },
  {
    label: 'Step 1/3 recorded "later" than now (clock skew): the whole pause is left',
    written: [PREPARED, DEPLOYING, STEP_1],
    nowMs: after(2, -3),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 5000 },
  },
  {
    label: 'Step 2/3 the newest: resume after step 2',
    written: [PREPARED, DEPLOYING, STEP_1, STEP_2],
    nowMs: after(3, 1),
    expected: { kind: 'resume', completed: 2, watchRemainingMs: 4000 },
  },
  {
    label: 'Step 3/3 recorded, not yet Deployed: resume after step 3 (no pause)',
    written: [PREPARED, DEPLOYING, STEP_1, STEP_2, STEP_3],
    nowMs: after(4, 1),
    expected: { kind: 'resume', completed: 3, watchRemainingMs: 0 },
  },
  {
    label: 'Step 3/3 recorded and Deployed: done',
    written: [PREPARED, DEPLOYING, STEP_1, STEP_2, STEP_3, 'success: Deployed 1.2.0'],
    nowMs: after(5, 60),
    expected: { kind: 'done' },
  },
  {
    label: 'Deployed, then Verified: still done',
    written: [
      DEPLOYING,
      STEP_1,
      STEP_2,
      STEP_3,
      'success: Deployed 1.2.0',
      'success: Verified: 1 check(s) passed',
    ],
    nowMs: after(5, 60),
    expected: { kind: 'done' },
  },
  {
    label: 'Deployed all at once (no step recorded): fresh',
    written: [PREPARED, DEPLOYING, 'success: Deployed 1.2.0'],
    nowMs: after(2, 60),
    expected: { kind: 'fresh' },
  },
  {
    label: 'Deployed after a step that is not the last: fresh',
    written: [DEPLOYING, STEP_1, STEP_2, 'success: Deployed 1.2.0'],
    nowMs: after(3, 60),
    expected: { kind: 'fresh' },
  },
  {
    label: 'config changed: the label of step 1 differs (20%): fresh',
    written: [PREPARED, DEPLOYING, 'in_progress: Step 1/3: 20% — watching 5s'],
    nowMs: after(2, 1),
    expected: { kind: 'fresh' },
  },
  {
    label: 'config changed: 2 steps recorded, 3 planned: fresh',
    written: [PREPARED, DEPLOYING, 'in_progress: Step 1/2: 10% — watching 5s'],
    nowMs: after(2, 1),
    expected: { kind: 'fresh' },
  },
  {
    label: 'config changed: step 4 recorded, 3 planned: fresh',
    written: [DEPLOYING, 'in_progress: Step 4/3: 100%'],
    nowMs: after(1, 1),
    expected: { kind: 'fresh' },
  },
  {
    label: 'only the pause changed (label the same): resume, the planned pause counts',
    written: [PREPARED, DEPLOYING, 'in_progress: Step 1/3: 10% — watching 1h'],
    nowMs: after(2, 1),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 4000 },
  },
  {
    label: 'Rollout failed, rolled back: ended, with that status',
    written: [
      DEPLOYING,
      STEP_1,
      ROLLING_BACK_2,
      'failure: Rollout failed at step 2/3 (50%), rolled back: healthz: HTTP 500',
    ],
    nowMs: after(3, 1),
    expected: {
      kind: 'ended',
      description: 'Rollout failed at step 2/3 (50%), rolled back: healthz: HTTP 500',
    },
  },
  {
    label: 'Rollout failed, the rollback command failed: ended (not rolled back again)',
    written: [
      DEPLOYING,
      STEP_1,
      ROLLING_BACK_2,
      'failure: Rollout failed at step 2/3 (50%), rollback command exit code 1: healthz: HTTP 500',
    ],
    nowMs: after(3, 1),
    expected: {
      kind: 'ended',
      description: 'Rollout failed at step 2/3 (50%), rollback command exit code 1: healthz: HTTP 500',
    },
  },
  {
    label: 'Rollout failed, rolling back the newest: undo, the failed step and its reason',
    written: [DEPLOYING, STEP_1, STEP_2, ROLLING_BACK_2],
    nowMs: after(3, 30),
    expected: { kind: 'undo', failed: 2, reason: 'healthz: HTTP 500' },
  },
  {
    label: 'rolling back at step 1 (its command failed, nothing recorded for it): undo step 1',
    written: [
      DEPLOYING,
      'failure: Rollout failed at step 1/3 (10%), rolling back: deploy command exit code 2',
    ],
    nowMs: after(1, 1),
    expected: { kind: 'undo', failed: 1, reason: 'deploy command exit code 2' },
  },
  {
    label: 'rolling back, its reason cut at 140 characters: still undo, with the reason as recorded',
    written: [DEPLOYING, STEP_1, STEP_2, `failure: ${statusDescription(LONG_ROLLING_BACK)}`],
    nowMs: after(3, 1),
    expected: {
      kind: 'undo',
      failed: 2,
      reason: statusDescription(LONG_ROLLING_BACK).slice(
        'Rollout failed at step 2/3 (50%), rolling back: '.length,
      ),
    },
  },
  {
    label: 'rolling back, recorded for 2 steps while 3 are planned (config changed): ended',
    written: [DEPLOYING, 'failure: Rollout failed at step 2/2 (50%), rolling back: healthz: HTTP 500'],
    nowMs: after(1, 1),
    expected: {
      kind: 'ended',
      description: 'Rollout failed at step 2/2 (50%), rolling back: healthz: HTTP 500',
    },
  },
  {
    label: 'a failure status that is not legible (old or foreign text): ended',
    written: [DEPLOYING, STEP_1, 'failure: Rollout failed by hand'],
    nowMs: after(2, 1),
    expected: { kind: 'ended', description: 'Rollout failed by hand' },
  },
  {
    label: 'Rollout halted: ended, with that status',
    written: [DEPLOYING, STEP_1, STEP_2, 'failure: Rollout halted at step 2/3 (50%): healthz: HTTP 500'],
    nowMs: after(3, 1),
    expected: { kind: 'ended', description: 'Rollout halted at step 2/3 (50%): healthz: HTTP 500' },
  },
  {
    label: 'a later Deploying after older steps: the older steps are ignored (resume before step 1)',
    written: [DEPLOYING, STEP_1, STEP_2, DEPLOYING],
    nowMs: after(3, 1),
    expected: { kind: 'resume', completed: 0, watchRemainingMs: 0 },
  },
  {
    label: 'a later Deploying, then step 1 again: resume after step 1, timed from the newer one',
    written: [DEPLOYING, STEP_1, STEP_2, DEPLOYING, STEP_1],
    nowMs: after(4, 1),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 4000 },
  },
  {
    label: 'a status the suite did not write after step 1 (auto_inactive) does not hide it',
    written: [DEPLOYING, STEP_1, 'inactive: '],
    nowMs: after(1, 2),
    expected: { kind: 'resume', completed: 1, watchRemainingMs: 3000 },
  },
];

describe('rolloutStart', () => {
  it.each(rows)('$label', ({ written, nowMs, expected }) => {
    const progress = releaseProgress(
      statuses(written, { times: written.map((_, index) => writtenAt(index)) }),
    );
    const start = rolloutStart(progress, STEPS, nowMs);
    if (expected.kind === 'ended') {
      expect(start.kind).toBe('ended');
      expect(start.kind === 'ended' && start.status.description).toBe(expected.description);
    } else {
      expect(start).toEqual(expected);
    }
  });

  it('a step recorded at a time that does not parse leaves its whole pause to watch', () => {
    const progress = releaseProgress(statuses([DEPLOYING, STEP_1], { times: [writtenAt(0), 'not a time'] }));
    expect(rolloutStart(progress, STEPS, after(0, 60))).toEqual({
      kind: 'resume',
      completed: 1,
      watchRemainingMs: 5000,
    });
  });
});

describe('recordedStep', () => {
  it.each([
    { description: 'Step 2/3: 50% — watching 10m', expected: { number: 2, count: 3, label: '50%' } },
    { description: 'Step 3/3: 100%', expected: { number: 3, count: 3, label: '100%' } },
    {
      description: 'Step 2/2: us-east-1, us-west-2 — watching 1h30m',
      expected: { number: 2, count: 2, label: 'us-east-1, us-west-2' },
    },
    { description: 'Step 2/2: switch to green', expected: { number: 2, count: 2, label: 'switch to green' } },
    {
      description: 'Step 1/2: deploy to green — watching 5m',
      expected: { number: 1, count: 2, label: 'deploy to green' },
    },
    { description: 'Step 10/10: 100%', expected: { number: 10, count: 10, label: '100%' } },
    { description: 'Step 1/3: ', expected: { number: 1, count: 3, label: '' } },
    { description: 'Deploying 1.2.0', expected: undefined },
    { description: 'Step one/3: 10%', expected: undefined },
    { description: 'Step 1/3 10%', expected: undefined },
    { description: 'step 1/3: 10%', expected: undefined },
    { description: 'Rollout failed at step 2/3 (50%), rolled back: healthz: HTTP 500', expected: undefined },
  ])('"$description"', ({ description, expected }) => {
    expect(recordedStep(description)).toEqual(expected);
  });
});
