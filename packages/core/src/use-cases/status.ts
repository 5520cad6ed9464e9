import { compareCommits, type CommitInfo } from '../state/commits.js';
import { deploymentTask, listDeploymentStatuses } from '../state/deployments.js';
import { environmentTagName, readTagCommit } from '../state/environment-tag.js';
import { latestDeploymentOf } from '../state/release-lookup.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** One environment in the status report. */
export interface EnvironmentStatus {
  environment: string;
  /** The accepted commit; null when nothing was accepted yet. */
  sha: string | null;
  version: string | null;
  /** When the release there was prepared (ISO time). */
  since: string | null;
  /** Who prepared it. */
  by: string | null;
  /** The latest state of its deployment (`success`, `error`, …) and what the status says. */
  state: string | null;
  description: string | null;
  deploymentId: number | null;
  /** Whether the environment runs a rollback. */
  rollback: boolean;
  /** Commits accepted in the environment below and not yet here (null for the first environment). */
  pending: PendingChanges | null;
}

/** What waits to be promoted from the environment below. */
export interface PendingChanges {
  from: string;
  /** How many commits wait; null when nothing was accepted here yet (everything below waits). */
  count: number | null;
  /** The newest commits (at most one compare page), oldest first. */
  commits: Array<Pick<CommitInfo, 'sha' | 'subject' | 'authorLogin' | 'authorName'>>;
}

/** The status report. */
export interface StatusReport {
  environments: EnvironmentStatus[];
  generatedAt: string;
}

/** Reads where every environment stands and what waits between neighbours. Read-only. */
export async function readStatus(dependencies: UseCaseDependencies, now = new Date()): Promise<StatusReport> {
  const { client, config } = dependencies;
  const repository = repositoryOf(dependencies);
  const task = deploymentTask(null);
  const environments: EnvironmentStatus[] = [];
  for (const { name } of config.chain.environments) {
    const sha = await readTagCommit(
      client,
      repository,
      environmentTagName(name, null, config.environmentTagPrefix),
    );
    const status: EnvironmentStatus = {
      environment: name,
      sha: sha ?? null,
      version: null,
      since: null,
      by: null,
      state: null,
      description: null,
      deploymentId: null,
      rollback: false,
      pending: null,
    };
    if (sha) {
      const deployment = await latestDeploymentOf(client, repository, name, sha, task);
      if (deployment) {
        const [latest] = await listDeploymentStatuses(client, repository, deployment.id, 1);
        Object.assign(status, {
          version: deployment.release?.version ?? null,
          since: deployment.createdAt,
          by: deployment.release?.actor ?? deployment.creator,
          state: latest?.state ?? null,
          description: latest?.description ?? null,
          deploymentId: deployment.id,
          rollback: deployment.release?.kind === 'rollback',
        });
      }
    }
    const below = environments[environments.length - 1];
    if (below?.sha) {
      if (sha === below.sha) {
        status.pending = { from: below.environment, count: 0, commits: [] };
      } else if (!sha) {
        status.pending = { from: below.environment, count: null, commits: [] };
      } else {
        const range = await compareCommits(client, repository, sha, below.sha);
        status.pending = {
          from: below.environment,
          count: range.status === 'behind' ? 0 : range.total,
          commits: range.commits.map(({ sha: commitSha, subject, authorLogin, authorName }) => ({
            sha: commitSha,
            subject,
            authorLogin,
            authorName,
          })),
        };
      }
    }
    environments.push(status);
  }
  return { environments, generatedAt: now.toISOString() };
}
