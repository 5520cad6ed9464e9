import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { hasHttpStatus } from '../github/http-status.js';
import { isRefusalAnswer, refWriteRefused, sendRefWrite } from '../github/ref-write-refusal.js';
import { NOT_WRITTEN, writeGuarded } from '../github/write-policy.js';

/** Default prefix of environment tags: `refs/tags/env/<environment>`. */
export const DEFAULT_ENVIRONMENT_TAG_PREFIX = 'env/';

/** The tag name (without `refs/tags/`) marking what is accepted in `environment`. */
export function environmentTagName(environment: string, prefix = DEFAULT_ENVIRONMENT_TAG_PREFIX): string {
  return `${prefix}${environment}`;
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
    if (hasHttpStatus(error, 404)) return undefined;
    throw error;
  }
  const target = ref.data.object;
  if (target.type !== 'tag') return target.sha;
  const annotated = await client.rest.git.getTag({ ...repository, tag_sha: target.sha });
  return annotated.data.object.sha;
}

/** The object id GitHub's `updateRefs` reads as "the ref does not exist". */
export const ZERO_OID = '0'.repeat(40);

/** What {@link swapTag} found. */
export type TagSwap =
  | {
      swapped: true;
      before: string | undefined;
      /** The tag was at `next` already though not at `expected`: another write moved it there. */
      alreadyMoved: boolean;
    }
  | { swapped: false; current: string | undefined };

interface RefQuery {
  repository: { id: string; ref: { target: { oid: string } } | null } | null;
}

const READ_REF = `query ReadRef($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) {
    id
    ref(qualifiedName: $ref) {
      target {
        oid
      }
    }
  }
}`;

const UPDATE_REFS = `mutation SwapRef($input: UpdateRefsInput!) {
  updateRefs(input: $input) {
    clientMutationId
  }
}`;

async function readRef(client: GitHubClient, repository: RepositoryRef, qualifiedName: string) {
  const data = await client.graphql<RefQuery>(READ_REF, {
    owner: repository.owner,
    name: repository.repo,
    ref: qualifiedName,
  });
  if (!data.repository)
    throw new Error(`GraphQL found no repository ${repository.owner}/${repository.repo}.`);
  return { repositoryId: data.repository.id, current: data.repository.ref?.target.oid };
}

/** The repository's node id and where the tag was when last read (from a snapshot), so the swap need not read. */
export interface KnownTag {
  repositoryId: string;
  current: string | undefined;
}

/**
 * Moves `tag` from `expected` (undefined: the tag must not exist) to `next` with a real compare-and-swap:
 * GitHub's GraphQL `updateRefs` with `beforeOid`, which refuses the update when the tag moved meanwhile. Two
 * runs racing for one environment cannot both succeed. When the tag is at `next` already (a re-run), nothing
 * is written. One request when `known` gives the repository id and the tag as read before (the swap itself
 * still checks it did not move since); else two: read, then swap.
 *
 * An error answer is told apart by reading the tag back (GitHub's error for a failed compare-and-swap is not
 * documented): moved by someone else → `{ swapped: false, current }`; unchanged → GitHub refused the write
 * (the `workflows` permission, a ruleset, a permission): throws {@link RefWriteRefusedError} with GitHub's
 * message and the fix. A GraphQL or HTTP rate limit throws a {@link TransientError} without reading. The write
 * goes through the suite's write policy (`github/write-policy.ts`): a lost answer is read back the same way, and a
 * swap GitHub never confirms throws a {@link TransientError}.
 */
export async function swapTag(
  client: GitHubClient,
  repository: RepositoryRef,
  tag: string,
  expected: string | undefined,
  next: string,
  known?: KnownTag,
): Promise<TagSwap> {
  const name = `refs/tags/${tag}`;
  const { repositoryId, current } = known ?? (await readRef(client, repository, name));
  if (current === next) return { swapped: true, before: expected, alreadyMoved: current !== expected };
  if (current !== expected) return { swapped: false, current };
  const input = {
    repositoryId,
    refUpdates: [{ name, beforeOid: current ?? ZERO_OID, afterOid: next, force: true }],
  };
  return writeGuarded<TagSwap>({
    what: `${name} to ${next.slice(0, 7)}`,
    send: async (request) => {
      await sendRefWrite(name, () => client.graphql(UPDATE_REFS, { input, request }));
      return { swapped: true, before: current, alreadyMoved: false };
    },
    // A refused compare-and-swap may be another run's win or GitHub refusing this token the tag.
    confirms: isRefusalAnswer,
    readBack: async (error) => {
      const refused = isRefusalAnswer(error);
      const after = await readRef(client, repository, name);
      // Refused and moved: someone else moved the tag. Answer lost: this swap may have gone through.
      if (after.current === next) return { swapped: true, before: current, alreadyMoved: refused };
      if (after.current !== current) return { swapped: false, current: after.current };
      // Refused and unchanged: GitHub would not let this token write the tag.
      if (refused) throw refWriteRefused(error, name);
      return NOT_WRITTEN;
    },
  });
}
