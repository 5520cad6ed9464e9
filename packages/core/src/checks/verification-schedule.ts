/**
 * When verification waits and when it stops: the pure decisions behind its retries and its bake time. They take
 * instants and durations in milliseconds and never read a clock, so each one is checked with a table of cases.
 */

/** The longest wait between two rounds of retries (unless `interval` itself is longer). */
export const MAX_RETRY_WAIT_MS = 60_000;
/** During bake time, rounds are at least this far apart, even with `interval: 0`. */
export const MIN_BAKE_INTERVAL_MS = 1000;

/**
 * Whether another round of retries follows round `round` (from 1): some checks still fail and attempts remain.
 */
export function retryAgain(failingChecks: number, round: number, attempts: number): boolean {
  return failingChecks > 0 && round < attempts;
}

/**
 * The wait after failed round `round` (from 1): `intervalMs` doubled after each failed round, capped at
 * {@link MAX_RETRY_WAIT_MS}, or at `intervalMs` itself when that is longer (a long interval is never shortened).
 */
export function retryWaitMs(intervalMs: number, round: number): number {
  return Math.min(intervalMs * 2 ** (round - 1), Math.max(MAX_RETRY_WAIT_MS, intervalMs));
}

/** When the rounds of a bake time are due. */
export interface BakeSchedule {
  /** When the bake time started (every check had just passed), in milliseconds since the epoch. */
  startMs: number;
  /** When the bake time is over: the last round runs then at the latest. */
  deadlineMs: number;
  /** How far apart rounds are due. */
  stepMs: number;
  /** How many rounds there are at most; fewer when checks take long enough to reach the deadline sooner. */
  maxRounds: number;
}

/**
 * The schedule of a bake time of `bakeTimeMs` starting at `startMs`: rounds every `intervalMs`, at least
 * {@link MIN_BAKE_INTERVAL_MS} apart so that `interval: 0` does not hammer the deployment.
 */
export function bakeSchedule(startMs: number, intervalMs: number, bakeTimeMs: number): BakeSchedule {
  const stepMs = Math.max(intervalMs, MIN_BAKE_INTERVAL_MS);
  return {
    startMs,
    deadlineMs: startMs + bakeTimeMs,
    stepMs,
    maxRounds: Math.ceil(bakeTimeMs / stepMs),
  };
}

/**
 * How long to wait at `nowMs` before bake round `round` (from 1) is due; zero or less means it is due already.
 * Rounds keep to the schedule whatever the checks take, and the last one is never due after the deadline.
 */
export function bakeRoundWaitMs(schedule: BakeSchedule, round: number, nowMs: number): number {
  return Math.min(schedule.startMs + round * schedule.stepMs, schedule.deadlineMs) - nowMs;
}

/** Whether the bake time is over at `nowMs`, so no further round runs. */
export function bakeIsOver(schedule: BakeSchedule, nowMs: number): boolean {
  return nowMs >= schedule.deadlineMs;
}
