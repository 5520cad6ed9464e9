/**
 * Everything an action reads before it writes, in one GraphQL request: the configuration file (when the
 * workflow did not check the repository out), environment tags with the deployment of the commit each points
 * at, the newest deployments of an environment, commits named by the user, a GitHub Release and the commits
 * between two environment tags. Every deployment comes with its statuses, so what a release went through is
 * known without one more request per deployment. REST would need one request for each of these (and one per
 * deployment for its statuses); this keeps every action's request count constant, whatever the history.
 */
import type { GitHubClient } from '../github/client.js';
import type { CommitInfo } from './commits.js';
import { releaseProgress, type StatusRecord } from './deployment-markers.js';
import { DEPLOYMENT_TASK, readReleasePayload } from './deployment-payload.js';
import type { DeploymentRecord } from './deployments.js';
import type { ReleaseRecord } from './github-release.js';
import type { DeploymentWithProgress } from './release-lookup.js';
import type { RepositoryRef } from './repository.js';

/** What to read. Every list may be empty; the repository's node id is always read (tag swaps need it). */
export interface SnapshotRequest {
  /** A file (path from the repository root) to read at a commit. */
  file?: { path: string; at: string } | undefined;
  /** Tags (without `refs/tags/`) to resolve to commits, each with its commit's newest deployment in `deploymentsIn`. */
  tags?: Array<{ tag: string; deploymentsIn: string[] }>;
  /** Revisions (sha, branch or tag) to resolve to commits, each with its newest deployment in `deploymentsIn`. */
  commits?: Array<{ revision: string; deploymentsIn: string[] }>;
  /** Environments whose newest deployments (up to `count`, at most 100) to read, newest first. */
  recent?: Array<{ environment: string; count: number }>;
  /** The tag of a GitHub Release to read. */
  release?: string | undefined;
  /** How many of the newest GitHub Releases to read (newest first, at most 100), to find one by tag among them. */
  releases?: number | undefined;
  /** Commits in the `head` tag and not in the `base` tag (names without `refs/tags/`). */
  comparisons?: Array<{ base: string; head: string }>;
}

/** A tag or revision as read: the commit (following an annotated tag) and its deployments. */
export interface CommitState {
  /** undefined when the tag or revision names no commit. */
  sha: string | undefined;
  commit: CommitInfo | undefined;
  /** The commit's newest deployment of the suite in each environment asked for. */
  deployments: Map<string, DeploymentWithProgress | undefined>;
}

/** The commits between two tags. */
export interface TagComparison {
  /** How many commits `head` has that `base` has not; undefined when either tag does not exist. */
  aheadBy: number | undefined;
  /** `ahead`, `behind`, `identical` or `diverged` (head against base), like REST compare. */
  status: string | undefined;
  /** The newest of those commits (at most {@link COMPARISON_COMMITS}), oldest first. */
  commits: CommitInfo[];
}

/** What {@link readRepositorySnapshot} read. */
export interface RepositorySnapshot {
  /** The repository's GraphQL node id. */
  repositoryId: string;
  /** The file's text; undefined when there is no such file at that commit. `binary` when it is not text. */
  file: string | undefined | { binary: true };
  tags: Map<string, CommitState>;
  commits: Map<string, CommitState>;
  recent: Map<string, DeploymentWithProgress[]>;
  release: ReleaseRecord | undefined;
  /** The newest releases, newest first, when `releases` asked for them. */
  releases: ReleaseRecord[];
  /** By `base...head`. */
  comparisons: Map<string, TagComparison>;
}

/** Statuses read per deployment: a release records at most about six (prepared ... accepted, rolled back). */
export const STATUSES_PER_DEPLOYMENT = 30;
/** How many deployments of one commit are read to find the suite's newest one among others (e.g. GitHub's own). */
const DEPLOYMENTS_PER_COMMIT = 5;
/** Commits listed per comparison. */
export const COMPARISON_COMMITS = 100;
/** The deployment task the suite's deployments carry. */

const DEPLOYMENT_FIELDS = `fragment SuiteDeployment on Deployment {
  databaseId
  commitOid
  environment
  task
  payload
  createdAt
  creator { __typename login }
  latestStatus { id }
  statuses(last: ${STATUSES_PER_DEPLOYMENT}) {
    nodes { id state description createdAt environmentUrl logUrl creator { __typename login } }
  }
}`;

const COMMIT_FIELDS = `fragment SuiteCommit on Commit {
  oid
  message
  url
  committedDate
  author { name user { login } }
}`;

const RELEASE_FIELDS = 'databaseId tagName url description isPrerelease';

/** Reads what `request` asks for with one GraphQL request. */
export async function readRepositorySnapshot(
  client: GitHubClient,
  repository: RepositoryRef,
  request: SnapshotRequest,
): Promise<RepositorySnapshot> {
  const document = buildSnapshotQuery(repository, request);
  const data = await client.graphql<{ repository: GraphqlRepository | null }>(
    document.query,
    document.variables,
  );
  if (!data.repository) {
    throw new Error(`GraphQL found no repository ${repository.owner}/${repository.repo}.`);
  }
  return readAnswer(data.repository, request, apiBaseOf(client, repository));
}

/**
 * What the query of `request` costs against GitHub's GraphQL rate limit, by GitHub's published rule: count one
 * request per connection, assuming each connection returns its `first`/`last` in full, then divide the sum by
 * 100, round, and charge at least 1 point. A tag's or revision's commit deployments are counted twice (the query
 * asks for them through a commit and through an annotated tag).
 */
export function snapshotPointCost(request: SnapshotRequest): number {
  const deploymentConnection = (count: number) => 1 + count; // the connection, then each node's statuses
  let requests = 0;
  for (const tag of request.tags ?? []) {
    requests += 2 * tag.deploymentsIn.length * deploymentConnection(DEPLOYMENTS_PER_COMMIT);
  }
  for (const commit of request.commits ?? []) {
    requests += 2 * commit.deploymentsIn.length * deploymentConnection(DEPLOYMENTS_PER_COMMIT);
  }
  for (const recent of request.recent ?? []) requests += deploymentConnection(Math.min(recent.count, 100));
  requests += (request.comparisons ?? []).length;
  if (request.releases) requests += 1;
  return Math.max(1, Math.round(requests / 100));
}

/** Whether two requests ask for the same things (a snapshot read for one serves the other). */
export function sameSnapshotRequest(a: SnapshotRequest, b: SnapshotRequest): boolean {
  const { file: _fileA, ...restA } = a;
  const { file: _fileB, ...restB } = b;
  return canonical(restA) === canonical(restB);
}

function canonical(request: Omit<SnapshotRequest, 'file'>): string {
  return JSON.stringify({
    tags: request.tags ?? [],
    commits: request.commits ?? [],
    recent: request.recent ?? [],
    release: request.release ?? null,
    releases: request.releases ?? 0,
    comparisons: request.comparisons ?? [],
  });
}

/** The query and variables of a request (exported for tests that check what is asked). */
export function buildSnapshotQuery(
  repository: RepositoryRef,
  request: SnapshotRequest,
): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = { owner: repository.owner, name: repository.repo };
  const declarations = ['$owner: String!', '$name: String!'];
  const variable = (type: string, value: unknown): string => {
    const name = `v${declarations.length - 2}`;
    declarations.push(`$${name}: ${type}`);
    variables[name] = value;
    return `$${name}`;
  };
  let usesDeployments = false;
  let usesCommits = false;
  const deploymentsOf = (environments: string[], count: number): string => {
    usesDeployments = true;
    return (
      `deployments(environments: ${variable('[String!]', environments)}, first: ${count}, ` +
      `orderBy: {field: CREATED_AT, direction: DESC}) { nodes { ...SuiteDeployment } }`
    );
  };

  const fields = ['id'];
  if (request.file) {
    fields.push(
      `file: object(expression: ${variable('String!', `${request.file.at}:${request.file.path}`)}) ` +
        `{ ... on Blob { text isBinary } }`,
    );
  }
  const onCommit = (deploymentsIn: string[]) => {
    usesCommits = true;
    const deployments = deploymentsIn
      .map((environment, inner) => `d${inner}: ${deploymentsOf([environment], DEPLOYMENTS_PER_COMMIT)}`)
      .join(' ');
    return `... on Commit { ...SuiteCommit ${deployments} }`;
  };
  (request.tags ?? []).forEach((tag, index) => {
    const commit = onCommit(tag.deploymentsIn);
    fields.push(
      `tag${index}: ref(qualifiedName: ${variable('String!', `refs/tags/${tag.tag}`)}) ` +
        `{ target { ${commit} ... on Tag { target { ${commit} } } } }`,
    );
  });
  (request.commits ?? []).forEach((commit, index) => {
    const selection = onCommit(commit.deploymentsIn);
    // An annotated tag names a tag object, which points at the commit.
    fields.push(
      `commit${index}: object(expression: ${variable('String!', commit.revision)}) ` +
        `{ ${selection} ... on Tag { target { ${selection} } } }`,
    );
  });
  (request.recent ?? []).forEach((recent, index) => {
    fields.push(`recent${index}: ${deploymentsOf([recent.environment], Math.min(recent.count, 100))}`);
  });
  if (request.release !== undefined) {
    fields.push(`release(tagName: ${variable('String!', request.release)}) { ${RELEASE_FIELDS} }`);
  }
  if (request.releases) {
    fields.push(
      `releases(first: ${Math.min(request.releases, 100)}, orderBy: {field: CREATED_AT, direction: DESC}) ` +
        `{ nodes { ${RELEASE_FIELDS} } }`,
    );
  }
  (request.comparisons ?? []).forEach((comparison, index) => {
    usesCommits = true;
    fields.push(
      `compare${index}: ref(qualifiedName: ${variable('String!', `refs/tags/${comparison.base}`)}) { ` +
        `compare(headRef: ${variable('String!', `refs/tags/${comparison.head}`)}) { aheadBy status ` +
        `commits(last: ${COMPARISON_COMMITS}) { nodes { ...SuiteCommit } } } }`,
    );
  });

  const fragments = [usesDeployments ? DEPLOYMENT_FIELDS : '', usesCommits ? COMMIT_FIELDS : ''];
  const query =
    `query PromotionState(${declarations.join(', ')}) {\n` +
    `  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}\n` +
    fragments.filter(Boolean).join('\n');
  return { query, variables };
}

interface GraphqlActor {
  __typename?: string;
  login: string;
}

interface GraphqlStatus {
  id: string;
  state: string;
  description: string | null;
  createdAt: string;
  environmentUrl: string | null;
  logUrl: string | null;
  creator: GraphqlActor | null;
}

interface GraphqlDeployment {
  databaseId: number | null;
  commitOid: string;
  environment: string | null;
  task: string | null;
  payload: string | null;
  createdAt: string;
  creator: GraphqlActor | null;
  latestStatus: { id: string } | null;
  statuses: { nodes: Array<GraphqlStatus | null> | null } | null;
}

interface DeploymentConnection {
  nodes: Array<GraphqlDeployment | null> | null;
}

interface GraphqlCommit {
  oid?: string;
  message: string;
  url: string;
  committedDate?: string;
  author: { name: string | null; user: GraphqlActor | null } | null;
  deployments?: DeploymentConnection;
  [alias: string]: unknown;
}

interface GraphqlRelease {
  databaseId: number | null;
  tagName: string;
  url: string;
  description: string | null;
  isPrerelease: boolean;
}

interface GraphqlRepository {
  id: string;
  file?: { text: string | null; isBinary: boolean | null } | null;
  release?: GraphqlRelease | null;
  releases?: { nodes: Array<GraphqlRelease | null> | null } | null;
  [alias: string]: unknown;
}

/** A snapshot of `repositoryId` that holds nothing yet; the answer's parts are filled in as they are read. */
export function emptySnapshot(repositoryId: string): RepositorySnapshot {
  return {
    repositoryId,
    file: undefined,
    tags: new Map(),
    commits: new Map(),
    recent: new Map(),
    release: undefined,
    releases: [],
    comparisons: new Map(),
  };
}

function readAnswer(
  answer: GraphqlRepository,
  request: SnapshotRequest,
  apiBase: string,
): RepositorySnapshot {
  const deploymentOf = (connection: DeploymentConnection | undefined) =>
    newestSuiteDeployment(connection, apiBase);
  const snapshot = emptySnapshot(answer.id);
  if (request.file && answer.file) {
    snapshot.file = answer.file.isBinary || answer.file.text === null ? { binary: true } : answer.file.text;
  }
  const commitState = (found: GraphqlCommit | null | undefined, deploymentsIn: string[]): CommitState => {
    const deployments = new Map<string, DeploymentWithProgress | undefined>();
    deploymentsIn.forEach((environment, inner) => {
      deployments.set(environment, deploymentOf(found?.[`d${inner}`] as DeploymentConnection | undefined));
    });
    const commit = found?.oid ? toCommitInfo(found) : undefined;
    return { sha: commit?.sha, commit, deployments };
  };
  (request.tags ?? []).forEach((tag, index) => {
    const ref = answer[`tag${index}`] as { target: GraphqlCommit & { target?: GraphqlCommit } } | null;
    // An annotated tag points at a tag object, which points at the commit.
    const commit = ref?.target.target ?? ref?.target;
    snapshot.tags.set(tag.tag, commitState(commit, tag.deploymentsIn));
  });
  (request.commits ?? []).forEach((wanted, index) => {
    const found = answer[`commit${index}`] as (GraphqlCommit & { target?: GraphqlCommit }) | null | undefined;
    snapshot.commits.set(wanted.revision, commitState(found?.target ?? found, wanted.deploymentsIn));
  });
  (request.recent ?? []).forEach((recent, index) => {
    const connection = answer[`recent${index}`] as DeploymentConnection | undefined;
    snapshot.recent.set(recent.environment, suiteDeployments(connection, apiBase));
  });
  snapshot.release = answer.release ? toReleaseRecord(answer.release) : undefined;
  snapshot.releases = (answer.releases?.nodes ?? [])
    .map((node) => (node ? toReleaseRecord(node) : undefined))
    .filter((release): release is ReleaseRecord => release !== undefined);
  (request.comparisons ?? []).forEach((comparison, index) => {
    const ref = answer[`compare${index}`] as {
      compare: { aheadBy: number; status: string; commits: { nodes: GraphqlCommit[] | null } } | null;
    } | null;
    snapshot.comparisons.set(`${comparison.base}...${comparison.head}`, {
      aheadBy: ref?.compare?.aheadBy,
      status: ref?.compare?.status.toLowerCase(),
      commits: (ref?.compare?.commits.nodes ?? []).map(toCommitInfo),
    });
  });
  return snapshot;
}

/** The deployments of a connection that carry the suite's task, with what their statuses say. */
function suiteDeployments(
  connection: DeploymentConnection | undefined,
  apiBase: string,
): DeploymentWithProgress[] {
  return (connection?.nodes ?? [])
    .filter((node): node is GraphqlDeployment => node !== null && node.databaseId !== null)
    .filter((node) => node.task === DEPLOYMENT_TASK)
    .map((node) => toDeploymentWithProgress(node, apiBase));
}

function newestSuiteDeployment(
  connection: DeploymentConnection | undefined,
  apiBase: string,
): DeploymentWithProgress | undefined {
  return suiteDeployments(connection, apiBase)[0];
}

function toDeploymentWithProgress(node: GraphqlDeployment, apiBase: string): DeploymentWithProgress {
  const id = node.databaseId as number;
  const deployment: DeploymentRecord = {
    id,
    sha: node.commitOid,
    environment: node.environment ?? '',
    url: `${apiBase}/deployments/${id}`,
    createdAt: node.createdAt,
    creator: restLogin(node.creator),
    release: readReleasePayload(parsePayload(node.payload)),
  };
  return { deployment, progress: releaseProgress(suiteDeploymentStatuses(node)) };
}

/**
 * The statuses of a deployment node read with {@link SUITE_DEPLOYMENT_FRAGMENT}, newest first (as REST lists
 * them), states lower-cased like REST.
 */
export function suiteDeploymentStatuses(node: SuiteDeploymentNode): StatusRecord[] {
  const nodes = (node.statuses?.nodes ?? []).filter((status): status is GraphqlStatus => status !== null);
  // The suite reads statuses newest first, as REST lists them. GraphQL lists them oldest first; should it ever
  // list them newest first, `latestStatus` (GitHub's own newest) says so and the order is kept.
  const newestFirst = nodes.length > 1 && nodes[0]?.id === node.latestStatus?.id;
  const ordered = newestFirst ? nodes : [...nodes].reverse();
  return ordered.map((status) => ({
    id: status.id,
    state: status.state.toLowerCase(),
    description: status.description ?? '',
    createdAt: status.createdAt,
    creator: restLogin(status.creator),
    environmentUrl: status.environmentUrl ?? '',
    logUrl: status.logUrl ?? '',
  }));
}

/** An actor's login as REST gives it: GraphQL names a bot `github-actions`, REST `github-actions[bot]`. */
function restLogin(actor: GraphqlActor | null): string | null {
  if (!actor) return null;
  return actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
}

/** GraphQL gives a deployment's payload as JSON text; a payload that is not JSON carries no record. */
function parsePayload(payload: string | null): unknown {
  if (!payload) return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

function toReleaseRecord(release: GraphqlRelease): ReleaseRecord | undefined {
  if (release.databaseId === null) return undefined;
  return {
    id: release.databaseId,
    tag: release.tagName,
    url: release.url,
    body: release.description ?? '',
    prerelease: release.isPrerelease,
  };
}

function toCommitInfo(commit: GraphqlCommit): CommitInfo {
  return {
    sha: commit.oid ?? '',
    subject: commit.message.split('\n', 1)[0] ?? '',
    message: commit.message,
    authorLogin: commit.author?.user?.login ?? null,
    authorName: commit.author?.name ?? '',
    htmlUrl: commit.url,
    committedAt: commit.committedDate,
  };
}

/** The REST address of the repository, for the `url` of deployments read through GraphQL. */
function apiBaseOf(client: GitHubClient, repository: RepositoryRef): string {
  const base = String(client.request.endpoint.DEFAULTS.baseUrl).replace(/\/$/, '');
  return `${base}/repos/${repository.owner}/${repository.repo}`;
}

/**
 * The GraphQL fragment `SuiteDeployment` (on `Deployment`) the snapshot reads every deployment with: ids, payload,
 * creator and the newest {@link STATUSES_PER_DEPLOYMENT} statuses. Other reads of deployments (e.g. the metrics'
 * history) select `...SuiteDeployment` and append this text to their query.
 */
export const SUITE_DEPLOYMENT_FRAGMENT: string = DEPLOYMENT_FIELDS;

/** A `Deployment` node as {@link SUITE_DEPLOYMENT_FRAGMENT} selects it. */
export type SuiteDeploymentNode = GraphqlDeployment;
