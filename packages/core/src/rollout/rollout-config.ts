/**
 * How a release rolls out inside one environment (`environments[n].rollout` in `.github/promotion.yml`), as the
 * validator gives it to the actions. Durations are in milliseconds. An environment without `rollout` deploys all
 * at once (`ALL_AT_ONCE`), as deploy-env always did.
 */

/** The strategies, as written in the file. */
export const ROLLOUT_STRATEGIES = ['all-at-once', 'canary', 'phased', 'blue-green'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

/** What a failing check does: undo the steps done (`rollback`), or stop where the rollout is (`halt`). */
export const ON_FAILURE_VALUES = ['rollback', 'halt'] as const;
export type OnFailure = (typeof ON_FAILURE_VALUES)[number];

/** The most steps a canary or phased rollout may have (each is a deployment status; GitHub keeps them all). */
export const MAX_ROLLOUT_STEPS = 10;
/** Default `check-interval`: the checks repeat every 30 s during a pause. */
export const DEFAULT_CHECK_INTERVAL_MS = 30_000;
/** Default blue-green `slots`. */
export const DEFAULT_SLOTS: readonly [string, string] = ['blue', 'green'];

/** What every strategy but all-at-once has. */
interface GradualRollout {
  /** How often the checks repeat during a pause. */
  checkIntervalMs: number;
  onFailure: OnFailure;
}

/** One canary step: the share of traffic the new release gets, then how long the checks are watched. */
export interface CanaryStep {
  /** 1-100, increasing from step to step; the last is 100. */
  weight: number;
  /** 0 when the next step follows at once. */
  pauseMs: number;
}

/** One phased step: the targets (regions, clusters, hosts) that get the release, then the pause. */
export interface PhasedStep {
  /** Non-empty; a target appears in one step only. */
  targets: string[];
  pauseMs: number;
}

export interface AllAtOnceRollout {
  strategy: 'all-at-once';
}

export interface CanaryRollout extends GradualRollout {
  strategy: 'canary';
  steps: CanaryStep[];
}

export interface PhasedRollout extends GradualRollout {
  strategy: 'phased';
  steps: PhasedStep[];
}

export interface BlueGreenRollout extends GradualRollout {
  strategy: 'blue-green';
  /** Two distinct slot names; the release goes to the idle one, then traffic switches to it. */
  slots: readonly [string, string];
  /** Where the idle slot answers before the switch, `{slot}` standing for its name; checked during the pause. */
  previewUrl: string | undefined;
  /** How long the idle slot is watched before the switch (0: switch at once). */
  pauseMs: number;
}

/** An environment's rollout. */
export type RolloutConfig = AllAtOnceRollout | CanaryRollout | PhasedRollout | BlueGreenRollout;

/** A rollout in steps: any strategy but all-at-once. */
export type GradualRolloutConfig = Exclude<RolloutConfig, { strategy: 'all-at-once' }>;

/** The rollout of an environment that declares none. */
export const ALL_AT_ONCE: AllAtOnceRollout = Object.freeze({ strategy: 'all-at-once' });
