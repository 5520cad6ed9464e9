import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';

/** One environment review of a workflow run. */
export interface RunApproval {
  user: string;
  state: 'approved' | 'rejected';
  comment: string;
  environments: string[];
}

/**
 * The environment reviews recorded on a workflow run (one request; needs `actions: read`). These are the
 * "Review deployments" clicks of required reviewers.
 */
export async function listRunApprovals(
  client: GitHubClient,
  repository: RepositoryRef,
  runId: number,
): Promise<RunApproval[]> {
  const response = await client.rest.actions.getReviewsForRun({ ...repository, run_id: runId });
  return response.data
    .filter((review) => review.state === 'approved' || review.state === 'rejected')
    .map((review) => ({
      user: review.user.login,
      state: review.state as RunApproval['state'],
      comment: review.comment,
      environments: review.environments.map((environment) => environment.name ?? '').filter(Boolean),
    }));
}
