import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { hasHttpStatus } from '../github/http-status.js';

/** A commit as summaries and release notes show it. */
export interface CommitInfo {
  sha: string;
  /** First line of the message (untrusted text). */
  subject: string;
  /** The whole message, with its footers (untrusted text). */
  message: string;
  /** GitHub login of the author, when GitHub knows it (untrusted text). */
  authorLogin: string | null;
  /** Author name from the commit (untrusted text). */
  authorName: string;
  htmlUrl: string;
  /** When the commit was committed (ISO time), when known. */
  committedAt?: string | undefined;
}

interface GitHubCommit {
  sha: string;
  html_url: string;
  commit: { message: string; author: { name?: string } | null; committer?: { date?: string } | null };
  author: { login: string } | null | Record<string, never>;
}

/** A commit as the REST API returns it (`GET /commits/{ref}`, compare, list) → {@link CommitInfo}. */
export function toCommitInfo(commit: GitHubCommit): CommitInfo {
  const login = commit.author && 'login' in commit.author ? commit.author.login : null;
  return {
    sha: commit.sha,
    subject: commit.commit.message.split('\n', 1)[0] ?? '',
    message: commit.commit.message,
    authorLogin: login,
    authorName: commit.commit.author?.name ?? '',
    htmlUrl: commit.html_url,
    committedAt: commit.commit.committer?.date ?? undefined,
  };
}

/**
 * Resolves a branch, tag or sha to its commit. A ref that does not exist is the user's mistake, reported
 * with the input that named it.
 */
export async function resolveCommit(
  client: GitHubClient,
  repository: RepositoryRef,
  ref: string,
  inputName = 'ref',
): Promise<CommitInfo> {
  try {
    const response = await client.rest.repos.getCommit({ ...repository, ref, per_page: 1 });
    return toCommitInfo(response.data as GitHubCommit);
  } catch (error) {
    if (hasHttpStatus(error, 404, 422)) {
      throw new UserError(
        `'${ref}' (input '${inputName}') is not a commit, branch or tag of ${repository.owner}/${repository.repo}. ` +
          `Give a sha, branch or tag that exists there.`,
        { cause: error },
      );
    }
    throw error;
  }
}
