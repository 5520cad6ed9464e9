/** Releases in GraphQL: `Repository.release(tagName)` and `Release`, agreeing with the REST release routes. */
import { userOf } from './graphql-actors.js';
import { paginate, type ConnectionSource } from './graphql-connections.js';
import type { GraphqlArguments, Resolver } from './graphql-context.js';
import { legacyNodeId } from './node-ids.js';
import type { EmulatorState } from './route-handler.js';
import { latestRelease, releaseJson } from './routes/releases.js';
import type { ReleaseRecord } from './store.js';

/** The published release of a tag, like `GET /repos/{o}/{r}/releases/tags/{tag}` (drafts have no tag yet). */
export function findReleaseByTag(state: EmulatorState, tagName: string): ReleaseRecord | null {
  return state.store.releases.find((release) => release.tagName === tagName && !release.draft) ?? null;
}

/**
 * `Repository.releases`, ordered like GitHub by `orderBy` (`CREATED_AT` or `NAME`; ascending unless `DESC`), oldest
 * first without it.
 */
export function listReleases(state: EmulatorState, args: GraphqlArguments): ConnectionSource<ReleaseRecord> {
  const order = args.orderBy as { field?: string; direction?: string } | null | undefined;
  const key = (release: ReleaseRecord) =>
    order?.field === 'NAME' ? (release.name ?? '') : release.createdAt;
  const sorted = [...state.store.releases].sort(
    (first, second) =>
      (key(first) < key(second) ? -1 : key(first) > key(second) ? 1 : 0) || first.id - second.id,
  );
  if (order?.direction === 'DESC') sorted.reverse();
  return paginate(sorted, args, 'releases');
}

/** `Release`. */
export const releaseFields: Record<string, Resolver<ReleaseRecord>> = {
  id: (release) => legacyNodeId('Release', release.id),
  databaseId: (release) => release.id,
  tagName: (release) => release.tagName,
  name: (release) => release.name,
  description: (release) => release.body,
  isPrerelease: (release) => release.prerelease,
  isDraft: (release) => release.draft,
  isLatest: (release, _args, { state }) => latestRelease(state.store)?.id === release.id,
  url: (release, _args, { state }) => releaseJson(state, release).html_url,
  createdAt: (release) => release.createdAt,
  publishedAt: (release) => release.publishedAt,
  updatedAt: (release) => release.updatedAt,
  author: (release, _args, { state }) => userOf(state, release.author),
};
