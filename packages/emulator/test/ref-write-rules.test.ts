/**
 * GitHub's rules on ref writes, behind options of `startEmulator`: the `workflows` permission rule (REST 403 with
 * `x-accepted-github-permissions`, GraphQL FORBIDDEN) and tag rulesets (REST 422 "Repository rule violations
 * found", GraphQL UNPROCESSABLE). Every answer is checked against the OpenAPI description.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { matchesRefPattern } from '../src/ref-write-rules.js';
import { REPOSITORY_NODE_ID } from '../src/routes/repository.js';
import type { Json } from './helpers.js';

const ZERO = '0'.repeat(40);
const GRANTED = 'ghs_appTokenWithWorkflows';
const PLAIN = 'ghs_plainGithubToken';
const WORKFLOW_V1 = 'on: push\njobs: {}\n';
const WORKFLOW_V2 = 'on: [push, pull_request]\njobs: {}\n';
const REFUSED_CI =
  'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission';

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** One REST or GraphQL call with the given token. */
async function call(
  emulator: Emulator,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  const url = path.startsWith('/')
    ? `${emulator.url}${path}`
    : `${emulator.url}/repos/${emulator.fullName}/${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `token ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const UPDATE_REFS = `mutation MoveRefs($input: UpdateRefsInput!) {
  updateRefs(input: $input) {
    clientMutationId
  }
}`;

function updateRefs(emulator: Emulator, token: string, refUpdates: object[]): Promise<Answer> {
  return call(emulator, 'POST', '/graphql', token, {
    query: UPDATE_REFS,
    variables: { input: { repositoryId: REPOSITORY_NODE_ID, refUpdates } },
  });
}

function revParse(emulator: Emulator, ref: string): string | undefined {
  try {
    return emulator.git.run(['rev-parse', '--verify', '--quiet', ref]);
  } catch {
    return undefined;
  }
}

/** Commits with the workflow as on main before its last change (`old`), after it (`head`), and with none. */
interface WorkflowHistory {
  emulator: Emulator;
  old: string;
  head: string;
  noWorkflows: string;
}

async function workflowHistory(): Promise<WorkflowHistory> {
  const emulator = await startEmulator({ workflowsRule: { tokensWithWorkflowsPermission: [GRANTED] } });
  const noWorkflows = emulator.git.head();
  const old = emulator.git.commit('ci: add the workflow', {
    files: { '.github/workflows/ci.yml': WORKFLOW_V1 },
  });
  emulator.git.commit('feat: something else');
  const head = emulator.git.commit('ci: run on pull requests', {
    files: { '.github/workflows/ci.yml': WORKFLOW_V2 },
  });
  return { emulator, old, head, noWorkflows };
}

describe('the workflows rule, creating refs', () => {
  let emulator: Emulator;
  let old: string;
  let head: string;
  let noWorkflows: string;

  beforeAll(async () => {
    ({ emulator, old, head, noWorkflows } = await workflowHistory());
  });
  afterAll(async () => {
    expect(emulator.problems).toEqual([]);
    await emulator.close();
  });

  it('refuses POST /git/refs at a commit whose workflows differ from every branch head, as GitHub does', async () => {
    const refused = await call(emulator, 'POST', 'git/refs', PLAIN, {
      ref: 'refs/tags/env/production',
      sha: old,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      message: REFUSED_CI,
      documentation_url: expect.stringContaining('docs.github.com'),
      status: '403',
    });
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('contents=write,workflows=write');
    expect(revParse(emulator, 'refs/tags/env/production')).toBeUndefined();

    const noDirectory = await call(emulator, 'POST', 'git/refs', PLAIN, {
      ref: 'refs/tags/first',
      sha: noWorkflows,
    });
    expect([noDirectory.status, noDirectory.body.message]).toEqual([403, REFUSED_CI]);
  });

  it('allows the write with a token granted the workflows permission, or at a commit like a branch head', async () => {
    const granted = await call(emulator, 'POST', 'git/refs', GRANTED, {
      ref: 'refs/tags/env/granted',
      sha: old,
    });
    expect(granted.status).toBe(201);
    expect(revParse(emulator, 'refs/tags/env/granted')).toBe(old);

    const atHead = await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/tags/env/head', sha: head });
    expect(atHead.status).toBe(201);

    // Equal to the tree of any one branch head is enough: a release branch still on the old workflow.
    emulator.git.run(['update-ref', 'refs/heads/release-1', old]);
    const likeBranch = await call(emulator, 'POST', 'git/refs', PLAIN, {
      ref: 'refs/tags/env/old',
      sha: old,
    });
    expect(likeBranch.status).toBe(201);
    emulator.git.run(['update-ref', '-d', 'refs/heads/release-1']);
  });

  it('follows an annotated tag to its commit', async () => {
    const tagObject = await call(emulator, 'POST', 'git/tags', PLAIN, {
      tag: 'v1.0.0',
      message: 'Release 1.0.0',
      object: old,
      type: 'commit',
    });
    expect(tagObject.status).toBe(201);
    const refused = await call(emulator, 'POST', 'git/refs', PLAIN, {
      ref: 'refs/tags/v1.0.0',
      sha: tagObject.body.sha,
    });
    expect([refused.status, refused.body.message]).toEqual([403, REFUSED_CI]);
    expect(revParse(emulator, 'refs/tags/v1.0.0')).toBeUndefined();
  });
});

describe('the workflows rule, moving refs', () => {
  let emulator: Emulator;
  let old: string;
  let head: string;

  beforeAll(async () => {
    ({ emulator, old, head } = await workflowHistory());
  });
  afterAll(() => emulator.close());

  it('refuses PATCH /git/refs/{ref} moving a ref there, and allows a deletion', async () => {
    await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/tags/env/staging', sha: head });
    const refused = await call(emulator, 'PATCH', 'git/refs/tags/env/staging', PLAIN, {
      sha: old,
      force: true,
    });
    expect([refused.status, refused.body.message]).toEqual([403, REFUSED_CI]);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('contents=write,workflows=write');
    expect(revParse(emulator, 'refs/tags/env/staging')).toBe(head);

    const granted = await call(emulator, 'PATCH', 'git/refs/tags/env/staging', GRANTED, {
      sha: old,
      force: true,
    });
    expect(granted.status).toBe(200);
    expect((await call(emulator, 'DELETE', 'git/refs/tags/env/staging', PLAIN)).status).toBe(204);
  });

  it('answers GraphQL updateRefs with a FORBIDDEN error and changes no ref', async () => {
    await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/tags/env/integration', sha: head });
    const refused = await updateRefs(emulator, PLAIN, [
      { name: 'refs/tags/env/integration', beforeOid: head, afterOid: old, force: true },
    ]);
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({
      data: { updateRefs: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['updateRefs'],
          locations: [{ line: 2, column: 3 }],
          message: REFUSED_CI,
        },
      ],
    });
    expect(revParse(emulator, 'refs/tags/env/integration')).toBe(head);

    const created = await updateRefs(emulator, PLAIN, [
      { name: 'refs/tags/env/new', beforeOid: ZERO, afterOid: old },
    ]);
    expect(created.body.errors[0].type).toBe('FORBIDDEN');
    expect(revParse(emulator, 'refs/tags/env/new')).toBeUndefined();

    const granted = await updateRefs(emulator, GRANTED, [
      { name: 'refs/tags/env/integration', beforeOid: head, afterOid: old, force: true },
    ]);
    expect(granted.body).toEqual({ data: { updateRefs: { clientMutationId: null } } });
    expect(revParse(emulator, 'refs/tags/env/integration')).toBe(old);
  });

  it('found no OpenAPI or GraphQL mismatch in any request or answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});

describe('without the option', () => {
  it('lets any token point a tag at any commit', async () => {
    const emulator = await startEmulator();
    const old = emulator.git.commit('ci: add', { files: { '.github/workflows/ci.yml': WORKFLOW_V1 } });
    emulator.git.commit('ci: change', { files: { '.github/workflows/ci.yml': WORKFLOW_V2 } });
    const created = await call(emulator, 'POST', 'git/refs', PLAIN, {
      ref: 'refs/tags/env/production',
      sha: old,
    });
    expect(created.status).toBe(201);
    expect(emulator.problems).toEqual([]);
    await emulator.close();
  });
});

describe('tag rulesets', () => {
  let emulator: Emulator;
  let sha: string;

  beforeAll(async () => {
    emulator = await startEmulator({ tagRulesets: ['env/*'] });
    sha = emulator.git.head();
    emulator.git.run(['update-ref', 'refs/tags/env/production', sha]);
  });
  afterAll(() => emulator.close());

  it('refuses REST creations, updates and deletions of matching tags with 422 "Repository rule violations found"', async () => {
    const created = await call(emulator, 'POST', 'git/refs', GRANTED, { ref: 'refs/tags/env/staging', sha });
    expect(created.status).toBe(422);
    expect(created.body).toEqual({
      message: 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n',
      documentation_url: expect.stringContaining('docs.github.com'),
      status: '422',
    });
    expect(revParse(emulator, 'refs/tags/env/staging')).toBeUndefined();

    const updated = await call(emulator, 'PATCH', 'git/refs/tags/env/production', GRANTED, {
      sha,
      force: true,
    });
    expect([updated.status, updated.body.message]).toEqual([
      422,
      'Repository rule violations found\n\nCannot update this protected ref.\n\n',
    ]);
    const deleted = await call(emulator, 'DELETE', 'git/refs/tags/env/production', GRANTED);
    expect([deleted.status, deleted.body.message]).toEqual([
      422,
      'Repository rule violations found\n\nCannot delete this protected ref.\n\n',
    ]);
    expect(revParse(emulator, 'refs/tags/env/production')).toBe(sha);
  });

  it('answers GraphQL updateRefs with an UNPROCESSABLE error naming the rule violation', async () => {
    const next = emulator.git.commit('feat: next');
    const refused = await updateRefs(emulator, GRANTED, [
      { name: 'refs/tags/env/production', beforeOid: sha, afterOid: next, force: true },
    ]);
    expect(refused.body.data).toEqual({ updateRefs: null });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        type: 'UNPROCESSABLE',
        message: 'Repository rule violations found\n\nCannot update this protected ref.\n\n',
      }),
    ]);
    expect(revParse(emulator, 'refs/tags/env/production')).toBe(sha);
  });

  it('leaves tags the patterns do not match alone', async () => {
    expect((await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/tags/v1.0.0', sha })).status).toBe(
      201,
    );
    expect((await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/tags/env/a/b', sha })).status).toBe(
      201,
    );
    expect((await call(emulator, 'POST', 'git/refs', PLAIN, { ref: 'refs/heads/env/x', sha })).status).toBe(
      201,
    );
    expect(emulator.problems).toEqual([]);
  });
});

describe('ruleset patterns', () => {
  it.each([
    ['env/*', 'env/production', true],
    ['env/*', 'env/a/b', false],
    ['env/**', 'env/a/b', true],
    ['v*', 'v1.2.3', true],
    ['v*', 'env/v1', false],
    ['env/prod.*', 'env/prodx1', false],
  ])('%s matches %s: %s', (pattern, name, matches) => {
    expect(matchesRefPattern(pattern, name)).toBe(matches);
  });
});
