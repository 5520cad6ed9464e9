/** Seeding: putting state into an emulator directly, without HTTP requests (nothing is logged). */
import { createDeployment, createDeploymentStatus } from './deployment-lifecycle.js';
import type { EmulatorState } from './route-handler.js';
import type { DeploymentState } from './types.js';
import { AUTHENTICATED_LOGIN } from './users.js';

/** Options of {@link Seeder.deployments}. */
export interface SeedDeploymentOptions {
  /** Commit deployed; also used as the deployment's `ref`. Default: the default branch's head (`ref` = the branch). */
  sha?: string;
  /** Default `deploy`. */
  task?: string;
  /** State of each deployment's single status. Default `success`. */
  state?: DeploymentState;
  payload?: object;
  /** Login of the creator. Default `github-actions[bot]`. */
  creator?: string;
  /**
   * Creation time of the deployments (ISO 8601, GitHub writes whole seconds: `2024-05-01T12:00:00Z`), served as
   * REST `created_at`/`updated_at` and GraphQL `createdAt`. GraphQL `deployments` orders by it. Default: now.
   * REST lists deployments by id (newest first), so seed in creation order when REST order matters too.
   */
  createdAt?: string;
  /**
   * The statuses of each deployment, oldest first (GraphQL and REST order them as seeded), instead of the single
   * `state` one; `[]` = no status.
   */
  statuses?: SeedStatus[];
}

/** One seeded deployment status (written without `auto_inactive`). */
export interface SeedStatus {
  state: DeploymentState;
  /** Default `''`. */
  description?: string;
  /** ISO 8601 time of the status. Default: now. */
  createdAt?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** One seeded commit ({@link Seeder.commits}). */
export interface SeedCommit {
  message: string;
  /** Author and committer date, ISO 8601. Default: now. */
  date?: string;
  /** Default: `Octo Developer <developer@example.com>`. */
  author?: { name: string; email: string };
  /** Files to write (path → content). Default: a marker file is rewritten so every commit differs. */
  files?: Record<string, string>;
}

/** One seeded review of a run's deployment to an environment. */
export interface SeedApproval {
  environment: string;
  user: string;
  /** Default `approved`. */
  state?: 'approved' | 'rejected';
  comment?: string;
}

/** The `seed` helpers of an emulator. */
export interface Seeder {
  /**
   * Creates `count` deployments to an environment, oldest first, each with one status (or the `statuses` given);
   * returns their ids.
   */
  deployments(environment: string, count: number, options?: SeedDeploymentOptions): number[];
  /** Records reviews of a workflow run, served by `GET /repos/{o}/{r}/actions/runs/{run_id}/approvals`. */
  approvals(runId: number, approvals: SeedApproval[]): void;
  /** Creates an environment (no-op when it exists). */
  environment(name: string): void;
  /** Commits a file on the default branch and returns the commit's sha. */
  file(path: string, content: string, message?: string): string;
  /** Maps a commit author email to a GitHub login in commit responses. */
  user(login: string, email: string): void;
  /**
   * Commits on the default branch in one git process (fast for hundreds), each with its own date (e.g. a dated
   * history whose GraphQL `committedDate` matters); returns the shas in order.
   */
  commits(commits: SeedCommit[]): string[];
}

/** Makes the seeding helpers of an emulator. */
export function createSeeder(state: EmulatorState): Seeder {
  const { store, git, users, repository } = state;
  return {
    deployments(environment, count, options = {}) {
      const sha = options.sha ?? git.head();
      const ref = options.sha ?? repository.defaultBranch;
      const creator = options.creator ?? AUTHENTICATED_LOGIN;
      const ids: number[] = [];
      const createdAt = options.createdAt === undefined ? undefined : githubTime(options.createdAt);
      // Every time is checked before the first record is made: a bad one leaves the store unchanged.
      const statuses = (
        options.statuses ?? [{ state: options.state ?? 'success', createdAt: options.createdAt }]
      ).map((status: SeedStatus) => ({
        ...status,
        createdAt: status.createdAt === undefined ? undefined : githubTime(status.createdAt),
      }));
      for (let index = 0; index < count; index++) {
        const deployment = createDeployment(store, {
          sha,
          ref,
          task: options.task,
          payload: options.payload as Record<string, unknown> | undefined,
          environment,
          creator,
        });
        if (createdAt !== undefined) {
          deployment.createdAt = createdAt;
          deployment.updatedAt = createdAt;
        }
        for (const seeded of statuses) {
          const status = createDeploymentStatus(store, deployment, {
            state: seeded.state,
            description: seeded.description,
            environmentUrl: seeded.environmentUrl,
            logUrl: seeded.logUrl,
            creator,
            autoInactive: false,
          });
          if (seeded.createdAt !== undefined) {
            status.createdAt = seeded.createdAt;
            status.updatedAt = seeded.createdAt;
            deployment.updatedAt = seeded.createdAt;
          }
        }
        ids.push(deployment.id);
      }
      return ids;
    },
    approvals(runId, approvals) {
      for (const approval of approvals) {
        // Reviews name the environment as GitHub spells it (its own name, whatever case the seed used).
        const environment = store.ensureEnvironment(approval.environment);
        users.register(approval.user);
        store.approvals.push({
          runId,
          environments: [environment.name],
          state: approval.state ?? 'approved',
          user: approval.user,
          comment: approval.comment ?? '',
        });
      }
    },
    environment(name) {
      store.ensureEnvironment(name);
    },
    file(path, content, message = `Update ${path}`) {
      return git.commit(message, { files: { [path]: content } });
    },
    user(login, email) {
      users.register(login, email);
    },
    commits(commits) {
      for (const commit of commits) if (commit.date !== undefined) githubTime(commit.date);
      return commits.length === 0 ? [] : git.commitMany(commits);
    },
  };
}

/** An ISO 8601 time as GitHub writes it (UTC, whole seconds); throws on a time that does not parse. */
function githubTime(time: string): string {
  const milliseconds = Date.parse(time);
  if (Number.isNaN(milliseconds)) throw new Error(`Not an ISO 8601 time: ${JSON.stringify(time)}`);
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
