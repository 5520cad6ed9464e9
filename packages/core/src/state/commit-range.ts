/**
 * Every commit between two releases, however many. GitHub's compare API lists at most 250 commits when asked
 * without paging parameters; with `per_page` and `page` it pages through the whole range, oldest first. This module
 * always pages, 100 commits per request, and stops at the `total_commits` the first answer reports.
 */
import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import { resolveCommit, toCommitInfo, type CommitInfo } from './commits.js';
import type { RepositoryRef } from './repository.js';
import { hasHttpStatus } from '../github/http-status.js';

/** Commits per compare request: the most GitHub returns on one page. */
export const COMMITS_PER_PAGE = 100;

/** Default of {@link CommitRangeOptions.maxCommits}: 50 requests at most. */
export const DEFAULT_MAX_COMMITS = 5000;

/** Options of {@link listCommitsBetween}. */
export interface CommitRangeOptions {
  /** List at most this many commits (the oldest ones); `truncated` tells when the range holds more. Default 5000. */
  maxCommits?: number;
}

/** The commits of a range, oldest first. */
export interface ListedCommits {
  commits: CommitInfo[];
  /** Commits in the range in all (GitHub's `total_commits`); more than `commits.length` when `truncated`. */
  total: number;
  /** The range holds more than `maxCommits` commits and only the oldest `maxCommits` are listed. */
  truncated: boolean;
}

type CompareCommit = Parameters<typeof toCommitInfo>[0];

/**
 * Lists the commits from `base` (exclusive) to `head` (inclusive), oldest first, for a range of any length:
 * one compare request (`per_page=100`) per 100 commits, up to `maxCommits`. With `base` undefined (a first
 * release) the range is the head commit alone, read with one `GET /commits/{ref}`.
 *
 * Commits reachable from `base` are left out even when the two diverged, as `git log base..head` does.
 * Throws a {@link UserError} when GitHub cannot compare the two (a ref is unknown or they share no history).
 */
export async function listCommitsBetween(
  client: GitHubClient,
  repository: RepositoryRef,
  base: string | undefined,
  head: string,
  options: CommitRangeOptions = {},
): Promise<ListedCommits> {
  const maxCommits = options.maxCommits ?? DEFAULT_MAX_COMMITS;
  if (!Number.isInteger(maxCommits) || maxCommits < 1) {
    throw new RangeError(`maxCommits must be a positive integer, not ${maxCommits}.`);
  }
  if (base === undefined) {
    const commit = await resolveCommit(client, repository, head);
    return { commits: [commit], total: 1, truncated: false };
  }

  const commits: CommitInfo[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const data = await comparePage(client, repository, base, head, page);
    total = data.total_commits;
    for (const commit of data.commits) commits.push(toCommitInfo(commit as CompareCommit));
    const wanted = Math.min(total, maxCommits);
    // An empty or short page ends the range early when history moved between two requests.
    if (commits.length >= wanted || data.commits.length < COMMITS_PER_PAGE) break;
  }
  const listed = commits.slice(0, maxCommits);
  return { commits: listed, total, truncated: total > listed.length };
}

async function comparePage(
  client: GitHubClient,
  repository: RepositoryRef,
  base: string,
  head: string,
  page: number,
) {
  try {
    const response = await client.rest.repos.compareCommitsWithBasehead({
      ...repository,
      basehead: `${base}...${head}`,
      per_page: COMMITS_PER_PAGE,
      page,
    });
    return response.data;
  } catch (error) {
    if (hasHttpStatus(error, 404, 422)) {
      throw new UserError(
        `GitHub cannot compare ${base}...${head} in ${repository.owner}/${repository.repo}: one of them is not a ` +
          `commit there, or they share no history (was the branch force-pushed?). ` +
          `Check that both commits exist in the repository.`,
        { cause: error },
      );
    }
    throw error;
  }
}
