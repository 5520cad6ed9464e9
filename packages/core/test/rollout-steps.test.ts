/**
 * The steps of a rollout as one pure plan, a row per situation: what each step tells the deploy command
 * (`RELEASE_*`), what the rollback is told per strategy, and the status text of a completed step — including a
 * phased step whose targets make that text longer than GitHub's 140 characters, which a re-run must still
 * recognise after the status was cut.
 */
import { describe, expect, it } from '@jest/globals';
import { CANARY_ROLLOUT as CANARY } from './support/fixtures.js';
import type { BlueGreenRollout, PhasedRollout } from '../src/rollout/rollout-config.js';
import { recordedStep, rolloutStart } from '../src/rollout/rollout-resume.js';
import {
  previewUrlOf,
  replacedReleaseVariables,
  rollbackVariables,
  rolloutSteps,
  stepName,
  stepStatusText,
  type ReplacedRelease,
  type RolloutStep,
  type SlotPair,
} from '../src/rollout/rollout-steps.js';
import { releaseProgress } from '../src/state/deployment-markers.js';
import { MAX_STATUS_DESCRIPTION_LENGTH, statusDescription } from '../src/state/deployments.js';
import { statuses } from './support/fixtures.js';

const MINUTE = 60_000;

const PHASED: PhasedRollout = {
  strategy: 'phased',
  checkIntervalMs: 30_000,
  onFailure: 'rollback',
  steps: [
    { targets: ['eu-west-1'], pauseMs: 10 * MINUTE },
    { targets: ['us-east-1', 'us-west-2'], pauseMs: 0 },
  ],
};

const BLUE_GREEN: BlueGreenRollout = {
  strategy: 'blue-green',
  checkIntervalMs: 30_000,
  onFailure: 'rollback',
  slots: ['blue', 'green'],
  previewUrl: undefined,
  pauseMs: 5 * MINUTE,
};

const LIVE_BLUE: SlotPair = { live: 'blue', idle: 'green' };
const LIVE_GREEN: SlotPair = { live: 'green', idle: 'blue' };
const PREVIOUS: ReplacedRelease = { sha: 'b'.repeat(40), version: '1.1.0' };

/** The variables every step of `strategy` has, besides its own. */
function common(strategy: string, step: number, count: number, action: string): Record<string, string> {
  return {
    RELEASE_STRATEGY: strategy,
    RELEASE_STEP: String(step),
    RELEASE_STEPS: String(count),
    RELEASE_ACTION: action,
  };
}

describe('rolloutSteps', () => {
  const rows: Array<{
    label: string;
    rollout: Parameters<typeof rolloutSteps>[0];
    slots: SlotPair;
    expected: RolloutStep[];
  }> = [
    {
      label: 'canary, 3 steps: the weight of each, the last with no pause',
      rollout: CANARY,
      slots: LIVE_GREEN,
      expected: [
        {
          number: 1,
          count: 3,
          action: 'deploy',
          label: '10%',
          pauseMs: 5 * MINUTE,
          variables: { ...common('canary', 1, 3, 'deploy'), RELEASE_WEIGHT: '10' },
        },
        {
          number: 2,
          count: 3,
          action: 'deploy',
          label: '50%',
          pauseMs: 10 * MINUTE,
          variables: { ...common('canary', 2, 3, 'deploy'), RELEASE_WEIGHT: '50' },
        },
        {
          number: 3,
          count: 3,
          action: 'deploy',
          label: '100%',
          pauseMs: 0,
          variables: { ...common('canary', 3, 3, 'deploy'), RELEASE_WEIGHT: '100' },
        },
      ],
    },
    {
      label: 'phased, 2 steps: targets comma separated in the variable, with a space in the label',
      rollout: PHASED,
      slots: LIVE_GREEN,
      expected: [
        {
          number: 1,
          count: 2,
          action: 'deploy',
          label: 'eu-west-1',
          pauseMs: 10 * MINUTE,
          variables: { ...common('phased', 1, 2, 'deploy'), RELEASE_TARGETS: 'eu-west-1' },
        },
        {
          number: 2,
          count: 2,
          action: 'deploy',
          label: 'us-east-1, us-west-2',
          pauseMs: 0,
          variables: { ...common('phased', 2, 2, 'deploy'), RELEASE_TARGETS: 'us-east-1,us-west-2' },
        },
      ],
    },
    {
      label: 'blue-green, blue live: deploy to green (watched), then switch to green',
      rollout: BLUE_GREEN,
      slots: LIVE_BLUE,
      expected: [
        {
          number: 1,
          count: 2,
          action: 'deploy',
          label: 'deploy to green',
          pauseMs: 5 * MINUTE,
          variables: { ...common('blue-green', 1, 2, 'deploy'), RELEASE_SLOT: 'green' },
        },
        {
          number: 2,
          count: 2,
          action: 'switch',
          label: 'switch to green',
          pauseMs: 0,
          variables: { ...common('blue-green', 2, 2, 'switch'), RELEASE_SLOT: 'green' },
        },
      ],
    },
    {
      label: 'blue-green, green live: the release goes to blue',
      rollout: BLUE_GREEN,
      slots: LIVE_GREEN,
      expected: [
        {
          number: 1,
          count: 2,
          action: 'deploy',
          label: 'deploy to blue',
          pauseMs: 5 * MINUTE,
          variables: { ...common('blue-green', 1, 2, 'deploy'), RELEASE_SLOT: 'blue' },
        },
        {
          number: 2,
          count: 2,
          action: 'switch',
          label: 'switch to blue',
          pauseMs: 0,
          variables: { ...common('blue-green', 2, 2, 'switch'), RELEASE_SLOT: 'blue' },
        },
      ],
    },
    {
      label: 'blue-green with a preview URL: {slot} (every one) is the idle slot, on the first step only',
      rollout: { ...BLUE_GREEN, previewUrl: 'https://{slot}.pre.example.com/health?slot={slot}', pauseMs: 0 },
      slots: LIVE_BLUE,
      expected: [
        {
          number: 1,
          count: 2,
          action: 'deploy',
          label: 'deploy to green',
          pauseMs: 0,
          variables: { ...common('blue-green', 1, 2, 'deploy'), RELEASE_SLOT: 'green' },
          previewUrl: 'https://green.pre.example.com/health?slot=green',
        },
        {
          number: 2,
          count: 2,
          action: 'switch',
          label: 'switch to green',
          pauseMs: 0,
          variables: { ...common('blue-green', 2, 2, 'switch'), RELEASE_SLOT: 'green' },
        },
      ],
    },
  ];

  it.each(rows)('$label', ({ rollout, slots, expected }) => {
    expect(rolloutSteps(rollout, slots)).toStrictEqual(expected);
  });

  it('names a step in a failure by its number, count and label', () => {
    const steps = rolloutSteps(CANARY, LIVE_GREEN);
    expect(steps.map(stepName)).toEqual(['step 1/3 (10%)', 'step 2/3 (50%)', 'step 3/3 (100%)']);
  });

  it('replaces {slot} in a preview URL; a URL without it is kept', () => {
    expect(previewUrlOf('https://{slot}.example.com', 'green')).toBe('https://green.example.com');
    expect(previewUrlOf('https://preview.example.com', 'green')).toBe('https://preview.example.com');
  });
});

describe('rollbackVariables', () => {
  const rows: Array<{
    label: string;
    rollout: Parameters<typeof rolloutSteps>[0];
    slots: SlotPair;
    failedAt: number;
    replaced: ReplacedRelease | undefined;
    expected: Record<string, string>;
  }> = [
    {
      label: 'canary failed at step 2: weight 0, the failed step named',
      rollout: CANARY,
      slots: LIVE_GREEN,
      failedAt: 2,
      replaced: PREVIOUS,
      expected: { ...common('canary', 2, 3, 'rollback'), RELEASE_WEIGHT: '0' },
    },
    {
      label: 'phased failed at step 1: the targets of step 1, back to the previous sha and version',
      rollout: PHASED,
      slots: LIVE_GREEN,
      failedAt: 1,
      replaced: PREVIOUS,
      expected: {
        ...common('phased', 1, 2, 'rollback'),
        RELEASE_TARGETS: 'eu-west-1',
        RELEASE_SHA: PREVIOUS.sha,
        RELEASE_VERSION: '1.1.0',
      },
    },
    {
      label: 'phased failed at step 2: the targets of steps 1 and 2',
      rollout: PHASED,
      slots: LIVE_GREEN,
      failedAt: 2,
      replaced: PREVIOUS,
      expected: {
        ...common('phased', 2, 2, 'rollback'),
        RELEASE_TARGETS: 'eu-west-1,us-east-1,us-west-2',
        RELEASE_SHA: PREVIOUS.sha,
        RELEASE_VERSION: '1.1.0',
      },
    },
    {
      label: 'phased, previous release without a version: an empty RELEASE_VERSION',
      rollout: PHASED,
      slots: LIVE_GREEN,
      failedAt: 1,
      replaced: { sha: PREVIOUS.sha, version: null },
      expected: {
        ...common('phased', 1, 2, 'rollback'),
        RELEASE_TARGETS: 'eu-west-1',
        RELEASE_SHA: PREVIOUS.sha,
        RELEASE_VERSION: '',
      },
    },
    {
      label: 'phased, no release replaced (the first there): empty RELEASE_SHA and RELEASE_VERSION',
      rollout: PHASED,
      slots: LIVE_GREEN,
      failedAt: 2,
      replaced: undefined,
      expected: {
        ...common('phased', 2, 2, 'rollback'),
        RELEASE_TARGETS: 'eu-west-1,us-east-1,us-west-2',
        RELEASE_SHA: '',
        RELEASE_VERSION: '',
      },
    },
    {
      label: 'blue-green, blue live, failed while watching green: back to blue',
      rollout: BLUE_GREEN,
      slots: LIVE_BLUE,
      failedAt: 1,
      replaced: PREVIOUS,
      expected: { ...common('blue-green', 1, 2, 'rollback'), RELEASE_SLOT: 'blue' },
    },
    {
      label: 'blue-green, green live, the switch failed: back to green',
      rollout: BLUE_GREEN,
      slots: LIVE_GREEN,
      failedAt: 2,
      replaced: undefined,
      expected: { ...common('blue-green', 2, 2, 'rollback'), RELEASE_SLOT: 'green' },
    },
  ];

  it.each(rows)('$label', ({ rollout, slots, failedAt, replaced, expected }) => {
    const steps = rolloutSteps(rollout, slots);
    const failed = steps[failedAt - 1] as RolloutStep;
    expect(rollbackVariables(rollout, steps, failed, { slots, replaced })).toStrictEqual(expected);
  });

  it.each([
    {
      label: 'a replaced release with a version',
      replaced: PREVIOUS,
      expected: { RELEASE_PREVIOUS_SHA: PREVIOUS.sha, RELEASE_PREVIOUS_VERSION: '1.1.0' },
    },
    {
      label: 'a replaced release without a version',
      replaced: { sha: PREVIOUS.sha, version: null },
      expected: { RELEASE_PREVIOUS_SHA: PREVIOUS.sha, RELEASE_PREVIOUS_VERSION: '' },
    },
    {
      label: 'none replaced',
      replaced: undefined,
      expected: { RELEASE_PREVIOUS_SHA: '', RELEASE_PREVIOUS_VERSION: '' },
    },
  ])('replacedReleaseVariables: $label', ({ replaced, expected }) => {
    expect(replacedReleaseVariables(replaced)).toStrictEqual(expected);
  });
});

/** A phased step of `targets`, paused `pauseMs`, as step 1 of 2. */
function phasedStep(targets: string[], pauseMs: number): RolloutStep {
  const rollout: PhasedRollout = {
    ...PHASED,
    steps: [
      { targets, pauseMs },
      { targets: ['last'], pauseMs: 0 },
    ],
  };
  return rolloutSteps(rollout, LIVE_GREEN)[0] as RolloutStep;
}

describe('stepStatusText', () => {
  const [canary1, canary2, canary3] = rolloutSteps(CANARY, LIVE_GREEN) as RolloutStep[];
  const [phased1, phased2] = rolloutSteps(PHASED, LIVE_GREEN) as RolloutStep[];
  const [blueGreen1, blueGreen2] = rolloutSteps(BLUE_GREEN, LIVE_BLUE) as RolloutStep[];
  const rows: Array<{ label: string; step: RolloutStep; expected: string }> = [
    {
      label: 'canary step with a pause',
      step: canary2 as RolloutStep,
      expected: 'Step 2/3: 50% — watching 10m',
    },
    { label: 'canary first step', step: canary1 as RolloutStep, expected: 'Step 1/3: 10% — watching 5m' },
    { label: 'canary last step, no pause', step: canary3 as RolloutStep, expected: 'Step 3/3: 100%' },
    {
      label: 'phased step with a pause',
      step: phased1 as RolloutStep,
      expected: 'Step 1/2: eu-west-1 — watching 10m',
    },
    {
      label: 'phased step of two targets, no pause',
      step: phased2 as RolloutStep,
      expected: 'Step 2/2: us-east-1, us-west-2',
    },
    {
      label: 'a pause of 90 s',
      step: phasedStep(['eu-west-1'], 90_000),
      expected: 'Step 1/2: eu-west-1 — watching 1m30s',
    },
    {
      label: 'blue-green deploy to the idle slot',
      step: blueGreen1 as RolloutStep,
      expected: 'Step 1/2: deploy to green — watching 5m',
    },
    { label: 'blue-green switch', step: blueGreen2 as RolloutStep, expected: 'Step 2/2: switch to green' },
  ];

  it.each(rows)('$label', ({ step, expected }) => {
    const text = stepStatusText(step);
    expect(text).toBe(expected);
    expect(text.length).toBeLessThanOrEqual(MAX_STATUS_DESCRIPTION_LENGTH);
    expect(statusDescription(text)).toBe(text);
    expect(recordedStep(text)).toEqual({ number: step.number, count: step.count, label: step.label });
  });
});

describe('a phased step whose status is longer than 140 characters', () => {
  const manyTargets = Array.from({ length: 8 }, (_, index) => `k8s-cluster-eu-west-1-zone-${index}`);
  const rows: Array<{ label: string; step: RolloutStep }> = [
    { label: 'the cut falls inside the target list', step: phasedStep(manyTargets, 5000) },
    {
      label: 'the cut falls inside " — watching 10m"',
      // 'Step 1/2: ' (10) + 122 characters of targets: the cut at 139 leaves ' — watc…'.
      step: phasedStep(['a'.repeat(60), 'b'.repeat(60)], 10 * MINUTE),
    },
  ];

  it.each(rows)('$label: GitHub gets 140 characters ending in …', ({ step }) => {
    const text = stepStatusText(step);
    expect(text.length).toBeGreaterThan(MAX_STATUS_DESCRIPTION_LENGTH);
    const written = statusDescription(text);
    expect(written).toHaveLength(MAX_STATUS_DESCRIPTION_LENGTH);
    expect(written.endsWith('…')).toBe(true);
    expect(text.startsWith(written.slice(0, -1))).toBe(true);
    // The step's number and count survive the cut; the label does not.
    expect(recordedStep(written)).toMatchObject({ number: 1, count: 2 });
  });

  it.each(rows)('$label: a re-run resumes after it, not from the first step', ({ step }) => {
    const steps = [step, { ...step, number: 2, label: 'last', pauseMs: 0 }];
    const progress = releaseProgress(
      statuses(['in_progress: Deploying', `in_progress: ${statusDescription(stepStatusText(step))}`], {
        times: ['2026-07-01T10:00:00Z', '2026-07-01T10:00:01Z'],
      }),
    );
    const start = rolloutStart(progress, steps, Date.parse('2026-07-01T10:00:03Z'));
    expect(start).toEqual({ kind: 'resume', completed: 1, watchRemainingMs: step.pauseMs - 2000 });
  });

  it('a re-run after the last step, cut, and Deployed finds nothing to run', () => {
    const [first] = rolloutSteps(PHASED, LIVE_GREEN) as RolloutStep[];
    const last: RolloutStep = { ...phasedStep(manyTargets, 0), number: 2 };
    const progress = releaseProgress(
      statuses([
        'in_progress: Deploying',
        `in_progress: ${stepStatusText(first as RolloutStep)}`,
        `in_progress: ${statusDescription(stepStatusText(last))}`,
        'success: Deployed',
      ]),
    );
    expect(rolloutStart(progress, [first as RolloutStep, last], Date.now())).toEqual({ kind: 'done' });
  });

  it('a step whose cut status matches a different target list is not taken for it', () => {
    const step = phasedStep(manyTargets, 5000);
    const changed = phasedStep(['eu-central-1', ...manyTargets.slice(1)], 5000);
    const progress = releaseProgress(
      statuses(['in_progress: Deploying', `in_progress: ${statusDescription(stepStatusText(step))}`]),
    );
    expect(rolloutStart(progress, [changed, { ...changed, number: 2, label: 'last' }], Date.now())).toEqual({
      kind: 'fresh',
    });
  });
});
