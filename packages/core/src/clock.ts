/**
 * The one clock shape of the suite: every rule that depends on time (freeze windows, stale releases, delivery
 * metrics, verification's retries and bake time, a command's duration) reads it through a `Clock`, so tests pass
 * a fake one and nothing reads the system clock behind their back. Pure rules take the instant as a `Date`
 * argument instead.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** The system clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
