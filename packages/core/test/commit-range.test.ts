import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { UserError } from '../src/errors.js';
import { createGitHubClient, type GitHubClient } from '../src/github/client.js';
import { listCommitsBetween } from '../src/state/commit-range.js';
import type { RepositoryRef } from '../src/state/repository.js';

const COMPARE = 'GET /repos/{owner}/{repo}/compare/{basehead}';
const GET_COMMIT = 'GET /repos/{owner}/{repo}/commits/{ref}';

let emulator: Emulator;
let client: GitHubClient;
let repository: RepositoryRef;
/** The default branch before the 600 commits. */
let base: string;
/** The 600 commits, oldest first. */
let shas: string[];

beforeAll(async () => {
  emulator = await startEmulator();
  client = createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 });
  repository = { owner: emulator.owner, repo: emulator.repo };
  base = emulator.git.head();
  shas = emulator.git.commits(600, {
    message: (index) => `${index % 3 === 0 ? 'feat' : 'fix'}: change ${index + 1}\n\nBody of ${index + 1}.`,
    author: { name: 'Mona Lisa', email: 'mona@example.com', login: 'mona' },
  });
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

describe("the emulator's compare route, as GitHub's", () => {
  it('lists at most 250 commits without paging parameters, and pages through all with them', async () => {
    const unpaged = await client.rest.repos.compareCommitsWithBasehead({
      ...repository,
      basehead: `${base}...main`,
    });
    expect(unpaged.data.total_commits).toBe(600);
    expect(unpaged.data.commits.map((commit) => commit.sha)).toEqual(shas.slice(350));
    expect(unpaged.headers.link).toBeUndefined();

    const paged = await client.rest.repos.compareCommitsWithBasehead({
      ...repository,
      basehead: `${base}...main`,
      per_page: 100,
      page: 2,
    });
    expect(paged.data.commits.map((commit) => commit.sha)).toEqual(shas.slice(100, 200));
    expect(paged.headers.link).toContain('page=3>; rel="next"');
    expect(paged.headers.link).toContain('page=6>; rel="last"');
  });
});

describe('listCommitsBetween (on the emulator)', () => {
  it('lists all 600 commits oldest first with one compare request per 100', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, base, 'main');

    expect(range.total).toBe(600);
    expect(range.truncated).toBe(false);
    expect(range.commits.map((commit) => commit.sha)).toEqual(shas);
    expect(range.commits[0]).toEqual({
      sha: shas[0],
      subject: 'feat: change 1',
      message: 'feat: change 1\n\nBody of 1.',
      authorLogin: 'mona',
      authorName: 'Mona Lisa',
      htmlUrl: expect.stringContaining(`/commit/${shas[0]}`),
      committedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(range.commits[599]?.subject).toBe('fix: change 600');
    expect(emulator.requestCounts()).toEqual({ [COMPARE]: 6 });
    expect(emulator.requests.map((request) => request.query)).toEqual(
      [1, 2, 3, 4, 5, 6].map((page) => ({ per_page: '100', page: String(page) })),
    );
  });

  it('stops at total_commits when the range does not fill the last page', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, shas[349]!, shas[599]!);
    expect(range).toMatchObject({ total: 250, truncated: false });
    expect(range.commits.map((commit) => commit.sha)).toEqual(shas.slice(350));
    expect(emulator.requestCounts()).toEqual({ [COMPARE]: 3 });
  });

  it('makes one request for a range of exactly 100 commits', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, shas[99]!, shas[199]!);
    expect(range.commits.map((commit) => commit.sha)).toEqual(shas.slice(100, 200));
    expect(emulator.requestCounts()).toEqual({ [COMPARE]: 1 });
  });

  it('lists the oldest maxCommits commits and flags the rest as truncated', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, base, 'main', { maxCommits: 150 });
    expect(range).toMatchObject({ total: 600, truncated: true });
    expect(range.commits.map((commit) => commit.sha)).toEqual(shas.slice(0, 150));
    expect(emulator.requestCounts()).toEqual({ [COMPARE]: 2 });
  });

  it('answers an empty range for identical commits with one request', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, shas[10]!, shas[10]!);
    expect(range).toEqual({ commits: [], total: 0, truncated: false });
    expect(emulator.requestCounts()).toEqual({ [COMPARE]: 1 });
  });

  it('lists only the head commit when there is no base', async () => {
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, undefined, shas[599]!);
    expect(range.total).toBe(1);
    expect(range.truncated).toBe(false);
    expect(range.commits.map((commit) => commit.subject)).toEqual(['fix: change 600']);
    expect(emulator.requestCounts()).toEqual({ [GET_COMMIT]: 1 });
  });

  it('leaves out commits reachable from the base when the two diverged', async () => {
    const side = emulator.git.commit('fix: on the side', { branch: 'side' });
    const ahead = emulator.git.commits(2, { branch: 'ahead', message: (index) => `feat: ahead ${index}` });
    emulator.resetLog();
    const range = await listCommitsBetween(client, repository, side, 'ahead');
    expect(range.commits.map((commit) => commit.sha)).toEqual(ahead);
    expect(range.total).toBe(2);
  });

  it('reports an unknown base as a user error', async () => {
    await expect(listCommitsBetween(client, repository, 'no-such-ref', 'main')).rejects.toThrow(UserError);
    await expect(listCommitsBetween(client, repository, 'no-such-ref', 'main')).rejects.toThrow(
      /cannot compare no-such-ref\.\.\.main in octo-org\/shop/,
    );
    await expect(listCommitsBetween(client, repository, undefined, 'no-such-ref')).rejects.toThrow(UserError);
  });

  it('rejects a maxCommits that is not a positive integer', async () => {
    await expect(listCommitsBetween(client, repository, base, 'main', { maxCommits: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
