/** The emulator's in-memory state: deployments, their statuses, releases, environments and run approvals. */
import type { DeploymentState } from './types.js';

/** A deployment (`GET /repos/{owner}/{repo}/deployments/{id}`), in the emulator's own camelCase form. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  originalEnvironment: string;
  environment: string;
  description: string | null;
  /** Login of the creator. */
  creator: string;
  createdAt: string;
  updatedAt: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
}

/** A deployment status. */
export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  creator: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
  updatedAt: string;
}

/** How a release takes part in "latest release" selection (the `make_latest` parameter). */
export type MakeLatest = 'true' | 'false' | 'legacy';

/** A release. */
export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  makeLatest: MakeLatest;
  /** Login of the author. */
  author: string;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

/** A deployment environment. */
export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: Array<{ type: 'User' | 'Team'; id: number }>;
  deploymentBranchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}

/** One review of a workflow run's deployment to one or more environments. */
export interface ApprovalRecord {
  runId: number;
  environments: string[];
  state: 'approved' | 'rejected';
  user: string;
  comment: string;
}

/** Read-only view of the state, for test assertions. */
export interface StoreView {
  readonly deployments: readonly DeploymentRecord[];
  readonly statuses: readonly DeploymentStatusRecord[];
  readonly releases: readonly ReleaseRecord[];
  readonly environments: readonly EnvironmentRecord[];
  readonly approvals: readonly ApprovalRecord[];
}

type Sequence = 'deployment' | 'status' | 'release' | 'environment';

/** Everything a {@link Store} holds. */
interface StoreContent {
  deployments: DeploymentRecord[];
  statuses: DeploymentStatusRecord[];
  releases: ReleaseRecord[];
  environments: EnvironmentRecord[];
  approvals: ApprovalRecord[];
  pinnedLatestReleaseId: number | null;
  sequences: Array<[Sequence, number]>;
}

/**
 * A copy of everything a {@link Store} holds, from {@link Store.saveState}: its JSON text. The records are JSON
 * (the API's own data), and reading JSON back is several times faster than any other deep copy, which matters for
 * stores of 10,000 deployments restored before every case.
 */
export type StoreState = { readonly json: string };

/** Statuses by deployment id, oldest first, built from the first `count` entries of the `source` array. */
interface StatusIndex {
  source: DeploymentStatusRecord[];
  count: number;
  /** The entry at `count - 1` when indexed, to notice an array changed in place. */
  last: DeploymentStatusRecord | undefined;
  byDeployment: Map<number, DeploymentStatusRecord[]>;
}

const NO_STATUSES: readonly DeploymentStatusRecord[] = Object.freeze([]);

/** The mutable state behind the routes. Records are kept in creation order. */
export class Store implements StoreView {
  deployments: DeploymentRecord[] = [];
  statuses: DeploymentStatusRecord[] = [];
  releases: ReleaseRecord[] = [];
  environments: EnvironmentRecord[] = [];
  approvals: ApprovalRecord[] = [];
  /** The release explicitly made latest (`make_latest: true`), if any. */
  pinnedLatestReleaseId: number | null = null;
  private readonly sequences = new Map<Sequence, number>();
  private indexedStatuses: StatusIndex = { source: [], count: 0, last: undefined, byDeployment: new Map() };

  /** The next id of a kind of record: 1, 2, 3... */
  nextId(kind: Sequence): number {
    const id = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, id);
    return id;
  }

  /** The current time as GitHub writes it (`2024-05-01T12:00:00Z`). */
  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** A deep copy of every record and id sequence, for {@link restoreState}. */
  saveState(): StoreState {
    const content: StoreContent = {
      deployments: this.deployments,
      statuses: this.statuses,
      releases: this.releases,
      environments: this.environments,
      approvals: this.approvals,
      pinnedLatestReleaseId: this.pinnedLatestReleaseId,
      sequences: [...this.sequences],
    };
    return { json: JSON.stringify(content) };
  }

  /**
   * Puts back a state {@link saveState} copied (read again from its text, so one state can be restored many times). The
   * arrays are replaced, so the status index is rebuilt on the next read.
   */
  restoreState(saved: StoreState): void {
    const state = JSON.parse(saved.json) as StoreContent;
    this.deployments = state.deployments;
    this.statuses = state.statuses;
    this.releases = state.releases;
    this.environments = state.environments;
    this.approvals = state.approvals;
    this.pinnedLatestReleaseId = state.pinnedLatestReleaseId;
    this.sequences.clear();
    for (const [kind, id] of state.sequences) this.sequences.set(kind, id);
  }

  findDeployment(id: number): DeploymentRecord | undefined {
    return this.deployments.find((deployment) => deployment.id === id);
  }

  /** Statuses of a deployment, newest first. */
  statusesOf(deploymentId: number): DeploymentStatusRecord[] {
    return [...this.statusHistory(deploymentId)].reverse();
  }

  /** The latest status of a deployment, if it has any. */
  latestStatus(deploymentId: number): DeploymentStatusRecord | undefined {
    return this.statusHistory(deploymentId).at(-1);
  }

  /**
   * Statuses of a deployment, oldest first, read from an index (no scan of every status). The answer is the
   * index's own array: read it, never change it.
   */
  statusHistory(deploymentId: number): readonly DeploymentStatusRecord[] {
    return this.statusIndex().get(deploymentId) ?? NO_STATUSES;
  }

  /**
   * The index of `statuses` by deployment id. Writers append to `statuses` (`push`) or replace the array (`filter`
   * on deletion), so the index follows them without their help: appended statuses are added on the next read, and
   * a replaced or shortened array is indexed again from scratch.
   */
  private statusIndex(): Map<number, DeploymentStatusRecord[]> {
    const statuses = this.statuses;
    const index = this.indexedStatuses;
    const intact =
      index.source === statuses &&
      index.count <= statuses.length &&
      (index.count === 0 || statuses[index.count - 1] === index.last);
    if (!intact)
      this.indexedStatuses = { source: statuses, count: 0, last: undefined, byDeployment: new Map() };
    const current = this.indexedStatuses;
    for (let position = current.count; position < statuses.length; position++) {
      const status = statuses[position] as DeploymentStatusRecord;
      const history = current.byDeployment.get(status.deploymentId);
      if (history) history.push(status);
      else current.byDeployment.set(status.deploymentId, [status]);
      current.last = status;
    }
    current.count = statuses.length;
    return current.byDeployment;
  }

  /** An environment by name (GitHub compares environment names case-insensitively). */
  findEnvironment(name: string): EnvironmentRecord | undefined {
    const wanted = name.toLowerCase();
    return this.environments.find((environment) => environment.name.toLowerCase() === wanted);
  }

  /** The environment with this name, created when missing. */
  ensureEnvironment(name: string): EnvironmentRecord {
    const existing = this.findEnvironment(name);
    if (existing) return existing;
    const now = this.now();
    const environment: EnvironmentRecord = {
      id: this.nextId('environment'),
      name,
      createdAt: now,
      updatedAt: now,
      waitTimer: 0,
      preventSelfReview: false,
      reviewers: [],
      deploymentBranchPolicy: null,
    };
    this.environments.push(environment);
    return environment;
  }

  findRelease(id: number): ReleaseRecord | undefined {
    return this.releases.find((release) => release.id === id);
  }
}
