/**
 * The dated history of one environment, for the delivery metrics: the suite's deployments created since a moment,
 * each with its release record, its commit's date and its statuses. Read with GraphQL, newest first, one page of
 * {@link HISTORY_PAGE_SIZE} deployments (with their statuses) per request, and no page further than the one that
 * reaches past `since`: the number of requests grows with the deployments in the window, never with older history.
 */
import type { GitHubClient } from '../github/client.js';
import type { StatusRecord } from './deployment-markers.js';
import { DEPLOYMENT_TASK, readReleasePayload, type ReleasePayload } from './deployment-payload.js';
import {
  SUITE_DEPLOYMENT_FRAGMENT,
  suiteDeploymentStatuses,
  type SuiteDeploymentNode,
} from './repository-snapshot.js';
import type { RepositoryRef } from './repository.js';

/**
 * Deployments per page. By GitHub's rule for GraphQL points (see `snapshotPointCost`), a page asks for 1
 * connection of 100 deployments and 100 connections of statuses: 101 requests, / 100 rounded = 1 point, the cost
 * of the smallest query. `commit { committedDate }` is an object, not a connection, and costs nothing more.
 */
export const HISTORY_PAGE_SIZE = 100;

/** A deployment status as the metrics read it. */
export type HistoryStatus = Pick<StatusRecord, 'state' | 'description' | 'createdAt'>;

/** One deployment of the suite in the environment's history. */
export interface HistoryDeployment {
  /** The deployment's id (REST `id`, GraphQL `databaseId`). */
  id: number;
  sha: string;
  /** ISO time the deployment was created. */
  createdAt: string;
  /** The suite's record from the payload (a release, or a rollback). */
  release: ReleasePayload;
  /** ISO time the deployed commit was committed (git's committer date); null when GitHub gave none. */
  committedDate: string | null;
  /** Its statuses, newest first (at most `STATUSES_PER_DEPLOYMENT`, the newest), states lower-cased. */
  statuses: HistoryStatus[];
}

/** What {@link readEnvironmentHistory} reads. */
export interface EnvironmentHistoryRequest {
  /** The environment's exact name. */
  environment: string;
  /** The oldest creation time wanted (inclusive). */
  since: Date;
}

/** What {@link readEnvironmentHistory} read. */
export interface EnvironmentHistory {
  /** The suite's deployments created at or after `since`, newest first. */
  deployments: HistoryDeployment[];
  /** GraphQL requests made (pages read). */
  requests: number;
}

interface HistoryNode extends SuiteDeploymentNode {
  commit: { committedDate: string | null } | null;
}

interface HistoryPage {
  repository: {
    deployments: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<HistoryNode | null> | null;
    };
  } | null;
}

const HISTORY_QUERY = `query EnvironmentHistory($owner: String!, $name: String!, $environments: [String!], $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: $environments, first: ${HISTORY_PAGE_SIZE}, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes { ...SuiteDeployment commit { committedDate } }
    }
  }
}
${SUITE_DEPLOYMENT_FRAGMENT}`;

/**
 * Reads the suite's deployments (task `deploy`, with a well-formed release record in the payload) of
 * `request.environment` created at or after `request.since`, newest first. Pages of {@link HISTORY_PAGE_SIZE}
 * deployments of the environment (the suite's or not) are read until one ends before `since` or none is left:
 * `floor(n / 100) + 1` requests for `n` deployments created since then (fewer when the environment has no older
 * ones), each costing 1 GraphQL point.
 */
export async function readEnvironmentHistory(
  client: GitHubClient,
  repository: RepositoryRef,
  request: EnvironmentHistoryRequest,
): Promise<EnvironmentHistory> {
  const since = request.since.getTime();
  if (Number.isNaN(since)) throw new Error('readEnvironmentHistory needs a valid `since` date.');
  const deployments: HistoryDeployment[] = [];
  let requests = 0;
  let after: string | null = null;
  for (;;) {
    const page: HistoryPage = await client.graphql<HistoryPage>(HISTORY_QUERY, {
      owner: repository.owner,
      name: repository.repo,
      environments: [request.environment],
      after,
    });
    requests++;
    if (!page.repository) {
      throw new Error(`GraphQL found no repository ${repository.owner}/${repository.repo}.`);
    }
    const connection = page.repository.deployments;
    let reachedOlder = false;
    for (const node of connection.nodes ?? []) {
      if (!node) continue;
      if (Date.parse(node.createdAt) < since) {
        reachedOlder = true;
        continue;
      }
      const deployment = toHistoryDeployment(node);
      if (deployment) deployments.push(deployment);
    }
    const cursor = connection.pageInfo.endCursor;
    if (reachedOlder || !connection.pageInfo.hasNextPage || cursor === null) break;
    after = cursor;
  }
  return { deployments, requests };
}

/** The node as history, or undefined when it is not the suite's (another task, or no release record). */
function toHistoryDeployment(node: HistoryNode): HistoryDeployment | undefined {
  if (node.databaseId === null || node.task !== DEPLOYMENT_TASK) return undefined;
  const release = readReleasePayload(node.payload);
  if (!release) return undefined;
  return {
    id: node.databaseId,
    sha: node.commitOid,
    createdAt: node.createdAt,
    release,
    committedDate: node.commit?.committedDate ?? null,
    statuses: suiteDeploymentStatuses(node).map(({ state, description, createdAt }) => ({
      state,
      description,
      createdAt,
    })),
  };
}
