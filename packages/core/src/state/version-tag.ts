import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { readTagCommit } from './environment-tag.js';
import { hasHttpStatus, isRateLimitAnswer } from '../github/http-status.js';
import { refWriteRateLimited, refWriteRefused } from '../github/ref-write-refusal.js';

/** What {@link createVersionTag} records. */
export interface VersionTagRequest {
  /** Tag name, e.g. `v1.4.0`. */
  tag: string;
  sha: string;
  /** The annotated tag's message. */
  message: string;
  tagger: { name: string; email: string };
}

/**
 * Creates the annotated version tag (a tag object, then `refs/tags/<tag>` pointing at it). When the tag exists
 * already on the same commit (a re-run), nothing is written; on another commit, the version is taken: a user
 * error says how to pick another. A 403 or 422 that leaves the tag absent is GitHub refusing the write (the
 * `workflows` permission, a ruleset, a permission), not a lost race: a {@link RefWriteRefusedError} quotes
 * GitHub and says how to fix it.
 * Returns whether the tag was created by this call.
 */
export async function createVersionTag(
  client: GitHubClient,
  repository: RepositoryRef,
  request: VersionTagRequest,
): Promise<boolean> {
  const existing = await readTagCommit(client, repository, request.tag);
  if (existing === request.sha) return false;
  if (existing !== undefined) throw versionTaken(request, existing);
  const tagObject = await client.rest.git.createTag({
    ...repository,
    tag: request.tag,
    message: request.message,
    object: request.sha,
    type: 'commit',
    tagger: { ...request.tagger, date: new Date().toISOString() },
  });
  try {
    await client.rest.git.createRef({
      ...repository,
      ref: `refs/tags/${request.tag}`,
      sha: tagObject.data.sha,
    });
  } catch (error) {
    if (isRateLimitAnswer(error)) throw refWriteRateLimited(error, `refs/tags/${request.tag}`);
    if (!hasHttpStatus(error, 403, 422)) throw error;
    const winner = await readTagCommit(client, repository, request.tag);
    // Still absent: not a lost race ("Reference already exists") but GitHub refusing this token the tag.
    if (winner === undefined) throw refWriteRefused(error, `refs/tags/${request.tag}`);
    if (winner !== request.sha) throw versionTaken(request, winner);
    return false;
  }
  return true;
}

function versionTaken(request: VersionTagRequest, existing: string): UserError {
  return new UserError(
    `Tag ${request.tag} already marks commit ${existing.slice(0, 7)}, not ${request.sha.slice(0, 7)}. ` +
      `Give this release another version with the 'version' or 'bump' input.`,
  );
}
