/**
 * How the suite marks a deployment's progress in its statuses. GitHub has no "accepted" or "rolled back"
 * deployment state, so these steps are recorded as statuses whose description starts with a fixed word.
 * This is a public convention: people read it in the Deployments UI and tools may parse it.
 *
 * | step                | state         | description starts with |
 * | ------------------- | ------------- | ----------------------- |
 * | prepared            | `queued`      | `Prepared`              |
 * | deploying           | `in_progress` | `Deploying`             |
 * | deployed            | `success`     | `Deployed`              |
 * | deploy failed       | `failure`     | `Deploy failed`         |
 * | rollout step        | `in_progress` | `Step`                  |
 * | rollout failed      | `failure`     | `Rollout failed`        |
 * | rollout halted      | `failure`     | `Rollout halted`        |
 * | verified            | `success`     | `Verified`              |
 * | verification failed | `failure`     | `Verification failed`   |
 * | accepted            | `success`     | `Accepted`              |
 * | rolled back         | `error`       | `Rolled back`           |
 * | never deployed      | `inactive`    | `Superseded`            |
 * | replaced            | `inactive`    | `Replaced`              |
 *
 * "Replaced" retires the release a newer one replaced in the environment. GitHub's `auto_inactive` does that
 * only for deployments that are neither transient nor production, so the suite writes it itself, in every
 * environment, just before the newer release's first `success`: the environment keeps one active deployment.
 *
 * A rollout (canary, phased, blue-green) records each step it completed as `Step <n>/<m>: <what>` (e.g.
 * `Step 2/3: 50% — watching 10m`); a failing check ends it `Rollout failed at step <n>/<m> …` (the steps were
 * undone) or `Rollout halted at step <n>/<m> …` (`on-failure: halt`). Both hold the release: it is not prepared
 * for the environment again without `force`, as after a rollback.
 */
import type { DeploymentState } from './deployments.js';

/** A step of a release in one environment. */
export type ReleaseStep =
  | 'prepared'
  | 'deploying'
  | 'deployed'
  | 'deploy-failed'
  | 'rollout-step'
  | 'rollout-failed'
  | 'rollout-halted'
  | 'verified'
  | 'verification-failed'
  | 'accepted'
  | 'rolled-back'
  | 'superseded'
  | 'replaced';

/** The status state and description prefix of each step. */
export const STEP_MARKERS: Record<ReleaseStep, { state: DeploymentState; prefix: string }> = {
  prepared: { state: 'queued', prefix: 'Prepared' },
  deploying: { state: 'in_progress', prefix: 'Deploying' },
  deployed: { state: 'success', prefix: 'Deployed' },
  'deploy-failed': { state: 'failure', prefix: 'Deploy failed' },
  'rollout-step': { state: 'in_progress', prefix: 'Step' },
  'rollout-failed': { state: 'failure', prefix: 'Rollout failed' },
  'rollout-halted': { state: 'failure', prefix: 'Rollout halted' },
  verified: { state: 'success', prefix: 'Verified' },
  'verification-failed': { state: 'failure', prefix: 'Verification failed' },
  accepted: { state: 'success', prefix: 'Accepted' },
  'rolled-back': { state: 'error', prefix: 'Rolled back' },
  superseded: { state: 'inactive', prefix: 'Superseded' },
  replaced: { state: 'inactive', prefix: 'Replaced' },
};

/**
 * The steps that say a release reached the environment: its deployment started (and may have been verified,
 * accepted, replaced by a newer one or rolled back since).
 */
export const REACHED_STEPS: ReadonlySet<ReleaseStep> = new Set<ReleaseStep>([
  'deploying',
  'deployed',
  'deploy-failed',
  'rollout-step',
  'rollout-failed',
  'rollout-halted',
  'verified',
  'verification-failed',
  'accepted',
  'rolled-back',
  'replaced',
]);

/** The steps that hold a release in an environment: rolled back, or its rollout failed or halted there. */
export const HOLDING_STEPS: ReadonlySet<ReleaseStep> = new Set<ReleaseStep>([
  'rolled-back',
  'rollout-failed',
  'rollout-halted',
]);

/** A deployment status as read back from GitHub. */
export interface StatusRecord {
  id: number | string;
  state: string;
  description: string;
  createdAt: string;
  creator: string | null;
  environmentUrl: string;
  logUrl: string;
}

/** The step a status records, or undefined for a status the suite did not write (e.g. `auto_inactive`). */
export function stepOf(status: Pick<StatusRecord, 'state' | 'description'>): ReleaseStep | undefined {
  // Longest prefixes first, so 'Deploy failed' is not read as something shorter.
  const steps = (Object.keys(STEP_MARKERS) as ReleaseStep[]).sort(
    (a, b) => STEP_MARKERS[b].prefix.length - STEP_MARKERS[a].prefix.length,
  );
  return steps.find(
    (step) =>
      STEP_MARKERS[step].state === status.state && status.description.startsWith(STEP_MARKERS[step].prefix),
  );
}

/** What a deployment's statuses (newest first) say about its release. */
export interface ReleaseProgress {
  /** The newest step the suite recorded, if any. */
  lastStep: ReleaseStep | undefined;
  /** The newest status of any kind. */
  latest: StatusRecord | undefined;
  deployed: boolean;
  /** undefined when verify never ran on it. */
  verification: 'passed' | 'failed' | undefined;
  /** The newest verification status (what verify found), when verify ran. */
  verificationStatus: StatusRecord | undefined;
  accepted: StatusRecord | undefined;
  /** The newest status that holds the release here: `Rolled back`, `Rollout failed` or `Rollout halted`. */
  rolledBack: StatusRecord | undefined;
  /** The newest rollout step recorded since the deployment last started (`Deploying`), if any. */
  rolloutStep: StatusRecord | undefined;
}

/** Reads a deployment's statuses (newest first, as GitHub lists them). */
export function releaseProgress(statusesNewestFirst: StatusRecord[]): ReleaseProgress {
  const steps = statusesNewestFirst.map((status) => ({ status, step: stepOf(status) }));
  const newest = (...wanted: ReleaseStep[]) =>
    steps.find((entry) => entry.step && wanted.includes(entry.step));
  const lastDeploy = newest('deployed', 'deploy-failed', 'rollout-failed', 'rollout-halted');
  const lastStart = steps.findIndex((entry) => entry.step === 'deploying');
  const sinceStart = lastStart === -1 ? steps : steps.slice(0, lastStart);
  const lastVerification = newest('verified', 'verification-failed');
  return {
    lastStep: steps.find((entry) => entry.step)?.step,
    latest: statusesNewestFirst[0],
    deployed: lastDeploy?.step === 'deployed',
    verification:
      lastVerification === undefined ? undefined : lastVerification.step === 'verified' ? 'passed' : 'failed',
    verificationStatus: lastVerification?.status,
    accepted: newest('accepted')?.status,
    rolledBack: newest(...HOLDING_STEPS)?.status,
    rolloutStep: sinceStart.find((entry) => entry.step === 'rollout-step')?.status,
  };
}
