import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';

/** Default prefix of environment tags: `refs/tags/env/<environment>`. */
export const DEFAULT_ENVIRONMENT_TAG_PREFIX = 'env/';

/** The tag name (without `refs/tags/`) marking what is accepted in `environment`. */
export function environmentTagName(
  environment: string,
  component: string | null = null,
  prefix = DEFAULT_ENVIRONMENT_TAG_PREFIX,
): string {
  return component ? `${prefix}${component}/${environment}` : `${prefix}${environment}`;
}

function hasStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === status;
}

/**
 * The commit a tag points at, or undefined when the tag does not exist. Follows an annotated tag to its
 * commit (one more request only in that case).
 */
export async function readTagCommit(
  client: GitHubClient,
  repository: RepositoryRef,
  tag: string,
): Promise<string | undefined> {
  let ref;
  try {
    ref = await client.rest.git.getRef({ ...repository, ref: `tags/${tag}` });
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
  const target = ref.data.object;
  if (target.type !== 'tag') return target.sha;
  const annotated = await client.rest.git.getTag({ ...repository, tag_sha: target.sha });
  return annotated.data.object.sha;
}

/**
 * Points `tag` at `sha`, creating it when it does not exist. Returns the commit it pointed at before.
 * This reads then writes; two runs racing on one environment are kept apart by the workflow `concurrency:` group.
 */
export async function moveTag(
  client: GitHubClient,
  repository: RepositoryRef,
  tag: string,
  sha: string,
): Promise<string | undefined> {
  const before = await readTagCommit(client, repository, tag);
  if (before === sha) return before;
  if (before === undefined) {
    await client.rest.git.createRef({ ...repository, ref: `refs/tags/${tag}`, sha });
  } else {
    await client.rest.git.updateRef({ ...repository, ref: `tags/${tag}`, sha, force: true });
  }
  return before;
}
