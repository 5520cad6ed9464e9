import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { Store, type DeploymentStatusRecord } from '../src/store.js';
import { apiClient, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

/** Posts a GraphQL request and returns the decoded body. */
async function graphql(target: Emulator, query: string, variables?: Record<string, unknown>): Promise<Json> {
  const response = await fetch(target.graphqlUrl, {
    method: 'POST',
    headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** Runs `selection` inside `repository(owner, name)` and returns the repository's data (no errors allowed). */
async function repository(selection: string, variables?: Record<string, unknown>): Promise<Json> {
  const declared = variables
    ? `(${Object.keys(variables)
        .map((name) => `$${name}: ${VARIABLE_TYPES[name] ?? 'String!'}`)
        .join(', ')})`
    : '';
  const body = await graphql(
    emulator,
    `query State${declared} { repository(owner: "octo-org", name: "shop") { ${selection} } }`,
    variables,
  );
  expect(body.errors).toBeUndefined();
  return body.data.repository;
}

const VARIABLE_TYPES: Record<string, string> = {
  environments: '[String!]',
  after: 'String',
  oid: 'GitObjectID!',
};

async function deploy(body: Record<string, unknown>): Promise<Json> {
  const response = await api('POST', 'deployments', { body });
  expect(response.status).toBe(201);
  return response.body;
}

async function addStatus(id: number, body: Record<string, unknown>): Promise<Json> {
  const response = await api('POST', `deployments/${id}/statuses`, { body });
  expect(response.status).toBe(201);
  return response.body;
}

const DEPLOYMENT_FIELDS = `
  id databaseId commitOid commit { oid } environment originalEnvironment latestEnvironment task payload
  description createdAt updatedAt state creator { __typename login }
  latestStatus { id state }
  statuses(first: 10) {
    totalCount
    nodes {
      id state description environment environmentUrl logUrl createdAt updatedAt
      creator { __typename login } deployment { databaseId }
    }
  }
  newest: statuses(last: 1) { nodes { id state } }
`;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

describe('Deployment', () => {
  it('reads a REST deployment and its statuses back with the same ids, payload and creator', async () => {
    const sha = emulator.git.commit('deployable');
    const payload = { 'release-promotion': { schema: 1, version: '1.4.0', run: { id: 7 } } };
    const created = await deploy({
      ref: sha,
      environment: 'qa-read',
      payload,
      description: 'Deploy 1.4.0',
      task: 'deploy:qa',
    });
    await addStatus(created.id, { state: 'queued', description: 'waiting for a runner' });
    await addStatus(created.id, { state: 'in_progress', log_url: 'https://example.com/log/1' });
    await addStatus(created.id, {
      state: 'success',
      environment_url: 'https://qa.example.com',
      log_url: 'https://example.com/log/2',
      description: 'deployed',
    });
    const rest = (await api('GET', `deployments/${created.id}`)).body;
    const restStatuses: Json[] = (await api('GET', `deployments/${created.id}/statuses`)).body;

    const data = await repository(
      `deployments(environments: $environments, last: 1) { totalCount nodes { ${DEPLOYMENT_FIELDS} } }`,
      { environments: ['qa-read'] },
    );
    expect(data.deployments.totalCount).toBe(1);
    const deployment = data.deployments.nodes[0];
    expect(deployment).toMatchObject({
      id: rest.node_id,
      databaseId: rest.id,
      commitOid: sha,
      commit: { oid: rest.sha },
      environment: rest.environment,
      originalEnvironment: rest.original_environment,
      latestEnvironment: 'qa-read',
      task: 'deploy:qa',
      description: 'Deploy 1.4.0',
      createdAt: rest.created_at,
      updatedAt: rest.updated_at,
      state: 'ACTIVE',
      // GitHub's GraphQL names a bot without the `[bot]` suffix REST shows.
      creator: { __typename: 'Bot', login: rest.creator.login.replace(/\[bot\]$/, '') },
    });
    expect(rest.creator.login).toBe('github-actions[bot]');
    expect(JSON.parse(deployment.payload)).toEqual(rest.payload);
    expect(JSON.parse(deployment.payload)).toEqual(payload);

    // REST lists statuses newest first; GraphQL oldest first.
    const oldestFirst = [...restStatuses].reverse();
    expect(deployment.statuses.totalCount).toBe(3);
    expect(deployment.statuses.nodes.map((status: Json) => status.state)).toEqual([
      'QUEUED',
      'IN_PROGRESS',
      'SUCCESS',
    ]);
    expect(deployment.statuses.nodes).toEqual(
      oldestFirst.map((status) => ({
        id: status.node_id,
        state: status.state.toUpperCase(),
        description: status.description,
        environment: status.environment,
        environmentUrl: status.environment_url || null,
        logUrl: status.log_url || null,
        createdAt: status.created_at,
        updatedAt: status.updated_at,
        creator: { __typename: 'Bot', login: 'github-actions' },
        deployment: { databaseId: rest.id },
      })),
    );
    expect(deployment.latestStatus).toEqual({ id: restStatuses[0].node_id, state: 'SUCCESS' });
    expect(deployment.newest.nodes).toEqual([deployment.latestStatus]);
  });

  it('answers a string payload as REST stores it, and the state of the newest status', async () => {
    const created = await deploy({ ref: 'main', environment: 'qa-string', payload: 'not json at all' });
    const fresh = await repository(
      'deployments(environments: $environments, first: 5) { nodes { payload state latestStatus { id } } }',
      { environments: ['qa-string'] },
    );
    expect(created.payload).toBe('not json at all');
    expect(fresh.deployments.nodes).toEqual([
      { payload: 'not json at all', state: 'PENDING', latestStatus: null },
    ]);

    await addStatus(created.id, { state: 'failure' });
    const failed = await repository(
      'deployments(environments: $environments, first: 5) { nodes { state latestStatus { state } } }',
      { environments: ['qa-string'] },
    );
    expect(failed.deployments.nodes).toEqual([{ state: 'FAILURE', latestStatus: { state: 'FAILURE' } }]);
  });

  it('shows an auto-inactivated deployment as INACTIVE', async () => {
    const first = await deploy({ ref: 'main', environment: 'qa-inactive' });
    await addStatus(first.id, { state: 'success' });
    const second = await deploy({ ref: 'main', environment: 'qa-inactive' });
    await addStatus(second.id, { state: 'success' });
    const data = await repository(
      'deployments(environments: $environments, first: 5) { nodes { databaseId state } }',
      { environments: ['qa-inactive'] },
    );
    expect(data.deployments.nodes).toEqual([
      { databaseId: first.id, state: 'INACTIVE' },
      { databaseId: second.id, state: 'ACTIVE' },
    ]);
  });
});

describe('Repository.deployments', () => {
  let ids: Record<'a' | 'b', number[]>;

  beforeAll(async () => {
    ids = { a: [], b: [] };
    for (const environment of ['a', 'b', 'a', 'b', 'a'] as const) {
      ids[environment].push((await deploy({ ref: 'main', environment: `order-${environment}` })).id);
    }
  });

  it('filters by environment and orders newest first with DESC, like REST', async () => {
    const data = await repository(
      `deployments(environments: $environments, first: 2, orderBy: {field: CREATED_AT, direction: DESC}) {
        totalCount
        nodes { databaseId environment }
        edges { cursor node { databaseId } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }`,
      { environments: ['order-a'] },
    );
    const rest: Json[] = (await api('GET', 'deployments?environment=order-a&per_page=2')).body;
    expect(data.deployments.totalCount).toBe(3);
    expect(data.deployments.nodes.map((node: Json) => node.databaseId)).toEqual(rest.map((item) => item.id));
    expect(data.deployments.nodes).toEqual([
      { databaseId: ids.a[2], environment: 'order-a' },
      { databaseId: ids.a[1], environment: 'order-a' },
    ]);
    expect(data.deployments.edges.map((edge: Json) => edge.node.databaseId)).toEqual([ids.a[2], ids.a[1]]);
    expect(data.deployments.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(data.deployments.pageInfo.endCursor).toBe(data.deployments.edges[1].cursor);

    const next = await repository(
      `deployments(environments: $environments, first: 2, after: $after,
        orderBy: {field: CREATED_AT, direction: DESC}) { nodes { databaseId } pageInfo { hasNextPage } }`,
      { environments: ['order-a'], after: data.deployments.pageInfo.endCursor },
    );
    expect(next.deployments).toEqual({ nodes: [{ databaseId: ids.a[0] }], pageInfo: { hasNextPage: false } });
  });

  it('lists oldest first without orderBy, across several environments', async () => {
    const data = await repository(
      'deployments(environments: $environments, first: 10) { totalCount nodes { databaseId } }',
      { environments: ['order-b', 'order-a'] },
    );
    const expected = [...ids.a, ...ids.b].sort((first, second) => first - second);
    expect(data.deployments).toEqual({
      totalCount: 5,
      nodes: expected.map((databaseId) => ({ databaseId })),
    });
    const none = await repository('deployments(environments: $environments, first: 10) { totalCount }', {
      environments: ['ORDER-A'],
    });
    // Exact names, like the REST `environment` filter.
    expect(none.deployments.totalCount).toBe(
      (await api('GET', 'deployments?environment=ORDER-A')).body.length,
    );
    expect(none.deployments.totalCount).toBe(0);
  });

  it('insists on first or last, at most 100, naming the connection', async () => {
    const missing = await graphql(
      emulator,
      '{ repository(owner: "octo-org", name: "shop") { deployments { totalCount } } }',
    );
    expect(missing.errors).toEqual([
      expect.objectContaining({
        type: 'MISSING_PAGINATION_BOUNDARIES',
        message:
          'You must provide a `first` or `last` value to properly paginate the `deployments` connection.',
      }),
    ]);
    const excessive = await graphql(
      emulator,
      `
        {
          repository(owner: "octo-org", name: "shop") {
            deployments(first: 1) {
              nodes {
                statuses(last: 101) {
                  totalCount
                }
              }
            }
          }
        }
      `,
    );
    expect(excessive.errors?.[0]).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      message: 'Requesting 101 records on the `statuses` connection exceeds the `last` limit of 100 records.',
    });
  });
});

describe('Commit.deployments', () => {
  it('lists the deployments of one commit, like REST ?sha=', async () => {
    const one = emulator.git.commit('one');
    const other = emulator.git.commit('other');
    const first = await deploy({ ref: one, environment: 'sha-x' });
    await deploy({ ref: other, environment: 'sha-x' });
    const second = await deploy({ ref: one, environment: 'sha-y' });
    const data = await repository(
      `object(oid: $oid) { __typename ... on Commit { oid deployments(first: 10) {
        totalCount nodes { databaseId commitOid environment } } } }`,
      { oid: one },
    );
    const rest: Json[] = (await api('GET', `deployments?sha=${one}`)).body;
    expect(data.object.__typename).toBe('Commit');
    expect(data.object.deployments.totalCount).toBe(rest.length);
    expect(data.object.deployments.nodes).toEqual([
      { databaseId: first.id, commitOid: one, environment: 'sha-x' },
      { databaseId: second.id, commitOid: one, environment: 'sha-y' },
    ]);
    const filtered = await repository(
      `object(expression: "${one}") { ... on Commit {
        deployments(environments: ["sha-y"], first: 10) { nodes { databaseId } } } }`,
    );
    expect(filtered.object.deployments.nodes).toEqual([{ databaseId: second.id }]);
  });
});

describe('Repository.object', () => {
  const config = 'environments:\n  - integration\n  - production # née prod\n';
  let sha: string;

  beforeAll(() => {
    sha = emulator.git.commit('Add config', {
      files: { '.github/promotion.yml': config, 'assets/logo.bin': 'PNG\u0000\u0001data' },
    });
  });

  it('reads a file at a commit as text, agreeing with the REST contents', async () => {
    const data = await repository(
      `object(expression: "${sha}:.github/promotion.yml") {
        __typename oid ... on Blob { text byteSize isBinary isTruncated } }`,
    );
    const rest = (await api('GET', `contents/.github/promotion.yml?ref=${sha}`)).body;
    expect(data.object).toEqual({
      __typename: 'Blob',
      oid: rest.sha,
      text: config,
      byteSize: Buffer.byteLength(config),
      isBinary: false,
      isTruncated: false,
    });
    expect(Buffer.from(rest.content, 'base64').toString('utf8')).toBe(data.object.text);
  });

  it('answers null for a missing path or revision, and null text for binary files', async () => {
    const data = await repository(
      `missing: object(expression: "${sha}:.github/nope.yml") { oid }
       unknown: object(expression: "no-such-branch:.github/promotion.yml") { oid }
       absent: object(oid: "${'1'.repeat(40)}") { oid }
       binary: object(expression: "main:assets/logo.bin") { ... on Blob { text isBinary byteSize } }
       directory: object(expression: "main:.github") { __typename }
       branch: object(expression: "main") { __typename oid }`,
    );
    expect(data).toEqual({
      missing: null,
      unknown: null,
      absent: null,
      binary: { text: null, isBinary: true, byteSize: 9 },
      directory: { __typename: 'Tree' },
      branch: { __typename: 'Commit', oid: emulator.git.head() },
    });
  });
});

describe('Repository.release', () => {
  it('answers a release by tag like REST, with which one is latest', async () => {
    const sha = emulator.git.commit('release');
    const stable = (
      await api('POST', 'releases', {
        body: { tag_name: 'v2.0.0', name: 'Two', body: 'Notes', target_commitish: sha },
      })
    ).body;
    await api('POST', 'releases', {
      body: { tag_name: 'v2.1.0-rc.1', prerelease: true, target_commitish: sha },
    });
    const rest = (await api('GET', 'releases/tags/v2.0.0')).body;
    const latest = (await api('GET', 'releases/latest')).body;
    expect(rest.id).toBe(stable.id);

    const data = await repository(`
      release(tagName: "v2.0.0") {
        id databaseId tagName name description isPrerelease isDraft isLatest url createdAt publishedAt
        author { login }
      }
      prerelease: release(tagName: "v2.1.0-rc.1") { databaseId isPrerelease isLatest }
      missing: release(tagName: "v9.9.9") { id }`);
    expect(data.release).toEqual({
      id: rest.node_id,
      databaseId: rest.id,
      tagName: rest.tag_name,
      name: rest.name,
      description: rest.body,
      isPrerelease: rest.prerelease,
      isDraft: rest.draft,
      isLatest: latest.id === rest.id,
      url: rest.html_url,
      createdAt: rest.created_at,
      publishedAt: rest.published_at,
      author: { login: rest.author.login },
    });
    expect(data.release.isLatest).toBe(true);
    expect(data.prerelease).toMatchObject({ isPrerelease: true, isLatest: false });
    expect(data.missing).toBeNull();
  });
});

describe('Ref.compare', () => {
  it('agrees with REST compare for ahead, behind, identical and diverged refs', async () => {
    const base = emulator.git.commit('base');
    emulator.git.run(['branch', 'feature', base]);
    const ahead = emulator.git.commits(2, { branch: 'feature' });
    emulator.git.commit('on main');
    emulator.git.run(['tag', 'compare-base', base]);

    const cases: Array<[string, string, string]> = [
      ['refs/tags/compare-base', 'compare-base', 'feature'],
      ['refs/heads/feature', 'feature', 'compare-base'],
      ['refs/heads/feature', 'feature', 'feature'],
      ['refs/heads/main', 'main', 'feature'],
    ];
    for (const [qualifiedName, baseName, head] of cases) {
      const data = await repository(
        `ref(qualifiedName: "${qualifiedName}") { compare(headRef: "${head}") {
          aheadBy behindBy status commits(first: 100) { totalCount nodes { oid messageHeadline } } } }`,
      );
      const rest = (await api('GET', `compare/${baseName}...${head}`)).body;
      expect(data.ref.compare).toEqual({
        aheadBy: rest.ahead_by,
        behindBy: rest.behind_by,
        status: rest.status.toUpperCase(),
        commits: {
          totalCount: rest.commits.length,
          nodes: rest.commits.map((commit: Json) => ({
            oid: commit.sha,
            messageHeadline: commit.commit.message.split('\n')[0],
          })),
        },
      });
    }
    const ahead2 = await repository(
      'ref(qualifiedName: "refs/tags/compare-base") { compare(headRef: "feature") { status commits(last: 1) { nodes { oid } } } }',
    );
    expect(ahead2.ref.compare).toEqual({ status: 'AHEAD', commits: { nodes: [{ oid: ahead[1] }] } });
    const diverged = await repository(
      'ref(qualifiedName: "refs/heads/main") { compare(headRef: "feature") { status aheadBy behindBy } }',
    );
    expect(diverged.ref.compare).toEqual({ status: 'DIVERGED', aheadBy: 2, behindBy: 1 });
    const unknown = await repository(
      'ref(qualifiedName: "refs/heads/main") { compare(headRef: "no-such-ref") { status } }',
    );
    expect(unknown.ref.compare).toBeNull();
  });
});

describe('the whole state in one query', () => {
  it('found no problem in any request or answer', () => {
    expect(emulator.problems).toEqual([]);
  });

  it('still refuses a field it does not serve', async () => {
    const other = await startEmulator();
    try {
      const body = await graphql(
        other,
        '{ repository(owner: "octo-org", name: "shop") { deployments(first: 1) { nodes { ref { name } } } } }',
      );
      expect(body).toEqual({
        errors: [
          expect.objectContaining({
            type: 'NOT_SERVED_BY_EMULATOR',
            message: expect.stringMatching(/^The emulator does not serve field Deployment\.ref /),
          }),
        ],
      });
      expect(other.problems.map((problem) => problem.kind)).toEqual(['graphql']);
    } finally {
      await other.close();
    }
  });

  it('answers 30 of 10,000 deployments with their statuses quickly', async () => {
    const big = await startEmulator();
    try {
      const seeded = big.seed.deployments('integration', 10_000, { payload: { n: 1 } });
      big.seed.deployments('production', 50);
      const query = `{ repository(owner: "octo-org", name: "shop") {
        deployments(environments: ["integration"], first: 30, orderBy: {field: CREATED_AT, direction: DESC}) {
          totalCount nodes { databaseId payload statuses(last: 20) { nodes { state } } } } } }`;
      await graphql(big, query); // warms the schema and the resolvers
      const started = performance.now();
      const body = await graphql(big, query);
      const elapsed = performance.now() - started;
      expect(body.errors).toBeUndefined();
      const { totalCount, nodes } = body.data.repository.deployments;
      expect(totalCount).toBe(10_000);
      expect(nodes.map((node: Json) => node.databaseId)).toEqual(seeded.slice(-30).reverse());
      expect(nodes[0]).toEqual({
        databaseId: seeded.at(-1),
        payload: '{"n":1}',
        statuses: { nodes: [{ state: 'SUCCESS' }] },
      });
      // A scan of every status per deployment takes seconds here; the index answers in milliseconds.
      expect(elapsed).toBeLessThan(1000);
      expect(big.problems).toEqual([]);
    } finally {
      await big.close();
    }
  });
});

describe('Store.statusHistory', () => {
  const status = (id: number, deploymentId: number): DeploymentStatusRecord => ({
    id,
    deploymentId,
    state: 'success',
    creator: 'mona',
    description: '',
    environment: 'qa',
    targetUrl: '',
    logUrl: '',
    environmentUrl: '',
    createdAt: '2024-05-01T12:00:00Z',
    updatedAt: '2024-05-01T12:00:00Z',
  });
  const ids = (statuses: readonly DeploymentStatusRecord[]) => statuses.map((entry) => entry.id);

  it('follows appended, replaced and changed status arrays', () => {
    const store = new Store();
    store.statuses.push(status(1, 10), status(2, 20), status(3, 10));
    expect(ids(store.statusHistory(10))).toEqual([1, 3]);
    expect(ids(store.statusesOf(10))).toEqual([3, 1]);
    store.statuses.push(status(4, 10));
    expect(store.latestStatus(10)?.id).toBe(4);
    expect(ids(store.statusHistory(20))).toEqual([2]);

    store.statuses = store.statuses.filter((entry) => entry.deploymentId !== 10);
    expect(store.statusHistory(10)).toEqual([]);
    expect(store.latestStatus(10)).toBeUndefined();
    expect(ids(store.statusHistory(20))).toEqual([2]);

    // Changed in place to the same length: noticed through the last indexed entry.
    store.statuses.splice(0, 1, status(5, 30));
    expect(ids(store.statusHistory(20))).toEqual([]);
    expect(ids(store.statusHistory(30))).toEqual([5]);
  });
});
