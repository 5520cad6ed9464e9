import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

describe('git refs', () => {
  it('creates, reads, lists by prefix and deletes a tag ref', async () => {
    const sha = emulator.git.head();
    const created = await api('POST', 'git/refs', { body: { ref: 'refs/tags/env/production', sha } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ref: 'refs/tags/env/production',
      node_id: expect.any(String),
      url: `${emulator.url}/repos/octo-org/shop/git/refs/tags/env/production`,
      object: { type: 'commit', sha, url: `${emulator.url}/repos/octo-org/shop/git/commits/${sha}` },
    });
    expect(emulator.git.run(['rev-parse', 'refs/tags/env/production'])).toBe(sha);
    expect((await api('GET', 'git/ref/tags/env/production')).body).toEqual(created.body);
    expect((await api('GET', 'git/ref/tags%2Fenv%2Fproduction')).body).toEqual(created.body);

    await api('POST', 'git/refs', { body: { ref: 'refs/tags/env/staging', sha } });
    await api('POST', 'git/refs', { body: { ref: 'refs/tags/environment', sha } });
    const matching = await api('GET', 'git/matching-refs/tags/env/');
    expect(matching.body.map((ref: Json) => ref.ref)).toEqual([
      'refs/tags/env/production',
      'refs/tags/env/staging',
    ]);
    expect((await api('GET', 'git/matching-refs/tags/env')).body).toHaveLength(3);
    expect((await api('GET', 'git/matching-refs/tags/nothing')).body).toEqual([]);

    expect((await api('DELETE', 'git/refs/tags/env/staging')).status).toBe(204);
    expect((await api('GET', 'git/ref/tags/env/staging')).status).toBe(404);
    const again = await api('DELETE', 'git/refs/tags/env/staging');
    expect(again.status).toBe(422);
    expect(again.body.message).toBe('Reference does not exist');
  });

  it('refuses an existing ref, a malformed name and an unknown sha', async () => {
    const sha = emulator.git.head();
    await api('POST', 'git/refs', { body: { ref: 'refs/heads/taken', sha } });
    const taken = await api('POST', 'git/refs', { body: { ref: 'refs/heads/taken', sha } });
    expect(taken.status).toBe(422);
    expect(taken.body.message).toBe('Reference already exists');
    expect((await api('POST', 'git/refs', { body: { ref: 'refs/taken', sha } })).status).toBe(422);
    expect((await api('POST', 'git/refs', { body: { ref: 'heads/x/y', sha } })).status).toBe(422);
    const unknown = await api('POST', 'git/refs', { body: { ref: 'refs/heads/ghost', sha: 'f'.repeat(40) } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('Object does not exist');
    expect((await api('GET', 'git/ref/heads/ghost')).status).toBe(404);
  });

  it('PATCH fast-forwards, refuses a non-fast-forward update, and forces it with force: true', async () => {
    const base = emulator.git.head();
    await api('POST', 'git/refs', { body: { ref: 'refs/heads/release', sha: base } });
    const ahead = emulator.git.commit('ahead');
    const forward = await api('PATCH', 'git/refs/heads/release', { body: { sha: ahead } });
    expect(forward.status).toBe(200);
    expect(forward.body.object.sha).toBe(ahead);

    const backward = await api('PATCH', 'git/refs/heads/release', { body: { sha: base, force: false } });
    expect(backward.status).toBe(422);
    expect(backward.body.message).toBe('Update is not a fast forward');
    expect(emulator.git.run(['rev-parse', 'refs/heads/release'])).toBe(ahead);

    const forced = await api('PATCH', 'git/refs/heads/release', { body: { sha: base, force: true } });
    expect(forced.status).toBe(200);
    expect(emulator.git.run(['rev-parse', 'refs/heads/release'])).toBe(base);

    const missing = await api('PATCH', 'git/refs/heads/missing', { body: { sha: base } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe('Reference does not exist');
  });
});

describe('annotated tags', () => {
  it('creates a tag object with git mktag, reads it back, and a ref can point at it', async () => {
    const sha = emulator.git.head();
    const tagger = { name: 'Release Bot', email: 'bot@example.com', date: '2024-05-01T12:00:00Z' };
    const created = await api('POST', 'git/tags', {
      body: { tag: 'v1.0.0', message: 'Release 1.0.0', object: sha, type: 'commit', tagger },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tag: 'v1.0.0',
      message: 'Release 1.0.0',
      tagger,
      object: { sha, type: 'commit' },
    });
    expect(emulator.git.run(['cat-file', '-t', created.body.sha])).toBe('tag');
    expect((await api('GET', `git/tags/${created.body.sha}`)).body).toEqual(created.body);

    const ref = await api('POST', 'git/refs', { body: { ref: 'refs/tags/v1.0.0', sha: created.body.sha } });
    expect(ref.body.object).toMatchObject({ type: 'tag', sha: created.body.sha });
    expect(ref.body.object.url).toBe(`${emulator.url}/repos/octo-org/shop/git/tags/${created.body.sha}`);
    expect(emulator.git.run(['rev-parse', 'v1.0.0^{commit}'])).toBe(sha);
  });

  it('answers 404 for an unknown tag and 422 for an unknown object', async () => {
    expect((await api('GET', `git/tags/${'a'.repeat(40)}`)).status).toBe(404);
    const response = await api('POST', 'git/tags', {
      body: { tag: 'bad', message: 'm', object: 'b'.repeat(40), type: 'commit' },
    });
    expect(response.status).toBe(422);
  });
});

describe('commits', () => {
  it('serves a commit with author login mapped from its email', async () => {
    emulator.seed.user('octocat', 'octocat@example.com');
    const sha = emulator.git.commit('Add feature\n\nLonger description', {
      author: { name: 'Mona', email: 'octocat@example.com' },
      files: { 'src/feature.ts': 'export {};\n' },
    });
    const parent = emulator.git.run(['rev-parse', `${sha}^`]);
    const response = await api('GET', `commits/${sha}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      sha,
      html_url: `https://github.com/octo-org/shop/commit/${sha}`,
      commit: {
        message: 'Add feature\n\nLonger description',
        author: { name: 'Mona', email: 'octocat@example.com', date: expect.stringMatching(/Z$/) },
      },
      author: { login: 'octocat' },
      parents: [{ sha: parent }],
      files: [],
    });
    const unknownAuthor = await api('GET', `commits/${parent}`);
    expect(unknownAuthor.body.author).toBeNull();
    const byBranch = await api('GET', 'commits/main');
    expect(byBranch.body.sha).toBe(sha);
    const shaOnly = await api('GET', 'commits/main', { headers: { accept: 'application/vnd.github.sha' } });
    expect(shaOnly.body).toBe(sha);
  });

  it('answers 422 for an unknown ref', async () => {
    const response = await api('GET', 'commits/no-such-ref');
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('No commit found for SHA: no-such-ref');
  });

  it('lists commits from a sha, newest first, paginated', async () => {
    const shas = emulator.git.commits(5, { branch: 'listing' });
    const response = await api('GET', 'commits?sha=listing&per_page=2');
    expect(response.body.map((commit: Json) => commit.sha)).toEqual([shas[4], shas[3]]);
    expect(response.headers.get('link')).toContain('rel="next"');
    const second = await api('GET', 'commits?sha=listing&per_page=2&page=2');
    expect(second.body.map((commit: Json) => commit.sha)).toEqual([shas[2], shas[1]]);
    expect((await api('GET', 'commits?sha=nothing-here')).status).toBe(404);
  });
});

describe('compare', () => {
  it('reports ahead, behind, identical and diverged', async () => {
    const base = emulator.git.commit('compare base');
    emulator.git.run(['branch', 'compare-base', base]);
    const ahead = emulator.git.commits(3, { branch: 'compare-head' });
    const forward = await api('GET', 'compare/compare-base...compare-head');
    expect(forward.body).toMatchObject({
      status: 'ahead',
      ahead_by: 3,
      behind_by: 0,
      total_commits: 3,
      merge_base_commit: { sha: base },
      base_commit: { sha: base },
    });
    expect(forward.body.commits.map((commit: Json) => commit.sha)).toEqual(ahead);
    expect((await api('GET', 'compare/compare-head...compare-base')).body).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 3,
      total_commits: 0,
      commits: [],
    });
    expect((await api('GET', `compare/${base}...compare-base`)).body.status).toBe('identical');
    emulator.git.commit('other side', { branch: 'compare-base' });
    expect((await api('GET', 'compare/compare-base...compare-head')).body).toMatchObject({
      status: 'diverged',
      ahead_by: 3,
      behind_by: 1,
    });
  });

  it('answers 404 for unknown refs', async () => {
    expect((await api('GET', 'compare/main...nope')).status).toBe(404);
    expect((await api('GET', 'compare/main')).status).toBe(404);
  });

  it('caps commits at the 250 most recent, oldest first, and counts them all in total_commits', async () => {
    const base = emulator.git.head();
    const shas = emulator.git.commits(260);
    const response = await api('GET', `compare/${base}...main`);
    expect(response.body.total_commits).toBe(260);
    expect(response.body.ahead_by).toBe(260);
    expect(response.body.commits).toHaveLength(250);
    expect(response.body.commits.map((commit: Json) => commit.sha)).toEqual(shas.slice(10));

    const paged = await api('GET', `compare/${base}...main?per_page=100&page=3`);
    expect(paged.body.commits.map((commit: Json) => commit.sha)).toEqual(shas.slice(200, 260));
    expect(paged.headers.get('link')).toContain('rel="prev"');
  });
});

describe('validation', () => {
  it('found no problem in any answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});
