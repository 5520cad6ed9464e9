import type { CanaryRollout } from '../../src/rollout/rollout-config.js';
/**
 * Plain-object fixtures for the rule tests: the run context, a deployment's statuses, the deployment with
 * the suite's release record, the statuses of a release's usual steps, approvals, commits and a repository
 * snapshot. Each builder has the common case as its defaults and an options object for what a test varies.
 */
import type { RunContext } from '../../src/run-context.js';
import type { CommitInfo } from '../../src/state/commits.js';
import { releaseProgress, type StatusRecord } from '../../src/state/deployment-markers.js';
import type { ReleasePayload, ReleaseRef } from '../../src/state/deployment-payload.js';
import type { DeploymentRecord } from '../../src/state/deployments.js';
import type { DeploymentWithProgress } from '../../src/state/release-lookup.js';
import {
  emptySnapshot,
  type CommitState,
  type RepositorySnapshot,
} from '../../src/state/repository-snapshot.js';
import type { RunApproval } from '../../src/state/run-approvals.js';

/** Wednesday 1 July 2026, 10:00 UTC: outside a weekend freeze window. */
export const WEEKDAY = new Date('2026-07-01T10:00:00Z');
/** Saturday 4 July 2026, 10:00 UTC: inside a weekend freeze window. */
export const SATURDAY = new Date('2026-07-04T10:00:00Z');

/** The login that writes the suite's deployments and statuses. */
const BOT = 'github-actions[bot]';

/**
 * The run a rule decides in: attempt 1 of run 77 of the Promote workflow on main of octo-org/shop, started by
 * lee. `overrides` replace any field.
 */
export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    owner: 'octo-org',
    repo: 'shop',
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    runId: 77,
    runAttempt: 1,
    actor: 'lee',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    workflow: 'Promote',
    job: 'promote',
    workspace: undefined,
    ...overrides,
  };
}

/** When statuses were written and how they are numbered. */
export interface StatusOptions {
  /** The id of the first (oldest) status; the next ones count up from it. Default 1. */
  firstId?: number;
  /** The day the statuses were written, as `YYYY-MM-DD`. Default 2026-07-01. */
  day?: string;
  /** The hour (UTC) the first status was written; the next ones follow a second apart. Default 0. */
  hour?: number;
  /** The times the statuses were written, oldest first; these win over `day` and `hour`. */
  times?: readonly string[];
}

/** The time the status at `index` (oldest first) was written. */
function writtenAt(index: number, options: StatusOptions): string {
  const time = options.times?.[index];
  if (time !== undefined) return time;
  const hour = String(options.hour ?? 0).padStart(2, '0');
  return `${options.day ?? '2026-07-01'}T${hour}:00:0${index}Z`;
}

/**
 * Deployment statuses from `written`, oldest first as `state: Description`; returned newest first, as GitHub
 * lists them, with ids and times from `options`.
 */
export function statuses(written: readonly string[], options: StatusOptions = {}): StatusRecord[] {
  const firstId = options.firstId ?? 1;
  return written
    .map((entry, index) => {
      const at = entry.indexOf(': ');
      return {
        id: firstId + index,
        state: entry.slice(0, at),
        description: entry.slice(at + 2),
        createdAt: writtenAt(index, options),
        creator: BOT,
        environmentUrl: '',
        logUrl: '',
      };
    })
    .reverse();
}

/** What a deployment of the suite records; every field has a default built from the deployment's id. */
export interface DeploymentOptions extends Omit<StatusOptions, 'firstId'> {
  /** The commit deployed. Default: the id padded to 40 characters with `a`. */
  sha?: string;
  /** The environment deployed to, on the deployment and in its release record. Default production. */
  environment?: string;
  /** The deployment's API URL. Default empty. */
  url?: string;
  /** The id of its first status (see {@link StatusOptions.firstId}). Default 1. */
  firstStatusId?: number;
  /** Whether the suite made it: `false` for a deployment without the suite's release record. Default true. */
  suite?: boolean;
  /** Whether it ships a release or takes the environment back. Default release. */
  kind?: ReleasePayload['kind'];
  /** The version it carries. Default `1.<id>.0`. */
  version?: string | null;
  /** The release that ran there when it was prepared. Default none. */
  previous?: ReleaseRef | null;
  /** The id of the run that prepared it. Default 70 + the deployment's id. */
  run?: number;
  /** Who started that run. Default mona. */
  actor?: string;
  /** A rollback's bad release and reason. Default none. */
  rollback?: ReleasePayload['rollback'];
}

/** The suite's release record of deployment `id`, as its payload carries it. */
function releasePayload(id: number, sha: string, options: DeploymentOptions): ReleasePayload {
  return {
    schema: 1,
    kind: options.kind ?? 'release',
    environment: options.environment ?? 'production',
    sha,
    version: options.version === undefined ? `1.${id}.0` : options.version,
    previous: options.previous ?? null,
    run: { id: options.run ?? 70 + id, attempt: 1, url: '' },
    actor: options.actor ?? 'mona',
    forced: null,
    rollback: options.rollback ?? null,
  };
}

/**
 * Deployment `id` as GitHub lists it, made by the suite and carrying its release record unless `suite` is
 * false. It was created when its first status was written (see {@link StatusOptions}).
 */
export function deploymentRecord(id: number, options: DeploymentOptions = {}): DeploymentRecord {
  const sha = options.sha ?? `${id}`.padStart(40, 'a');
  return {
    id,
    sha,
    environment: options.environment ?? 'production',
    url: options.url ?? '',
    createdAt: writtenAt(0, options),
    creator: BOT,
    release: options.suite === false ? undefined : releasePayload(id, sha, options),
  };
}

/**
 * Deployment `id` (see {@link deploymentRecord}) with its statuses `written`, oldest first as
 * `state: Description`, and what they say of its progress.
 */
export function deployment(
  id: number,
  written: readonly string[],
  options: DeploymentOptions = {},
): DeploymentWithProgress {
  return {
    deployment: deploymentRecord(id, options),
    progress: releaseProgress(statuses(written, { ...options, firstId: options.firstStatusId })),
  };
}

/** The statuses of a release's usual steps, each list oldest first and each extending the one it names. */
export interface ReleaseStatuses {
  /** Prepared, waiting to be deployed. */
  prepared: string[];
  /** Prepared, deploying, deployed. */
  deployed: string[];
  /** Prepared, deploying, the deploy failed. */
  deployFailed: string[];
  /** Deployed, then one check passed. */
  verified: string[];
  /** Deployed, then the health check failed. */
  verificationFailed: string[];
}

/**
 * The statuses the suite writes for a release prepared by run `run`, naming `version` when given
 * (`Deploying 1.2.0`, else `Deploying`).
 */
export function releaseStatuses(options: { version?: string; run: number }): ReleaseStatuses {
  const named = options.version === undefined ? '' : ` ${options.version}`;
  const prepared = [`queued: Prepared${named} by run ${options.run}; waiting to be deployed`];
  const deployed = [...prepared, `in_progress: Deploying${named}`, `success: Deployed${named}`];
  return {
    prepared,
    deployed,
    deployFailed: [...prepared, `in_progress: Deploying${named}`, 'failure: Deploy failed: exit code 1'],
    verified: [...deployed, 'success: Verified: 1 check(s) passed'],
    verificationFailed: [...deployed, 'failure: Verification failed: healthz: 500'],
  };
}

/** An environment review recorded on the run: `user` approved (or, with `state`, rejected) `environment`. */
export function approval(
  user: string,
  options: { state?: RunApproval['state']; environment?: string } = {},
): RunApproval {
  return {
    user,
    state: options.state ?? 'approved',
    environments: [options.environment ?? 'production'],
    comment: '',
  };
}

/**
 * Commit `sha` with `message` (its first line the subject), by mona unless `options` names another author;
 * the time it was committed only when `committedAt` gives it.
 */
export function commitInfo(
  sha: string,
  message: string,
  options: { authorLogin?: string | null; authorName?: string; committedAt?: string } = {},
): CommitInfo {
  return {
    sha,
    subject: message.split('\n')[0] ?? message,
    message,
    authorLogin: options.authorLogin === undefined ? 'mona' : options.authorLogin,
    authorName: options.authorName ?? 'Mona',
    htmlUrl: '',
    ...(options.committedAt === undefined ? {} : { committedAt: options.committedAt }),
  };
}

/**
 * A tag or commit the snapshot read: its sha (undefined when it names no commit) and its newest deployment
 * of the suite in `environment`, production unless given (undefined for none).
 */
export function commitState(
  sha: string | undefined,
  there?: DeploymentWithProgress,
  options: { environment?: string } = {},
): CommitState {
  return { sha, commit: undefined, deployments: new Map([[options.environment ?? 'production', there]]) };
}

/** The repository as one snapshot read it (repository R_1): nothing read but what `read` gives. */
export function repositorySnapshot(read: Partial<RepositorySnapshot> = {}): RepositorySnapshot {
  return { ...emptySnapshot('R_1'), ...read };
}

/** A canary of three steps (10% watched 5 minutes, 50% watched 10, then 100%), checks every 30 s, rolled back on failure. */
export const CANARY_ROLLOUT: CanaryRollout = {
  strategy: 'canary',
  checkIntervalMs: 30_000,
  onFailure: 'rollback',
  steps: [
    { weight: 10, pauseMs: 5 * 60_000 },
    { weight: 50, pauseMs: 10 * 60_000 },
    { weight: 100, pauseMs: 0 },
  ],
};
