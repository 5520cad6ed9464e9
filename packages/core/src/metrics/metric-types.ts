/**
 * The delivery metrics `status` reports for the last environment of the chain (the four DORA keys), over a window
 * of days ending when status runs. Computed only from the Deployments the suite recorded.
 */
export interface DoraMetrics {
  /** The environment measured: the last of the chain. */
  environment: string;
  windowDays: number;
  /** The window, ISO times: `to` is when status ran. */
  from: string;
  to: string;
  /** Releases accepted in the environment during the window (rollbacks not counted). */
  deployments: number;
  /** `deployments` per day of the window. */
  deploymentsPerDay: number;
  /** From the release commit's commit time to its acceptance, in hours, over releases accepted in the window. */
  leadTimeHours: { median: number | null; p90: number | null; samples: number };
  /**
   * Releases deployed in the window that were rolled back or whose verification failed, over all releases
   * deployed in the window; `rate` is null when none was deployed.
   */
  changeFailureRate: { failed: number; total: number; rate: number | null };
  /** From a failed release's first failure mark to the next acceptance in the environment, in hours. */
  timeToRestoreHours: { median: number | null; samples: number };
  /** Requests made to read the window (GraphQL pages). */
  requests: number;
}
