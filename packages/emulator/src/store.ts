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

  findDeployment(id: number): DeploymentRecord | undefined {
    return this.deployments.find((deployment) => deployment.id === id);
  }

  /** Statuses of a deployment, newest first. */
  statusesOf(deploymentId: number): DeploymentStatusRecord[] {
    return this.statuses.filter((status) => status.deploymentId === deploymentId).reverse();
  }

  /** The latest status of a deployment, if it has any. */
  latestStatus(deploymentId: number): DeploymentStatusRecord | undefined {
    return this.statusesOf(deploymentId)[0];
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
