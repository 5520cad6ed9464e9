import { describe, expect, it } from '@jest/globals';
import { computeDoraMetrics } from '../src/metrics/dora-metrics.js';
import { STEP_MARKERS, type ReleaseStep } from '../src/state/deployment-markers.js';
import type { HistoryDeployment } from '../src/state/release-history.js';

// Small hand-made histories of one environment, one per definition of computeDoraMetrics.

const NOW = new Date('2025-03-31T00:00:00Z');
const HOUR = 3600 * 1000;
/** An ISO time `hours` after the start of the 7-day window ending at NOW. */
const at = (hours: number) => new Date(NOW.getTime() - 7 * 24 * HOUR + hours * HOUR).toISOString();
const options = { environment: 'production', windowDays: 7, now: NOW };

let nextId = 1;
/** A deployment whose statuses are [step, hours] pairs, oldest first (given), stored newest first like the reader. */
function deployment(
  created: number,
  steps: Array<[ReleaseStep, number]>,
  extra: {
    kind?: 'release' | 'rollback';
    sha?: string;
    committedHoursBefore?: number | null;
    rollbackOf?: string;
  } = {},
): HistoryDeployment {
  const id = nextId++;
  const sha = extra.sha ?? id.toString(16).padStart(40, '0');
  const committed = extra.committedHoursBefore;
  return {
    id,
    sha,
    createdAt: at(created),
    committedDate: committed === null ? null : at(created - (committed ?? 1)),
    release: {
      schema: 1,
      kind: extra.kind ?? 'release',
      environment: 'production',
      sha,
      version: null,
      previous: null,
      run: { id, attempt: 1, url: `https://example.test/runs/${id}` },
      actor: 'mona',
      forced: null,
      rollback: extra.rollbackOf ? { from: { sha: extra.rollbackOf, version: null }, reason: 'bad' } : null,
    },
    statuses: steps
      .map(([step, hours]) => ({
        state: STEP_MARKERS[step].state,
        description: `${STEP_MARKERS[step].prefix} by the test`,
        createdAt: at(hours),
      }))
      .reverse(),
  };
}

/** Gives `target`'s newest statuses (newest first) these descriptions, as deploy-env writes them. */
function described(target: HistoryDeployment, descriptions: string[]): void {
  descriptions.forEach((description, index) => {
    const status = target.statuses[index];
    if (status) target.statuses[index] = { ...status, description };
  });
}

const accepted = (created: number, acceptedAfter: number, extra = {}) =>
  deployment(
    created,
    [
      ['prepared', created],
      ['deploying', created + 0.1],
      ['deployed', created + 0.2],
      ['verified', created + 0.3],
      ['accepted', created + acceptedAfter],
    ],
    extra,
  );

describe('computeDoraMetrics', () => {
  it('reports an empty window with zeros and nulls', () => {
    expect(computeDoraMetrics([], options)).toEqual({
      environment: 'production',
      windowDays: 7,
      from: '2025-03-24T00:00:00.000Z',
      to: '2025-03-31T00:00:00.000Z',
      deployments: 0,
      deploymentsPerDay: 0,
      leadTimeHours: { median: null, p90: null, samples: 0 },
      changeFailureRate: { failed: 0, total: 0, rate: null },
      timeToRestoreHours: { median: null, samples: 0 },
    });
  });

  it('counts releases accepted in the window and their lead times by nearest rank', () => {
    const history = [
      accepted(10, 1, { committedHoursBefore: 1 }), // lead 2 h
      accepted(20, 2, { committedHoursBefore: 8 }), // lead 10 h
      accepted(30, 1, { committedHoursBefore: 29 }), // lead 30 h
      accepted(40, 3, { committedHoursBefore: 2 }), // lead 5 h
      accepted(-5, 6), // created before the window, accepted in it: not counted
      accepted(160, 20), // accepted after now: not counted (and that status is not read)
      deployment(
        50,
        [
          ['deploying', 50],
          ['accepted', 51],
        ],
        { kind: 'rollback', rollbackOf: 'f'.repeat(40) },
      ),
      deployment(60, [['prepared', 60]]), // never deployed
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.deployments).toBe(4);
    expect(metrics.deploymentsPerDay).toBeCloseTo(4 / 7, 12);
    // Sorted 2, 5, 10, 30: the median is rank ceil(0.5 x 4) = 2, p90 rank ceil(0.9 x 4) = 4.
    expect(metrics.leadTimeHours).toEqual({ median: 5, p90: 30, samples: 4 });
  });

  it('counts a commit dated after its acceptance as 0 and leaves an unknown commit date out', () => {
    const history = [
      accepted(10, 1, { committedHoursBefore: -5 }),
      accepted(20, 1, { committedHoursBefore: null }),
      accepted(30, 1, { committedHoursBefore: 3 }),
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.deployments).toBe(3);
    expect(metrics.leadTimeHours).toEqual({ median: 0, p90: 4, samples: 2 });
  });

  it('rates releases rolled back or failing verification over all releases that reached the environment', () => {
    const history = [
      accepted(10, 1), // reached, fine
      deployment(20, [
        ['prepared', 20],
        ['deploying', 20.1],
        ['deploy-failed', 20.2],
      ]), // reached, not failed
      deployment(30, [['prepared', 30]]), // never reached
      deployment(35, [
        ['prepared', 35],
        ['superseded', 36],
      ]), // never reached
      deployment(40, [
        ['prepared', 40],
        ['deploying', 40.1],
        ['deployed', 40.2],
        ['verification-failed', 40.3],
      ]),
      deployment(50, [
        ['deployed', 50.2],
        ['verified', 50.3],
        ['accepted', 51],
        ['rolled-back', 55],
      ]),
      deployment(60, [
        ['deployed', 60.2],
        ['verification-failed', 60.3],
        ['verified', 61],
        ['accepted', 62],
      ]), // failed once, then accepted: still a failure
      deployment(-3, [
        ['deployed', -2.8],
        ['verification-failed', -2.7],
      ]), // created before the window
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.changeFailureRate).toEqual({ failed: 3, total: 5, rate: 0.6 });
  });

  it('counts a release whose rollout failed or halted as a failed change, and one still rolling out as reached', () => {
    const history = [
      accepted(10, 1), // reached, fine
      deployment(20, [
        ['prepared', 20],
        ['deploying', 20.1],
        ['rollout-step', 20.2],
        ['rollout-failed', 20.3],
      ]), // rolled back by its rollout
      deployment(30, [
        ['prepared', 30],
        ['deploying', 30.1],
        ['rollout-step', 30.2],
        ['rollout-halted', 30.3],
      ]), // halted by its rollout
      deployment(40, [
        ['prepared', 40],
        ['deploying', 40.1],
        ['rollout-step', 40.2],
      ]), // rolling out: reached, not failed
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.changeFailureRate).toEqual({ failed: 2, total: 4, rate: 0.5 });
  });

  it('times the restore of a release its rollout undid from its rolling-back status to its rolled-back one', () => {
    const undone = deployment(10, [
      ['prepared', 10],
      ['deploying', 10.1],
      ['rollout-step', 10.2],
      ['rollout-failed', 10.3],
      ['rollout-failed', 10.45],
    ]);
    // Statuses are newest first: deploy-env writes "rolling back" before the rollback command runs, then the
    // outcome once it has.
    described(undone, [
      'Rollout failed at step 2/3 (50%), rolled back: errors: 0.2 (not below 0.01)',
      'Rollout failed at step 2/3 (50%), rolling back: errors: 0.2 (not below 0.01)',
    ]);
    // Halted (nothing undone): restored by the next acceptance, at 31.
    const halted = deployment(20, [
      ['deploying', 20.1],
      ['rollout-halted', 20.2],
    ]);
    const metrics = computeDoraMetrics([undone, halted, accepted(30, 1)], options);
    expect(metrics.changeFailureRate).toEqual({ failed: 2, total: 3, rate: 2 / 3 });
    // 10.3 -> 10.45 for the one undone, 20.2 -> 31 for the halted one; the median by nearest rank is the first.
    expect(metrics.timeToRestoreHours.samples).toBe(2);
    expect(metrics.timeToRestoreHours.median).toBeCloseTo(0.15, 6);
  });

  it.each([
    { label: 'still rolling back', newest: 'rolling back' },
    { label: 'its rollback command failed', newest: 'rollback command exit code 1' },
  ])('a release whose rollout is $label is restored by the next acceptance, not by itself', ({ newest }) => {
    const failed = deployment(10, [
      ['deploying', 10.1],
      ['rollout-step', 10.2],
      ['rollout-failed', 10.3],
      ['rollout-failed', 10.45],
    ]);
    described(failed, [
      `Rollout failed at step 2/3 (50%), ${newest}: errors: 0.2 (not below 0.01)`,
      'Rollout failed at step 2/3 (50%), rolling back: errors: 0.2 (not below 0.01)',
    ]);
    const metrics = computeDoraMetrics([failed, accepted(12, 0.3)], options);
    // From the first failure mark (10.3) to the acceptance at 12.3.
    expect(metrics.timeToRestoreHours).toEqual({ median: expect.closeTo(2, 6), samples: 1 });
  });

  it('times the restore from the first failure mark to the next acceptance', () => {
    const shaA = 'a'.repeat(40);
    const shaB = 'b'.repeat(40);
    const history = [
      // A: verification failed at 10.5, rollback accepted at 12, A marked rolled back after: 1.5 h.
      deployment(
        10,
        [
          ['deployed', 10.2],
          ['verification-failed', 10.5],
          ['rolled-back', 12.001],
        ],
        { sha: shaA },
      ),
      deployment(
        11,
        [
          ['deploying', 11],
          ['accepted', 12],
        ],
        { kind: 'rollback', rollbackOf: shaA },
      ),
      // B: accepted, rolled back by a rollback created at 40 and accepted at 40.25: 0.25 h.
      deployment(
        30,
        [
          ['deployed', 30.2],
          ['verified', 30.3],
          ['accepted', 31],
          ['rolled-back', 40.251],
        ],
        {
          sha: shaB,
        },
      ),
      deployment(
        40,
        [
          ['deploying', 40],
          ['accepted', 40.25],
        ],
        { kind: 'rollback', rollbackOf: shaB },
      ),
      // C: verification failed at 60.5, never rolled back; D accepted at 66.5 restores it: 6 h.
      deployment(60, [
        ['deployed', 60.2],
        ['verification-failed', 60.5],
      ]),
      accepted(65, 1.5),
      // E: verification failed, nothing accepted after it by now: failed, not restored.
      deployment(150, [
        ['deployed', 150.2],
        ['verification-failed', 150.5],
      ]),
      accepted(160, 20), // accepted after now: no restore
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.changeFailureRate).toEqual({ failed: 4, total: 6, rate: 4 / 6 });
    // Samples 0.25, 1.5, 6: the median is rank 2.
    expect(metrics.timeToRestoreHours.samples).toBe(3);
    expect(metrics.timeToRestoreHours.median).toBeCloseTo(1.5, 9);
    expect(metrics.deployments).toBe(2); // B and D
  });

  it('reads the history as it stood at `now`', () => {
    const history = [
      deployment(100, [
        ['deployed', 100.2],
        ['verification-failed', 100.5],
        ['accepted', 200],
      ]),
      accepted(120, 100),
    ];
    const metrics = computeDoraMetrics(history, options);
    expect(metrics.deployments).toBe(0);
    expect(metrics.changeFailureRate).toEqual({ failed: 1, total: 2, rate: 0.5 });
    expect(metrics.timeToRestoreHours).toEqual({ median: null, samples: 0 });
    const later = computeDoraMetrics(history, { ...options, now: new Date(NOW.getTime() + 100 * HOUR) });
    expect(later.timeToRestoreHours.samples).toBe(1);
  });

  it('refuses a window that is not a positive number of days', () => {
    expect(() => computeDoraMetrics([], { ...options, windowDays: 0 })).toThrow(/greater than 0/);
    expect(() => computeDoraMetrics([], { ...options, windowDays: Number.NaN })).toThrow(RangeError);
  });
});
