import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { hasHttpStatus } from '../github/http-status.js';
import { NOT_WRITTEN, writeGuarded } from '../github/write-policy.js';

/** The most characters GitHub accepts in a Release body (callers fit the body: `report/release-body.ts`). */
export const RELEASE_BODY_LIMIT = 125_000;

/** A GitHub Release as the suite uses it. */
export interface ReleaseRecord {
  id: number;
  tag: string;
  url: string;
  body: string;
  prerelease: boolean;
}

interface GitHubRelease {
  id: number;
  tag_name: string;
  html_url: string;
  body?: string | null;
  prerelease: boolean;
}

function toReleaseRecord(release: GitHubRelease): ReleaseRecord {
  return {
    id: release.id,
    tag: release.tag_name,
    url: release.html_url,
    body: release.body ?? '',
    prerelease: release.prerelease,
  };
}

/** The release of `tag`, or undefined when there is none. */
export async function findReleaseByTag(
  client: GitHubClient,
  repository: RepositoryRef,
  tag: string,
): Promise<ReleaseRecord | undefined> {
  try {
    const response = await client.rest.repos.getReleaseByTag({ ...repository, tag });
    return toReleaseRecord(response.data);
  } catch (error) {
    if (hasHttpStatus(error, 404)) return undefined;
    throw error;
  }
}

/** What {@link createPrerelease} writes. */
export interface NewRelease {
  tag: string;
  sha: string;
  name: string;
  body: string;
}

/**
 * Creates the release of a version as a prerelease (it becomes final when accepted in the last environment).
 * When it exists already (a re-run), returns it unchanged. The body must fit GitHub's limit
 * ({@link RELEASE_BODY_LIMIT}): one that does not is a bug of the caller, refused before any request.
 */
export async function createPrerelease(
  client: GitHubClient,
  repository: RepositoryRef,
  release: NewRelease,
): Promise<ReleaseRecord> {
  checkBodyFits(release.tag, release.body);
  const existing = await findReleaseByTag(client, repository, release.tag);
  if (existing) return existing;
  return writeGuarded({
    what: `the Release ${release.tag}`,
    send: async (request) => {
      const response = await client.rest.repos.createRelease({
        ...repository,
        tag_name: release.tag,
        target_commitish: release.sha,
        name: release.name,
        body: release.body,
        prerelease: true,
        make_latest: 'false',
        request,
      });
      return toReleaseRecord(response.data);
    },
    // A 422 when another attempt created it meanwhile, or the answer lost after GitHub created it: read it back.
    confirms: (error) => hasHttpStatus(error, 422),
    readBack: async () => (await findReleaseByTag(client, repository, release.tag)) ?? NOT_WRITTEN,
  });
}

/**
 * Updates a release's body (cut to GitHub's limit, as `createPrerelease` does), and makes it final and latest
 * when `final`.
 */
export async function updateRelease(
  client: GitHubClient,
  repository: RepositoryRef,
  release: ReleaseRecord,
  change: { body: string; final: boolean },
): Promise<ReleaseRecord> {
  checkBodyFits(release.tag, change.body);
  // Writing the same body and flags twice changes nothing: the client's retries may resend it, nothing is read.
  return writeGuarded({
    what: `the Release ${release.tag}`,
    send: async (request) => {
      const response = await client.rest.repos.updateRelease({
        ...repository,
        release_id: release.id,
        body: change.body,
        ...(change.final ? { prerelease: false, make_latest: 'true' as const } : {}),
        request,
      });
      return toReleaseRecord(response.data);
    },
  });
}

/** A body over GitHub's limit is a bug of the caller (bodies are fitted where they are rendered). */
function checkBodyFits(tag: string, body: string): void {
  if (body.length <= RELEASE_BODY_LIMIT) return;
  throw new Error(
    `The body of the Release ${tag} has ${body.length} characters, over GitHub's ${RELEASE_BODY_LIMIT}: ` +
      'it must be fitted before it is written.',
  );
}
