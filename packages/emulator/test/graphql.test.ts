import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GitRepository } from '../src/git-repository.js';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient, type Json } from './helpers.js';

const ZERO = '0'.repeat(40);
const UPDATE_REFS = `mutation MoveRefs($input: UpdateRefsInput!) {
  updateRefs(input: $input) { clientMutationId }
}`;
const READ_REF = `query ReadRef($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      id
      name
      prefix
      target { __typename oid ... on Tag { name message target { __typename oid } } }
    }
  }
}`;

interface RefUpdate {
  name: string;
  afterOid: string;
  beforeOid?: string;
  force?: boolean;
}

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;
let repositoryId: string;
let commits: string[];

/** Posts a GraphQL request and returns the HTTP status and decoded body. */
async function graphql(
  target: Emulator,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(target.graphqlUrl, {
    method: 'POST',
    headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

const query = (text: string, variables?: Record<string, unknown>) => graphql(emulator, text, variables);
const updateRefs = (refUpdates: RefUpdate[], id = repositoryId) =>
  query(UPDATE_REFS, { input: { repositoryId: id, refUpdates, clientMutationId: 'test' } });
const readRef = async (ref: string) =>
  (await query(READ_REF, { owner: 'octo-org', name: 'shop', ref })).body.data.repository.ref;
const revParse = (ref: string) =>
  emulator.git.run(['for-each-ref', '--format=%(objectname)', ref]) || undefined;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
  commits = emulator.git.commits(6);
  const response = await query('{ repository(owner: "octo-org", name: "shop") { id nameWithOwner } }');
  repositoryId = response.body.data.repository.id;
});
afterAll(() => emulator.close());
afterEach(() => emulator.faults.clear());

describe('queries', () => {
  it('answers the repository id REST reports as node_id', async () => {
    const rest = await api('GET', `/repos/${emulator.fullName}`);
    expect(repositoryId).toBe(rest.body.node_id);
    const response = await query('{ repository(owner: "OCTO-ORG", name: "shop") { id nameWithOwner } }');
    expect(response).toEqual({
      status: 200,
      body: { data: { repository: { id: rest.body.node_id, nameWithOwner: 'octo-org/shop' } } },
    });
  });

  it('answers NOT_FOUND for another repository', async () => {
    const response = await query('{ repository(owner: "octo-org", name: "other") { id } }');
    expect(response.body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 3 }],
          message: "Could not resolve to a Repository with the name 'octo-org/other'.",
        },
      ],
    });
  });

  it('reads a lightweight tag, an annotated tag, a branch and a missing ref', async () => {
    const [first, second] = commits;
    emulator.git.run(['tag', 'v1.0.0', first as string]);
    emulator.git.run(['tag', '-a', 'v2.0.0', '-m', 'Release 2', second as string]);
    const tagObject = emulator.git.run(['rev-parse', 'refs/tags/v2.0.0']);
    expect(tagObject).not.toBe(second);

    const lightweight = await readRef('refs/tags/v1.0.0');
    const restRef = await api('GET', 'git/ref/tags/v1.0.0');
    expect(lightweight).toEqual({
      id: restRef.body.node_id,
      name: 'v1.0.0',
      prefix: 'refs/tags/',
      target: { __typename: 'Commit', oid: first },
    });
    expect(await readRef('refs/tags/v2.0.0')).toEqual({
      id: expect.any(String),
      name: 'v2.0.0',
      prefix: 'refs/tags/',
      target: {
        __typename: 'Tag',
        oid: tagObject,
        name: 'v2.0.0',
        message: 'Release 2',
        target: { __typename: 'Commit', oid: second },
      },
    });
    expect(await readRef('main')).toMatchObject({
      name: 'main',
      prefix: 'refs/heads/',
      target: { __typename: 'Commit', oid: emulator.git.head() },
    });
    const missing = await query(READ_REF, { owner: 'octo-org', name: 'shop', ref: 'refs/tags/missing' });
    expect(missing.body).toEqual({ data: { repository: { ref: null } } });
  });

  it('lists refs under a prefix with names relative to it, paginated and ordered', async () => {
    const [a, b, c] = commits;
    emulator.git.run(['update-ref', 'refs/tags/env/integration', a as string]);
    emulator.git.run(['update-ref', 'refs/tags/env/production', c as string]);
    emulator.git.run(['update-ref', 'refs/tags/env/preproduction', b as string]);
    emulator.git.run(['update-ref', 'refs/tags/environment', a as string]);
    const LIST = `query List($after: String, $direction: OrderDirection!) {
      repository(owner: "octo-org", name: "shop") {
        refs(refPrefix: "refs/tags/env/", first: 2, after: $after, orderBy: {field: ALPHABETICAL, direction: $direction}) {
          totalCount
          nodes { name prefix target { oid } }
          edges { cursor }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    const page1 = (await query(LIST, { direction: 'ASC' })).body.data.repository.refs;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes).toEqual([
      { name: 'integration', prefix: 'refs/tags/env/', target: { oid: a } },
      { name: 'preproduction', prefix: 'refs/tags/env/', target: { oid: b } },
    ]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });
    const page2 = (await query(LIST, { direction: 'ASC', after: page1.pageInfo.endCursor })).body.data
      .repository.refs;
    expect(page2.nodes).toEqual([{ name: 'production', prefix: 'refs/tags/env/', target: { oid: c } }]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const descending = (await query(LIST, { direction: 'DESC' })).body.data.repository.refs;
    expect(descending.nodes.map((node: Json) => node.name)).toEqual(['production', 'preproduction']);

    const unbounded = await query(
      '{ repository(owner: "octo-org", name: "shop") { refs(refPrefix: "refs/tags/") { totalCount } } }',
    );
    expect(unbounded.body.data).toEqual({ repository: { refs: null } });
    expect(unbounded.body.errors[0]).toMatchObject({
      type: 'MISSING_PAGINATION_BOUNDARIES',
      path: ['repository', 'refs'],
    });
  });
});

describe('updateRefs', () => {
  it('creates a ref when beforeOid is all zeros', async () => {
    const response = await updateRefs([
      { name: 'refs/tags/env/staging', afterOid: commits[0] as string, beforeOid: ZERO },
    ]);
    expect(response).toEqual({ status: 200, body: { data: { updateRefs: { clientMutationId: 'test' } } } });
    expect(revParse('refs/tags/env/staging')).toBe(commits[0]);
  });

  it('moves a ref whose beforeOid matches', async () => {
    const response = await updateRefs([
      { name: 'refs/tags/env/staging', beforeOid: commits[0] as string, afterOid: commits[1] as string },
    ]);
    expect(response.body).toEqual({ data: { updateRefs: { clientMutationId: 'test' } } });
    expect(revParse('refs/tags/env/staging')).toBe(commits[1]);
  });

  it('refuses a stale beforeOid with an UNPROCESSABLE error and leaves the ref alone', async () => {
    const [stale, current, next] = commits;
    const response = await updateRefs([
      { name: 'refs/tags/env/staging', beforeOid: stale as string, afterOid: next as string },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { updateRefs: null },
      errors: [
        {
          type: 'UNPROCESSABLE',
          path: ['updateRefs'],
          locations: [{ line: 2, column: 3 }],
          message:
            `Reference refs/tags/env/staging was not at expected object ${stale} (beforeOid); ` +
            `it is at ${current}. No ref was updated.`,
        },
      ],
    });
    expect(revParse('refs/tags/env/staging')).toBe(current);
    const created = await updateRefs([
      { name: 'refs/tags/env/staging', beforeOid: ZERO, afterOid: next as string },
    ]);
    expect(created.body.errors[0].message).toMatch(/refs\/tags\/env\/staging already exists at/);
  });

  it('applies all updates or none', async () => {
    const [first, second] = commits;
    const response = await updateRefs([
      { name: 'refs/tags/atomic/one', beforeOid: ZERO, afterOid: first as string },
      { name: 'refs/tags/env/staging', beforeOid: first as string, afterOid: second as string },
    ]);
    expect(response.body.data).toEqual({ updateRefs: null });
    expect(response.body.errors[0].message).toMatch(/refs\/tags\/env\/staging was not at expected object/);
    expect(revParse('refs/tags/atomic/one')).toBeUndefined();

    const missingObject = await updateRefs([
      { name: 'refs/tags/atomic/one', beforeOid: ZERO, afterOid: first as string },
      { name: 'refs/tags/atomic/two', afterOid: 'f'.repeat(40) },
    ]);
    expect(missingObject.body.errors[0].message).toMatch(
      /Object f{40} \(afterOid of refs\/tags\/atomic\/two\) does not exist/,
    );
    expect(revParse('refs/tags/atomic/one')).toBeUndefined();

    const both = await updateRefs([
      { name: 'refs/tags/atomic/one', beforeOid: ZERO, afterOid: first as string },
      { name: 'refs/tags/atomic/two', beforeOid: ZERO, afterOid: second as string },
    ]);
    expect(both.body.errors).toBeUndefined();
    expect([revParse('refs/tags/atomic/one'), revParse('refs/tags/atomic/two')]).toEqual([first, second]);
  });

  it('deletes a ref when afterOid is all zeros', async () => {
    const response = await updateRefs([
      { name: 'refs/tags/atomic/two', beforeOid: commits[1] as string, afterOid: ZERO },
    ]);
    expect(response.body.errors).toBeUndefined();
    expect(revParse('refs/tags/atomic/two')).toBeUndefined();
    const again = await updateRefs([{ name: 'refs/tags/atomic/two', afterOid: ZERO }]);
    expect(again.body.errors[0].message).toMatch(/does not exist, so it cannot be deleted/);
  });

  it('refuses a non-fast-forward move without force and allows it with force', async () => {
    const [older, newer] = commits;
    await updateRefs([{ name: 'refs/heads/release', beforeOid: ZERO, afterOid: newer as string }]);
    const backwards = { name: 'refs/heads/release', beforeOid: newer as string, afterOid: older as string };
    const refused = await updateRefs([backwards]);
    expect(refused.body.errors[0]).toMatchObject({ type: 'UNPROCESSABLE', path: ['updateRefs'] });
    expect(refused.body.errors[0].message).toMatch(/not a fast-forward.*force: true/);
    expect(revParse('refs/heads/release')).toBe(newer);
    const forced = await updateRefs([{ ...backwards, force: true }]);
    expect(forced.body.errors).toBeUndefined();
    expect(revParse('refs/heads/release')).toBe(older);
  });

  it('answers NOT_FOUND for an unknown repositoryId', async () => {
    const response = await updateRefs([{ name: 'refs/tags/x', afterOid: commits[0] as string }], 'R_unknown');
    expect(response.body).toMatchObject({
      data: { updateRefs: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['updateRefs'],
          message: "Could not resolve to a node with the global id of 'R_unknown'",
        },
      ],
    });
    expect(revParse('refs/tags/x')).toBeUndefined();
  });

  it('lets exactly one of two concurrent swaps from the same beforeOid win, 20 times', async () => {
    const candidates = emulator.git.commits(40);
    const base = commits[0] as string;
    for (let round = 0; round < 20; round++) {
      emulator.git.run(['update-ref', 'refs/tags/env/race', base]);
      const mine = candidates[2 * round] as string;
      const theirs = candidates[2 * round + 1] as string;
      const swap = (afterOid: string) =>
        updateRefs([{ name: 'refs/tags/env/race', beforeOid: base, afterOid, force: true }]);
      const [a, b] = await Promise.all([swap(mine), swap(theirs)]);
      const winners = [a, b].filter((response) => response.body.errors === undefined);
      expect(winners).toHaveLength(1);
      const loser = winners[0] === a ? b : a;
      expect(loser.body.errors[0].message).toMatch(/was not at expected object/);
      expect(revParse('refs/tags/env/race')).toBe(winners[0] === a ? mine : theirs);
    }
  });
});

describe('GitRepository.updateRefsAtomically', () => {
  it('applies no step when git finds one ref not at its old value', () => {
    const git = GitRepository.open(emulator.git.directory, 'main');
    const [first, second] = commits as [string, string];
    emulator.git.run(['update-ref', 'refs/tags/txn/b', first]);
    const failure = git.updateRefsAtomically([
      { name: 'refs/tags/txn/a', newSha: first, oldSha: undefined },
      { name: 'refs/tags/txn/b', newSha: second, oldSha: second },
    ]);
    expect(failure).toMatch(/refs\/tags\/txn\/b/);
    expect([revParse('refs/tags/txn/a'), revParse('refs/tags/txn/b')]).toEqual([undefined, first]);
    expect(
      git.updateRefsAtomically([
        { name: 'refs/tags/txn/a', newSha: first, oldSha: undefined },
        { name: 'refs/tags/txn/b', newSha: undefined, oldSha: first },
      ]),
    ).toBeUndefined();
    expect([revParse('refs/tags/txn/a'), revParse('refs/tags/txn/b')]).toEqual([first, undefined]);
  });
});

describe('request log and faults', () => {
  it('records the operation and counts only mutations as writes', async () => {
    emulator.resetLog();
    await readRef('main');
    await updateRefs([{ name: 'refs/tags/logged', beforeOid: ZERO, afterOid: commits[0] as string }]);
    await query('{ repository(owner: "octo-org", name: "shop") { id } }');
    expect(emulator.requests.map((request) => [request.route, request.graphqlOperation])).toEqual([
      ['/graphql', 'query ReadRef'],
      ['/graphql', 'mutation MoveRefs'],
      ['/graphql', 'query'],
    ]);
    expect(emulator.writeRequests().map((request) => request.graphqlOperation)).toEqual([
      'mutation MoveRefs',
    ]);
    expect(emulator.requestCounts()).toEqual({ 'POST /graphql': 3 });
  });

  it('applies fault rules on POST /graphql, before or after handling', async () => {
    emulator.resetLog();
    emulator.faults.add({ route: 'POST /graphql', status: 502 });
    const refused = await query(READ_REF, { owner: 'octo-org', name: 'shop', ref: 'main' });
    expect(refused.status).toBe(502);
    expect(emulator.requests.at(-1)).toMatchObject({
      status: 502,
      fault: 'status 502',
      graphqlOperation: 'query ReadRef',
    });
    expect(emulator.writeRequests()).toEqual([]);

    emulator.faults.add({ route: 'POST /graphql', afterHandling: true });
    const lost = await updateRefs([
      { name: 'refs/tags/after-fault', beforeOid: ZERO, afterOid: commits[0] as string },
    ]);
    expect(lost.status).toBe(502);
    expect(revParse('refs/tags/after-fault')).toBe(commits[0]);
    expect(emulator.writeRequests()).toHaveLength(1);
  });

  it('found no problem in any request or answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});

describe('requests GitHub would refuse', () => {
  let other: Emulator;
  beforeAll(async () => {
    other = await startEmulator();
  });
  afterAll(() => other.close());

  it('answers an invalid document like GitHub and records a graphql problem', async () => {
    const response = await graphql(other, '{ repository(owner: "octo-org", name: "shop") { nope } }');
    expect(response).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: 'Cannot query field "nope" on type "Repository". Did you mean "name"?',
            locations: [{ line: 1, column: 49 }],
          },
        ],
      },
    });
    expect(other.problems).toEqual([
      {
        kind: 'graphql',
        method: 'POST',
        route: '/graphql',
        path: '/graphql',
        messages: [
          'Cannot query field "nope" on type "Repository". Did you mean "name"? (line 1, column 49)',
        ],
      },
    ]);
  });

  it('records missing variables and syntax errors as problems', async () => {
    const before = other.problems.length;
    const missing = await graphql(other, UPDATE_REFS);
    expect(missing.body.errors[0].message).toMatch(
      /Variable "\$input" of required type "UpdateRefsInput!" was not provided/,
    );
    expect(missing.body.data).toBeUndefined();
    const broken = await graphql(other, '{ repository(');
    expect(broken.body.errors[0].message).toMatch(/^Syntax Error/);
    expect(other.problems.slice(before).map((problem) => problem.kind)).toEqual(['graphql', 'graphql']);
  });

  it('refuses a valid field it does not serve, naming it', async () => {
    const response = await graphql(other, '{ viewer { login } }');
    expect(response.body).toEqual({
      errors: [
        {
          type: 'NOT_SERVED_BY_EMULATOR',
          locations: [{ line: 1, column: 3 }],
          message: expect.stringMatching(/^The emulator does not serve field Query\.viewer /),
        },
      ],
    });
    expect(other.problems.at(-1)).toMatchObject({
      kind: 'graphql',
      messages: [expect.stringMatching(/Query\.viewer/)],
    });
  });
});
