import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { PermissionError } from '../packages/core/src/errors.js';
import { toActionableError } from '../packages/core/src/github/api-error.js';
import { createGitHubClient, type GitHubClient } from '../packages/core/src/github/client.js';
import { toCommitInfo, resolveCommit } from '../packages/core/src/state/commits.js';
import {
  releaseProgress,
  type ReleaseProgress,
  type StatusRecord,
} from '../packages/core/src/state/deployment-markers.js';
import { listDeployments, listDeploymentStatuses } from '../packages/core/src/state/deployments.js';
import { findReleaseByTag } from '../packages/core/src/state/github-release.js';
import {
  buildSnapshotQuery,
  readRepositorySnapshot,
  sameSnapshotRequest,
  type SnapshotRequest,
} from '../packages/core/src/state/repository-snapshot.js';
import type { RepositoryRef } from '../packages/core/src/state/repository.js';
import { promoteWithCore } from './harness/promotion-state.js';

// The one GraphQL read every action starts from, checked against what REST says of the same records.

let emulator: Emulator;
let client: GitHubClient;
let repository: RepositoryRef;
let commitA = '';
let commitB = '';
let versionTagName = '';

beforeAll(async () => {
  emulator = await startEmulator();
  client = createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 });
  repository = { owner: emulator.owner, repo: emulator.repo };
  commitA = emulator.git.commit('feat: commit A');
  await promoteWithCore(emulator, 'integration', commitA, 101, 'accepted');
  commitB = emulator.git.commit('fix: commit B\n\nWith a body.', {
    author: { name: 'Mona Lisa', email: 'mona@example.com', login: 'mona' },
  });
  await promoteWithCore(emulator, 'integration', commitB, 102, 'deployed');
  // A's release in production: the version tag (annotated) and its GitHub Release.
  await promoteWithCore(emulator, 'production', commitA, 103, 'prepared');
  versionTagName = emulator.store.releases[0]?.tagName ?? '';
  // A tag on B to compare with, and deployments of B by chosen creators in an environment of their own.
  emulator.git.run(['tag', 'snapshot/b', commitB]);
  emulator.seed.deployments('sandbox', 1, { sha: commitB, creator: 'github-actions[bot]' });
  emulator.seed.deployments('sandbox', 1, { sha: commitB, creator: 'mona', state: 'failure' });
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

/** A status without its id: REST gives numbers, GraphQL node ids. */
function withoutId(status: StatusRecord | undefined): Omit<StatusRecord, 'id'> | undefined {
  if (!status) return undefined;
  const { id: _id, ...rest } = status;
  return rest;
}

function comparableProgress(progress: ReleaseProgress) {
  return {
    ...progress,
    latest: withoutId(progress.latest),
    accepted: withoutId(progress.accepted),
    rolledBack: withoutId(progress.rolledBack),
  };
}

describe('readRepositorySnapshot against the emulator', () => {
  it('agrees with REST on tags, deployments, statuses, commits, the release and the comparison', async () => {
    expect(versionTagName).not.toBe('');
    const snapshot = await readRepositorySnapshot(client, repository, {
      tags: [
        { tag: 'env/integration', deploymentsIn: ['integration'] },
        { tag: versionTagName, deploymentsIn: ['production', 'integration'] },
      ],
      recent: [
        { environment: 'integration', count: 10 },
        { environment: 'sandbox', count: 10 },
      ],
      commits: [{ revision: commitB, deploymentsIn: ['integration'] }],
      comparisons: [
        { base: 'env/integration', head: 'snapshot/b' },
        { base: 'snapshot/b', head: 'env/integration' },
      ],
      release: versionTagName,
    });

    const repoId = (await client.rest.repos.get({ ...repository })).data.node_id;
    expect(snapshot.repositoryId).toBe(repoId);

    // Tags: the lightweight environment tag and the annotated version tag both lead to A.
    const integrationTag = snapshot.tags.get('env/integration');
    expect(integrationTag?.sha).toBe(commitA);
    expect(snapshot.tags.get(versionTagName)?.sha).toBe(commitA);
    const [restA] = await listDeployments(client, repository, {
      environment: 'integration',
      task: 'deploy',
      sha: commitA,
      limit: 1,
    });
    expect(restA).toBeDefined();
    expect(integrationTag?.deployments.get('integration')?.deployment).toEqual(restA);
    const [restProductionA] = await listDeployments(client, repository, {
      environment: 'production',
      task: 'deploy',
      sha: commitA,
      limit: 1,
    });
    expect(snapshot.tags.get(versionTagName)?.deployments.get('production')?.deployment).toEqual(
      restProductionA,
    );

    // Recent: every deployment of the environment, newest first, with its statuses.
    const restRecent = await listDeployments(client, repository, {
      environment: 'integration',
      task: 'deploy',
      limit: 10,
    });
    const recent = snapshot.recent.get('integration') ?? [];
    expect(recent.map((entry) => entry.deployment)).toEqual(restRecent);
    expect(recent.map((entry) => entry.deployment.sha)).toEqual([commitB, commitA]);
    expect(recent[0]?.deployment.creator).toBe('github-actions[bot]');
    expect(recent[0]?.deployment.release?.run.id).toBe(102);
    for (const entry of recent) {
      const statuses = await listDeploymentStatuses(client, repository, entry.deployment.id);
      expect(statuses.length).toBeGreaterThan(1);
      expect(comparableProgress(entry.progress)).toEqual(comparableProgress(releaseProgress(statuses)));
      expect(withoutId(entry.progress.latest)).toEqual(withoutId(statuses[0]));
      expect(withoutId(entry.progress.latest)?.creator).toBe('github-actions[bot]');
    }
    expect(recent[0]?.progress.lastStep).toBe('deployed');
    // A was accepted, then replaced when B deployed (the environment keeps one active deployment).
    expect(recent[1]?.progress.lastStep).toBe('replaced');
    expect(recent[1]?.progress.accepted?.description).toMatch(/^Accepted/);
    // The status order itself: state and description, newest first, as REST lists them.
    const restStatusesOfB = await listDeploymentStatuses(client, repository, recent[0]?.deployment.id ?? 0);
    expect(restStatusesOfB.map((status) => [status.state, status.description])).toEqual([
      ['success', expect.stringMatching(/^Deployed/)],
      ['queued', expect.stringMatching(/^Prepared/)],
    ]);
    expect(recent[0]?.progress.latest?.description).toBe(restStatusesOfB[0]?.description);

    // Creators: a bot reads back with REST's `[bot]` login, a user unchanged.
    const sandbox = snapshot.recent.get('sandbox') ?? [];
    const restSandbox = await listDeployments(client, repository, {
      environment: 'sandbox',
      task: 'deploy',
      limit: 10,
    });
    expect(sandbox.map((entry) => entry.deployment)).toEqual(restSandbox);
    expect(sandbox.map((entry) => entry.deployment.creator)).toEqual(['mona', 'github-actions[bot]']);
    expect(sandbox.map((entry) => entry.progress.latest?.creator)).toEqual(['mona', 'github-actions[bot]']);

    // Commits named by revision.
    const stateB = snapshot.commits.get(commitB);
    expect(stateB?.sha).toBe(commitB);
    expect(stateB?.commit).toEqual(await resolveCommit(client, repository, commitB));
    expect(stateB?.commit?.authorLogin).toBe('mona');
    expect(stateB?.commit?.subject).toBe('fix: commit B');
    expect(stateB?.deployments.get('integration')?.deployment).toEqual(restRecent[0]);

    // The release.
    const restRelease = await findReleaseByTag(client, repository, versionTagName);
    expect(restRelease).toBeDefined();
    expect(snapshot.release).toEqual(restRelease);

    // Comparisons, both ways.
    const forward = await restCompare('env/integration', 'snapshot/b');
    const ahead = snapshot.comparisons.get('env/integration...snapshot/b');
    expect(ahead).toEqual({ aheadBy: forward.total, status: forward.status, commits: forward.commits });
    expect(ahead?.status).toBe('ahead');
    expect(ahead?.aheadBy).toBe(1);
    expect(ahead?.commits.map((commit) => commit.sha)).toEqual([commitB]);
    const backward = await restCompare('snapshot/b', 'env/integration');
    const behind = snapshot.comparisons.get('snapshot/b...env/integration');
    expect(behind).toEqual({ aheadBy: backward.total, status: backward.status, commits: backward.commits });
    expect(behind?.status).toBe('behind');
  });

  it('reads missing things as undefined', async () => {
    const snapshot = await readRepositorySnapshot(client, repository, {
      file: { path: '.github/no-such-file.yml', at: commitB },
      tags: [{ tag: 'env/nowhere', deploymentsIn: ['nowhere'] }],
      commits: [{ revision: 'no-such-branch', deploymentsIn: ['integration'] }],
      release: 'v9.9.9',
      comparisons: [{ base: 'env/nowhere', head: 'snapshot/b' }],
    });
    expect(snapshot.file).toBeUndefined();
    const tag = snapshot.tags.get('env/nowhere');
    expect(tag).toEqual({
      sha: undefined,
      commit: undefined,
      deployments: new Map([['nowhere', undefined]]),
    });
    const revision = snapshot.commits.get('no-such-branch');
    expect(revision).toEqual({
      sha: undefined,
      commit: undefined,
      deployments: new Map([['integration', undefined]]),
    });
    expect(snapshot.release).toBeUndefined();
    expect(snapshot.comparisons.get('env/nowhere...snapshot/b')).toEqual({
      aheadBy: undefined,
      status: undefined,
      commits: [],
    });
  });

  it('reads a release tag that has no release (a tag of its own) as no release', async () => {
    const snapshot = await readRepositorySnapshot(client, repository, {
      release: 'snapshot/b',
      file: { path: 'README.md', at: 'no-such-revision' },
    });
    expect(snapshot.release).toBeUndefined();
    expect(snapshot.file).toBeUndefined();
  });

  it('resolves revisions that are a branch, a sha or a lightweight tag', async () => {
    const snapshot = await readRepositorySnapshot(client, repository, {
      commits: [
        { revision: 'main', deploymentsIn: [] },
        { revision: commitA, deploymentsIn: ['integration'] },
        { revision: 'snapshot/b', deploymentsIn: [] },
        { revision: 'f'.repeat(40), deploymentsIn: [] },
      ],
    });
    expect(snapshot.commits.get('main')?.sha).toBe(emulator.git.head());
    const ofA = snapshot.commits.get(commitA)?.deployments.get('integration')?.progress;
    expect([ofA?.lastStep, ofA?.accepted?.description.split(' ')[0]]).toEqual(['replaced', 'Accepted']);
    expect(snapshot.commits.get('snapshot/b')?.sha).toBe(commitB);
    expect(snapshot.commits.get('f'.repeat(40))?.sha).toBeUndefined();
  });

  // A revision naming an annotated tag (every version tag the suite creates, e.g. prepare-release `ref: v0.1.0`)
  // resolves to the commit the tag points at, as REST `GET /commits/{ref}` does.
  it('resolves a revision naming an annotated tag to its commit', async () => {
    const snapshot = await readRepositorySnapshot(client, repository, {
      commits: [{ revision: versionTagName, deploymentsIn: ['production'] }],
    });
    expect(emulator.git.run(['cat-file', '-t', versionTagName])).toBe('tag');
    expect(snapshot.commits.get(versionTagName)?.sha).toBe(commitA);
    expect(snapshot.commits.get(versionTagName)?.commit).toEqual(
      await resolveCommit(client, repository, versionTagName),
    );
  });

  it('reads a file that exists, as text', async () => {
    const at = emulator.seed.file('docs/notes.txt', 'hello\nworld\n');
    const snapshot = await readRepositorySnapshot(client, repository, {
      file: { path: 'docs/notes.txt', at },
    });
    expect(snapshot.file).toBe('hello\nworld\n');
  });
});

/** A client answering every GraphQL request with `data`, as far as readRepositorySnapshot uses a client. */
function fakeClient(data: unknown): GitHubClient {
  return {
    graphql: async () => data,
    request: { endpoint: { DEFAULTS: { baseUrl: 'https://api.example.test' } } },
  } as unknown as GitHubClient;
}

function status(id: string, state: string, description: string, createdAt: string) {
  return {
    id,
    state,
    description,
    createdAt,
    environmentUrl: null,
    logUrl: null,
    creator: { __typename: 'Bot', login: 'github-actions' },
  };
}

function deployment(databaseId: number, statuses: ReturnType<typeof status>[], latestId: string) {
  return {
    databaseId,
    commitOid: 'a'.repeat(40),
    environment: 'integration',
    task: 'deploy',
    payload: null,
    createdAt: '2026-01-01T00:00:00Z',
    creator: { __typename: 'Bot', login: 'github-actions' },
    latestStatus: { id: latestId },
    statuses: { nodes: statuses },
  };
}

describe('status order', () => {
  it('gives the newest status as latest whether GraphQL lists statuses oldest or newest first', async () => {
    const prepared = status('S1', 'QUEUED', 'Prepared 1.0.0 by run 1', '2026-01-01T00:00:01Z');
    const deploying = status('S2', 'IN_PROGRESS', 'Deploying 1.0.0', '2026-01-01T00:00:02Z');
    const deployed = status('S3', 'SUCCESS', 'Deployed 1.0.0', '2026-01-01T00:00:03Z');
    const oldestFirst = deployment(1, [prepared, deploying, deployed], 'S3');
    const newestFirst = deployment(2, [deployed, deploying, prepared], 'S3');
    const client = fakeClient({
      repository: { id: 'R_1', recent0: { nodes: [oldestFirst, newestFirst] } },
    });
    const snapshot = await readRepositorySnapshot(
      client,
      { owner: 'o', repo: 'r' },
      { recent: [{ environment: 'integration', count: 10 }] },
    );
    const recent = snapshot.recent.get('integration') ?? [];
    expect(recent).toHaveLength(2);
    for (const entry of recent) {
      expect(entry.progress.latest).toMatchObject({
        id: 'S3',
        state: 'success',
        description: 'Deployed 1.0.0',
      });
      expect(entry.progress.lastStep).toBe('deployed');
      expect(entry.progress.deployed).toBe(true);
      expect(entry.deployment.creator).toBe('github-actions[bot]');
      expect(entry.progress.latest?.creator).toBe('github-actions[bot]');
    }
    expect(recent.map((entry) => entry.deployment.url)).toEqual([
      'https://api.example.test/repos/o/r/deployments/1',
      'https://api.example.test/repos/o/r/deployments/2',
    ]);
  });
});

describe('buildSnapshotQuery', () => {
  it('reads only the repository id for an empty request, with a document GitHub accepts', async () => {
    const built = buildSnapshotQuery(repository, {});
    expect(built.variables).toEqual({ owner: emulator.owner, name: emulator.repo });
    const selection = /repository\(owner: \$owner, name: \$name\) \{([^}]*)\}/.exec(built.query)?.[1];
    expect(selection?.trim()).toBe('id');
    expect(built.query).not.toContain('fragment');
    const before = emulator.problems.length;
    const answer = await client.graphql<{ repository: { id: string } }>(built.query, built.variables);
    expect(Object.keys(answer.repository)).toEqual(['id']);
    expect(emulator.problems.length).toBe(before);
  });

  it('passes every value of a full request in its own variable, none in the document', async () => {
    const hostile = 'x") { id } #';
    const request: SnapshotRequest = {
      file: { path: 'hostile"path.yml', at: 'main' },
      tags: [{ tag: hostile, deploymentsIn: ['integration', 'pro"duction'] }],
      commits: [{ revision: 'main"', deploymentsIn: ['integration'] }],
      recent: [{ environment: 'inte"gration', count: 10 }],
      release: 'v1"',
      comparisons: [{ base: 'env/integration', head: hostile }],
    };
    const built = buildSnapshotQuery(repository, request);
    // owner, name, file, tag, 2 tag environments, revision, 1 commit environment, recent environment, release,
    // comparison base and head.
    const declared = [...built.query.matchAll(/\$(\w+): [^,)]+/g)].map((match) => match[1]);
    expect(declared).toHaveLength(12);
    expect(Object.keys(built.variables).sort()).toEqual([...declared].sort());
    expect(built.query).not.toContain('"');
    expect(built.query).not.toContain('#');
    expect(built.query).not.toContain('main');
    expect(Object.values(built.variables)).toEqual(
      expect.arrayContaining([
        `refs/tags/${hostile}`,
        ['integration'],
        ['pro"duction'],
        ['inte"gration'],
        'main"',
        'v1"',
        'main:hostile"path.yml',
        'refs/tags/env/integration',
      ]),
    );
    const before = emulator.problems.length;
    const snapshot = await readRepositorySnapshot(client, repository, request);
    expect(emulator.problems.length).toBe(before);
    expect(snapshot.tags.get(hostile)?.sha).toBeUndefined();
    expect(snapshot.commits.get('main"')?.sha).toBeUndefined();
    expect(snapshot.release).toBeUndefined();
    expect(snapshot.file).toBeUndefined();
    expect(snapshot.recent.get('inte"gration')).toEqual([]);
  });
});

describe('sameSnapshotRequest', () => {
  const base: SnapshotRequest = {
    tags: [{ tag: 'env/integration', deploymentsIn: ['integration'] }],
    commits: [{ revision: 'main', deploymentsIn: ['integration'] }],
    recent: [{ environment: 'integration', count: 30 }],
    release: 'v1.0.0',
    comparisons: [{ base: 'env/production', head: 'env/integration' }],
  };

  it('ignores the file', () => {
    expect(sameSnapshotRequest(base, { ...base, file: { path: '.github/promotion.yml', at: 'abc' } })).toBe(
      true,
    );
    expect(sameSnapshotRequest({ recent: [] }, { file: { path: 'a', at: 'b' } })).toBe(true);
    expect(sameSnapshotRequest({}, { release: undefined, tags: [] })).toBe(true);
  });

  it('compares everything else', () => {
    expect(sameSnapshotRequest(base, { ...base })).toBe(true);
    expect(
      sameSnapshotRequest(base, {
        ...base,
        tags: [{ tag: 'prefix/integration', deploymentsIn: ['integration'] }],
      }),
    ).toBe(false);
    expect(
      sameSnapshotRequest(base, { ...base, tags: [{ tag: 'env/integration', deploymentsIn: [] }] }),
    ).toBe(false);
    expect(sameSnapshotRequest(base, { ...base, commits: [] })).toBe(false);
    expect(sameSnapshotRequest(base, { ...base, recent: [{ environment: 'integration', count: 10 }] })).toBe(
      false,
    );
    expect(sameSnapshotRequest(base, { ...base, release: undefined })).toBe(false);
    expect(
      sameSnapshotRequest(base, {
        ...base,
        comparisons: [{ base: 'env/integration', head: 'env/production' }],
      }),
    ).toBe(false);
  });
});

describe('a GraphQL answer refusing the token', () => {
  it('throws, and reads as a PermissionError naming contents and deployments write', async () => {
    emulator.faults.add({
      route: 'POST /graphql',
      status: 200,
      body: {
        data: null,
        errors: [
          {
            type: 'FORBIDDEN',
            path: ['repository', 'recent0'],
            message: 'Resource not accessible by integration',
          },
        ],
      },
    });
    let thrown: unknown;
    try {
      await readRepositorySnapshot(client, repository, {
        recent: [{ environment: 'integration', count: 1 }],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeDefined();
    const actionable = toActionableError(thrown, repository);
    expect(actionable).toBeInstanceOf(PermissionError);
    const message = (actionable as Error).message;
    expect(message).toContain('contents: write');
    expect(message).toContain('deployments: write');
    expect(message).toContain('Resource not accessible by integration');
    expect(message).toContain(`${emulator.owner}/${emulator.repo}`);
  });
});

/** What REST compare says of `base...head`, as the snapshot reports a comparison. */
async function restCompare(base: string, head: string) {
  const response = await client.rest.repos.compareCommitsWithBasehead({
    ...repository,
    basehead: `${base}...${head}`,
    per_page: 100,
  });
  return {
    total: response.data.total_commits,
    status: response.data.status,
    commits: response.data.commits.map((commit) =>
      toCommitInfo(commit as Parameters<typeof toCommitInfo>[0]),
    ),
  };
}
