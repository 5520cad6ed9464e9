import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { readTagCommit } from './environment-tag.js';
import { hasHttpStatus, isLostAnswer } from '../github/http-status.js';
import { refWriteRefused, sendRefWrite } from '../github/ref-write-refusal.js';
import { NOT_WRITTEN, writeGuarded } from '../github/write-policy.js';

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
 * GitHub and says how to fix it. Both writes follow the suite's write policy (`github/write-policy.ts`).
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
  // A tag object no ref points at changes nothing: sending it again is harmless, so it is not read back.
  const tagObject = await writeGuarded({
    what: `the tag object of ${request.tag}`,
    send: (options) =>
      client.rest.git.createTag({
        ...repository,
        tag: request.tag,
        message: request.message,
        object: request.sha,
        type: 'commit',
        tagger: { ...request.tagger, date: new Date().toISOString() },
        request: options,
      }),
  });
  const ref = `refs/tags/${request.tag}`;
  return writeGuarded({
    what: ref,
    send: async (options) => {
      await sendRefWrite(ref, () =>
        client.rest.git.createRef({ ...repository, ref, sha: tagObject.data.sha, request: options }),
      );
      return true;
    },
    // A 403 or 422 is GitHub refusing the tag, or the tag created meanwhile: where the tag is tells which.
    confirms: (error) => hasHttpStatus(error, 403, 422),
    readBack: async (error) => {
      const winner = await readTagCommit(client, repository, request.tag);
      if (winner === undefined) {
        if (isLostAnswer(error)) return NOT_WRITTEN;
        // Still absent: not a lost race ("Reference already exists") but GitHub refusing this token the tag.
        throw refWriteRefused(error, ref);
      }
      if (winner !== request.sha) throw versionTaken(request, winner);
      // After a lost answer this call created it; after "already exists", an earlier attempt or another run of
      // the same release did.
      return isLostAnswer(error);
    },
  });
}

function versionTaken(request: VersionTagRequest, existing: string): UserError {
  return new UserError(
    `Tag ${request.tag} already marks commit ${existing.slice(0, 7)}, not ${request.sha.slice(0, 7)}. ` +
      `Give this release another version with the 'version' or 'bump' input.`,
  );
}
