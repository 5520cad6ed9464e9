import type { EnvironmentChain } from '../chain/environment-chain.js';
import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import { runUrl, type RunContext } from '../run-context.js';
import { compareCommits, resolveCommit, type CommitInfo } from '../state/commits.js';
import { PAYLOAD_SCHEMA_VERSION, type ReleasePayload } from '../state/deployment-payload.js';
import { createReleaseDeployment, setDeploymentState } from '../state/deployments.js';
import { environmentTagName, readTagCommit } from '../state/environment-tag.js';

/** What prepare-release is asked to do. */
export interface PrepareReleaseRequest {
  /** The environment to prepare a release for. */
  environment: string;
  chain: EnvironmentChain;
  /** The commit to release (sha, branch or tag). Default: the run's commit (`GITHUB_SHA`). */
  ref?: string;
  /** Resolve and report everything, write nothing. */
  dryRun: boolean;
}

/** What prepare-release did. */
export interface PreparedRelease {
  environment: string;
  nextEnvironment: string | undefined;
  commit: CommitInfo;
  /** The version given to the release; undefined before the versioned environments. */
  version: string | undefined;
  /** The version tag; undefined when there is no version. */
  tag: string | undefined;
  /** The deployment created; undefined in a dry run. */
  deploymentId: number | undefined;
  /** The commit accepted in the environment before this release, if any. */
  previousSha: string | undefined;
  previousVersion: string | undefined;
  /** Commits between the previous release and this one, oldest first (at most one compare page). */
  changes: CommitInfo[];
  /** Commits in the range in all (may exceed `changes.length`). */
  totalChanges: number;
  releaseUrl: string | undefined;
  runUrl: string;
  dryRun: boolean;
}

/** The dependencies of a use-case. */
export interface UseCaseDependencies {
  client: GitHubClient;
  context: RunContext;
  logger: Logger;
}

/**
 * Prepares a release for an environment: resolves the commit, finds the release now running there, and
 * creates the Deployment that will carry the commit (status `queued`, the release recorded in its payload).
 */
export async function prepareRelease(
  { client, context, logger }: UseCaseDependencies,
  request: PrepareReleaseRequest,
): Promise<PreparedRelease> {
  const { chain, environment } = request;
  chain.get(environment);
  if (!chain.isFirst(environment)) {
    throw new UserError(
      `prepare-release for '${environment}' is not available in this version: it prepares releases for the first ` +
        `environment of the chain ('${chain.names[0]}') only. Promotion to higher environments comes in a later version.`,
    );
  }
  const repository = { owner: context.owner, repo: context.repo };
  const ref = request.ref || context.sha;
  const commit = await resolveCommit(client, repository, ref);
  logger.info(`Releasing commit ${commit.sha} to ${environment}.`);

  const previousSha = await readTagCommit(client, repository, environmentTagName(environment));
  let changes: CommitInfo[] = [commit];
  let totalChanges = 1;
  if (previousSha === commit.sha) {
    changes = [];
    totalChanges = 0;
  } else if (previousSha) {
    const range = await compareCommits(client, repository, previousSha, commit.sha);
    changes = range.commits;
    totalChanges = range.total;
  }
  logger.info(
    previousSha
      ? `${environment} runs ${previousSha} now; ${totalChanges} commit(s) change with this release.`
      : `${environment} has no accepted release yet.`,
  );

  const prepared: PreparedRelease = {
    environment,
    nextEnvironment: chain.next(environment)?.name,
    commit,
    version: undefined,
    tag: undefined,
    deploymentId: undefined,
    previousSha,
    previousVersion: undefined,
    changes,
    totalChanges,
    releaseUrl: undefined,
    runUrl: runUrl(context),
    dryRun: request.dryRun,
  };
  if (request.dryRun) {
    logger.info('Dry run: no deployment created.');
    return prepared;
  }

  const record: ReleasePayload = {
    schema: PAYLOAD_SCHEMA_VERSION,
    kind: 'release',
    component: null,
    environment,
    sha: commit.sha,
    version: null,
    previous: previousSha ? { sha: previousSha, version: null } : null,
    run: { id: context.runId, attempt: context.runAttempt, url: prepared.runUrl },
    actor: context.actor,
    forced: null,
    rollback: null,
  };
  const deployment = await createReleaseDeployment(client, repository, {
    record,
    description: `Release ${commit.sha.slice(0, 7)} prepared by run ${context.runId}`,
    productionEnvironment: chain.isLast(environment),
  });
  await setDeploymentState(client, repository, deployment.id, {
    state: 'queued',
    description: 'Prepared; waiting to be deployed',
    logUrl: prepared.runUrl,
  });
  logger.info(`Created deployment ${deployment.id} (queued) for ${environment}.`);
  return { ...prepared, deploymentId: deployment.id };
}
