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
  /** Creates `count` deployments to an environment, oldest first, each with one status; returns their ids. */
  deployments(environment: string, count: number, options?: SeedDeploymentOptions): number[];
  /** Records reviews of a workflow run, served by `GET /repos/{o}/{r}/actions/runs/{run_id}/approvals`. */
  approvals(runId: number, approvals: SeedApproval[]): void;
  /** Creates an environment (no-op when it exists). */
  environment(name: string): void;
  /** Commits a file on the default branch and returns the commit's sha. */
  file(path: string, content: string, message?: string): string;
  /** Maps a commit author email to a GitHub login in commit responses. */
  user(login: string, email: string): void;
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
      for (let index = 0; index < count; index++) {
        const deployment = createDeployment(store, {
          sha,
          ref,
          task: options.task,
          payload: options.payload as Record<string, unknown> | undefined,
          environment,
          creator,
        });
        createDeploymentStatus(store, deployment, {
          state: options.state ?? 'success',
          creator,
          autoInactive: false,
        });
        ids.push(deployment.id);
      }
      return ids;
    },
    approvals(runId, approvals) {
      for (const approval of approvals) {
        store.ensureEnvironment(approval.environment);
        users.register(approval.user);
        store.approvals.push({
          runId,
          environments: [approval.environment],
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
  };
}
