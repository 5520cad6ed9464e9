/**
 * The four DORA keys of one environment, computed from the deployments the suite recorded there (see
 * `readEnvironmentHistory`). Pure: the history and the clock are arguments.
 */
import { recordedEnd } from '../rollout/rollout-end.js';
import { REACHED_STEPS, stepOf, type ReleaseStep } from '../state/deployment-markers.js';
import type { HistoryDeployment, HistoryStatus } from '../state/release-history.js';
import type { DoraMetrics } from './metric-types.js';

/** What {@link computeDoraMetrics} measures. */
export interface DoraMetricsOptions {
  /** The environment the history was read from (reported as is). */
  environment: string;
  /** The window's length in days (may be fractional), greater than 0. */
  windowDays: number;
  /** The end of the window: when the metrics are computed. */
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const FAILURE_MARKS: ReadonlySet<ReleaseStep> = new Set<ReleaseStep>([
  'verification-failed',
  'rolled-back',
  'rollout-failed',
  'rollout-halted',
]);

/**
 * Computes the DORA metrics of `history` (one environment's deployments, in any order) for the window
 * `[now - windowDays, now]`. Only statuses created at or before `now` are read (the history as it stood then);
 * a status's step is its marker (`stepOf`); times are ISO strings compared as instants. Values are not rounded.
 *
 * - **Counted deployments**: only deployments created in the window count; a *release* is one whose payload `kind`
 *   is `release` (rollbacks are never counted as releases).
 * - **Deployments** (frequency): releases with an `Accepted` status whose (earliest) acceptance time is in the
 *   window; `deploymentsPerDay` = deployments / windowDays.
 * - **Lead time for changes**: for each of those accepted releases, its (earliest) acceptance time minus the release
 *   commit's committed date, in hours (0 when the commit is dated after the acceptance, a wrong clock; left out when
 *   the date is unknown); `median` and `p90` by nearest rank (the value at rank ceil(p/100 x n) of the sorted
 *   samples), null when there is none.
 * - **Change failure rate**: `total` = releases that reached the environment (a `Deploying`, `Deployed`,
 *   `Deploy failed`, a rollout's `Step`, `Verified`, `Verification failed`, `Accepted`, `Rolled back`, `Rollout failed`
 *   or `Rollout halted` status); `failed` = those with a `Rolled back`, `Rollout failed`, `Rollout halted` or any
 *   `Verification failed` status; `rate` = failed / total, null when total is 0. A
 *   deploy failure alone is not a change failure (the change never ran).
 * - **Time to restore**: for each failed release, from its first failure mark to the next acceptance in the
 *   environment at or after that moment (the earliest `Accepted` status of any deployment of `history`, release or
 *   rollback, itself included, up to `now`), in hours. The first failure mark is the earliest of its
 *   `Verification failed`, `Rolled back`, `Rollout failed` and `Rollout halted` statuses and the creation of the rollback deployment that rolled it
 *   back (payload `rollback.from.sha` = its sha, created after it): the rollback use-case marks the rolled-back
 *   release after accepting the rollback, so without this a rollback would not count as the restore. A release
 *   whose rollout undid itself is failed when its `Rollout failed …, rolling back` status was written (before
 *   the rollback command ran) and restored at its `Rollout failed …, rolled back` status. `median` by
 *   nearest rank over the failed releases restored by `now` (`samples` of them), null when none was.
 *
 * Throws a `RangeError` when `windowDays` is not a positive number (validate the input it comes from first).
 */
export function computeDoraMetrics(
  history: HistoryDeployment[],
  options: DoraMetricsOptions,
): Omit<DoraMetrics, 'requests'> {
  if (!Number.isFinite(options.windowDays) || options.windowDays <= 0) {
    // The caller validates the input it came from; a bad value here is a bug.
    throw new RangeError(
      `windowDays must be a number of days greater than 0, not ${String(options.windowDays)}.`,
    );
  }
  const to = options.now.getTime();
  const from = to - options.windowDays * DAY_MS;
  const inWindow = (time: number) => time >= from && time <= to;

  const entries = history.map((deployment) => readDeployment(deployment, to));
  const releases = entries.filter((entry) => entry.created !== undefined && inWindow(entry.created));
  const ofKindRelease = releases.filter((entry) => entry.deployment.release.kind === 'release');

  const accepted = ofKindRelease.filter(
    (entry) => entry.acceptedAt !== undefined && inWindow(entry.acceptedAt),
  );
  const leadTimes = accepted.flatMap((entry) => {
    const committed = timeOf(entry.deployment.committedDate);
    if (committed === undefined || entry.acceptedAt === undefined) return [];
    return [Math.max(0, entry.acceptedAt - committed) / HOUR_MS];
  });

  const reached = ofKindRelease.filter((entry) => entry.steps.some(({ step }) => REACHED_STEPS.has(step)));
  const failed = reached.filter((entry) => entry.steps.some(({ step }) => FAILURE_MARKS.has(step)));

  const acceptances = entries
    .map((entry) => entry.acceptedAt)
    .filter((time): time is number => time !== undefined)
    .sort((a, b) => a - b);
  const restoreTimes = failed.flatMap((entry) => {
    const undone = undoneByItsRollout(entry);
    if (undone) return [(undone.restoredAt - undone.failedAt) / HOUR_MS];
    const failedAt = firstFailureMark(entry, entries, to);
    const restoredAt = acceptances.find((time) => time >= failedAt);
    return restoredAt === undefined ? [] : [(restoredAt - failedAt) / HOUR_MS];
  });

  return {
    environment: options.environment,
    windowDays: options.windowDays,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    deployments: accepted.length,
    deploymentsPerDay: accepted.length / options.windowDays,
    leadTimeHours: {
      median: nearestRank(leadTimes, 50),
      p90: nearestRank(leadTimes, 90),
      samples: leadTimes.length,
    },
    changeFailureRate: {
      failed: failed.length,
      total: reached.length,
      rate: reached.length === 0 ? null : failed.length / reached.length,
    },
    timeToRestoreHours: { median: nearestRank(restoreTimes, 50), samples: restoreTimes.length },
  };
}

/** A deployment with the steps of its statuses up to the end of the window, oldest first. */
interface ReadDeployment {
  deployment: HistoryDeployment;
  created: number | undefined;
  steps: Array<{ step: ReleaseStep; at: number; description: string }>;
  /** The earliest acceptance. */
  acceptedAt: number | undefined;
}

function readDeployment(deployment: HistoryDeployment, to: number): ReadDeployment {
  const steps = deployment.statuses
    .map((status: HistoryStatus) => ({
      step: stepOf(status),
      at: timeOf(status.createdAt),
      description: status.description,
    }))
    .filter(
      (entry): entry is { step: ReleaseStep; at: number; description: string } =>
        entry.step !== undefined && entry.at !== undefined && entry.at <= to,
    )
    .sort((a, b) => a.at - b.at);
  return {
    deployment,
    created: timeOf(deployment.createdAt),
    steps,
    acceptedAt: steps.find(({ step }) => step === 'accepted')?.at,
  };
}

/**
 * A release whose rollout undid itself (`Rollout failed …, rolled back`): failed when the failure was first
 * recorded (`…, rolling back`, written before the rollback command ran), restored when the rollback was.
 * Undefined otherwise.
 */
function undoneByItsRollout(entry: ReadDeployment): { failedAt: number; restoredAt: number } | undefined {
  const ends = entry.steps.filter(({ step }) => step === 'rollout-failed');
  const restored = ends.find(({ description }) => recordedEnd(description)?.end === 'rolled-back');
  if (!restored) return undefined;
  return { failedAt: ends[0]?.at ?? restored.at, restoredAt: restored.at };
}

/** When a failed release's failure was first recorded (see {@link computeDoraMetrics}). */
function firstFailureMark(entry: ReadDeployment, all: ReadDeployment[], to: number): number {
  const marks = entry.steps.filter(({ step }) => FAILURE_MARKS.has(step)).map(({ at }) => at);
  const created = entry.created ?? -Infinity;
  for (const other of all) {
    const record = other.deployment.release;
    if (
      record.kind === 'rollback' &&
      record.rollback?.from.sha === entry.deployment.sha &&
      other.created !== undefined &&
      other.created >= created &&
      other.created <= to
    ) {
      marks.push(other.created);
    }
  }
  return Math.min(...marks);
}

/** The value at rank ceil(percentile/100 x n) of the sorted values; null when there is none. */
function nearestRank(values: number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function timeOf(iso: string | null): number | undefined {
  if (iso === null) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}
