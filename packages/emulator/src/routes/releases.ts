/** Releases: `/repos/{owner}/{repo}/releases[...]`, including `latest`, `tags/{tag}` and `generate-notes`. */
import { notFound, validationFailed } from '../errors.js';
import { legacyNodeId } from '../node-ids.js';
import { encodePath } from '../repository-context.js';
import {
  json,
  pagedJson,
  noContent,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerRequest,
} from '../route-handler.js';
import type { MakeLatest, ReleaseRecord, Store } from '../store.js';
import { AUTHENTICATED_LOGIN } from '../users.js';
import { generateReleaseNotes } from './release-notes.js';
import { bodyOf, optionalBoolean, optionalString } from './request-body.js';

const COLLECTION = '/repos/{owner}/{repo}/releases';
const MEMBER = '/repos/{owner}/{repo}/releases/{release_id}';

/**
 * The most characters GitHub accepts in a Release body (the REST description does not say so; GitHub answers
 * 422 "Validation Failed", `body is too long (maximum is 125000 characters)`). Counted in characters (Unicode
 * code points), as the message says.
 */
export const RELEASE_BODY_MAX_CHARACTERS = 125_000;

/** The routes of this module. */
export const releaseRoutes: EmulatorRoute[] = [
  { method: 'GET', template: COLLECTION, handler: listReleases },
  { method: 'POST', template: COLLECTION, handler: createRelease },
  {
    method: 'GET',
    template: MEMBER,
    handler: (request, state) => json(200, releaseJson(state, findRelease(request, state))),
  },
  { method: 'PATCH', template: MEMBER, handler: updateRelease },
  { method: 'DELETE', template: MEMBER, handler: deleteRelease },
  { method: 'GET', template: `${COLLECTION}/latest`, handler: getLatestRelease },
  { method: 'GET', template: `${COLLECTION}/tags/{tag}`, greedy: true, handler: getReleaseByTag },
  { method: 'POST', template: `${COLLECTION}/generate-notes`, handler: generateNotes },
];

/** The `release` representation. */
export function releaseJson(
  { repository, users }: EmulatorState,
  release: ReleaseRecord,
): Record<string, unknown> {
  const url = repository.repoUrl(`releases/${release.id}`);
  const tag = encodePath(release.tagName);
  return {
    url,
    html_url: repository.htmlUrl(`releases/tag/${tag}`),
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${repository.fullName}/releases/${release.id}/assets{?name,label}`,
    tarball_url: release.draft ? null : repository.repoUrl(`tarball/${tag}`),
    zipball_url: release.draft ? null : repository.repoUrl(`zipball/${tag}`),
    id: release.id,
    node_id: legacyNodeId('Release', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    updated_at: release.updatedAt,
    author: users.simpleUser(release.author),
    assets: [],
  };
}

/**
 * GitHub's latest release: the one explicitly made latest (`make_latest: true`, the default) while it stays
 * published and not a prerelease; otherwise the newest published non-prerelease release not marked
 * `make_latest: false`.
 */
export function latestRelease(store: Store): ReleaseRecord | undefined {
  const eligible = store.releases.filter((release) => !release.draft && !release.prerelease);
  const pinned = eligible.find((release) => release.id === store.pinnedLatestReleaseId);
  if (pinned) return pinned;
  return eligible
    .filter((release) => release.makeLatest !== 'false')
    .sort((first, second) => second.createdAt.localeCompare(first.createdAt) || second.id - first.id)[0];
}

function findRelease(request: HandlerRequest, state: EmulatorState): ReleaseRecord {
  const release = state.store.findRelease(Number(request.parameters.release_id));
  if (!release) throw notFound();
  return release;
}

function listReleases(request: HandlerRequest, state: EmulatorState) {
  const newestFirst = [...state.store.releases].sort((first, second) => second.id - first.id);
  return pagedJson(request, newestFirst, (release) => releaseJson(state, release));
}

function createRelease(request: HandlerRequest, state: EmulatorState) {
  const body = bodyOf(request);
  const tagName = optionalString(body, 'tag_name') ?? '';
  assertTagNameFree(state.store, tagName);
  const draft = optionalBoolean(body, 'draft') ?? false;
  const targetCommitish = optionalString(body, 'target_commitish') ?? state.repository.defaultBranch;
  let releaseBody = optionalString(body, 'body') ?? null;
  if (optionalBoolean(body, 'generate_release_notes') === true) {
    const notes = generateReleaseNotes(state, { tagName, targetCommitish }, latestRelease(state.store));
    releaseBody = releaseBody ? `${releaseBody}\n\n${notes.body}` : notes.body;
  }
  assertBodyFits(releaseBody);
  if (!draft) ensureTag(state, tagName, targetCommitish);
  else assertTargetResolves(state, tagName, targetCommitish);
  const now = state.store.now();
  const release: ReleaseRecord = {
    id: state.store.nextId('release'),
    tagName,
    targetCommitish,
    name: optionalString(body, 'name') ?? null,
    body: releaseBody,
    draft,
    prerelease: optionalBoolean(body, 'prerelease') ?? false,
    makeLatest: makeLatestOf(body) ?? 'true',
    author: AUTHENTICATED_LOGIN,
    createdAt: now,
    publishedAt: draft ? null : now,
    updatedAt: now,
  };
  state.store.releases.push(release);
  applyMakeLatest(state.store, release);
  return json(201, releaseJson(state, release), {
    location: state.repository.repoUrl(`releases/${release.id}`),
  });
}

function updateRelease(request: HandlerRequest, state: EmulatorState) {
  const release = findRelease(request, state);
  const body = bodyOf(request);
  if ('body' in body) assertBodyFits(optionalString(body, 'body') ?? null);
  const tagName = optionalString(body, 'tag_name');
  if (tagName !== undefined && tagName !== release.tagName) assertTagNameFree(state.store, tagName);
  const targetCommitish = optionalString(body, 'target_commitish') ?? release.targetCommitish;
  const draft = optionalBoolean(body, 'draft') ?? release.draft;
  if (!draft) ensureTag(state, tagName ?? release.tagName, targetCommitish);
  release.tagName = tagName ?? release.tagName;
  release.targetCommitish = targetCommitish;
  if ('name' in body) release.name = optionalString(body, 'name') ?? null;
  if ('body' in body) release.body = optionalString(body, 'body') ?? null;
  release.prerelease = optionalBoolean(body, 'prerelease') ?? release.prerelease;
  if (release.draft && !draft) release.publishedAt = state.store.now();
  release.draft = draft;
  release.makeLatest = makeLatestOf(body) ?? release.makeLatest;
  release.updatedAt = state.store.now();
  applyMakeLatest(state.store, release, makeLatestOf(body) !== undefined || body.draft === false);
  return json(200, releaseJson(state, release));
}

function deleteRelease(request: HandlerRequest, state: EmulatorState) {
  const release = findRelease(request, state);
  state.store.releases = state.store.releases.filter((candidate) => candidate.id !== release.id);
  if (state.store.pinnedLatestReleaseId === release.id) state.store.pinnedLatestReleaseId = null;
  return noContent();
}

function getLatestRelease(_request: HandlerRequest, state: EmulatorState) {
  const release = latestRelease(state.store);
  if (!release) throw notFound();
  return json(200, releaseJson(state, release));
}

function getReleaseByTag(request: HandlerRequest, state: EmulatorState) {
  const tag = request.parameters.tag;
  const release = state.store.releases.find((candidate) => candidate.tagName === tag && !candidate.draft);
  if (!release) throw notFound();
  return json(200, releaseJson(state, release));
}

function generateNotes(request: HandlerRequest, state: EmulatorState) {
  const body = bodyOf(request);
  const notes = generateReleaseNotes(
    state,
    {
      tagName: optionalString(body, 'tag_name') ?? '',
      targetCommitish: optionalString(body, 'target_commitish'),
      previousTagName: optionalString(body, 'previous_tag_name'),
    },
    latestRelease(state.store),
  );
  return json(200, notes);
}

/** GitHub's 422 for a body over {@link RELEASE_BODY_MAX_CHARACTERS}, before anything is written. */
function assertBodyFits(body: string | null): void {
  if (body === null) return;
  // Code points, not UTF-16 units: an emoji is one character.
  let characters = 0;
  for (const _character of body) characters += 1;
  if (characters <= RELEASE_BODY_MAX_CHARACTERS) return;
  throw validationFailed({
    resource: 'Release',
    code: 'custom',
    field: 'body',
    message: `body is too long (maximum is ${RELEASE_BODY_MAX_CHARACTERS} characters)`,
  });
}

function assertTagNameFree(store: Store, tagName: string): void {
  if (store.releases.some((release) => release.tagName === tagName)) {
    throw validationFailed({ resource: 'Release', code: 'already_exists', field: 'tag_name' });
  }
}

/** Creates the tag at `targetCommitish` when it does not exist yet, as GitHub does when publishing a release. */
function ensureTag(state: EmulatorState, tagName: string, targetCommitish: string): void {
  const refName = `refs/tags/${tagName}`;
  if (state.git.readRef(refName)) return;
  const sha = assertTargetResolves(state, tagName, targetCommitish);
  state.git.writeRef(refName, sha, '');
}

function assertTargetResolves(state: EmulatorState, tagName: string, targetCommitish: string): string {
  if (!state.git.isValidRefName(`refs/tags/${tagName}`)) {
    throw validationFailed({ resource: 'Release', code: 'invalid', field: 'tag_name' });
  }
  const sha = state.git.resolveCommit(`refs/tags/${tagName}`) ?? state.git.resolveCommit(targetCommitish);
  if (!sha) throw validationFailed({ resource: 'Release', code: 'invalid', field: 'target_commitish' });
  return sha;
}

function makeLatestOf(body: Record<string, unknown>): MakeLatest | undefined {
  const value = body.make_latest;
  return value === 'true' || value === 'false' || value === 'legacy' ? value : undefined;
}

/** Pins a published, non-prerelease release marked `make_latest: true` as latest; `legacy` removes the pin. */
function applyMakeLatest(store: Store, release: ReleaseRecord, changed = true): void {
  if (!changed) return;
  if (release.makeLatest === 'legacy') {
    store.pinnedLatestReleaseId = null;
  } else if (release.makeLatest === 'true' && !release.draft && !release.prerelease) {
    store.pinnedLatestReleaseId = release.id;
  }
}
