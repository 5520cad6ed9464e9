/** Annotated tag objects: `POST /repos/{owner}/{repo}/git/tags`, `GET /git/tags/{tag_sha}`. */
import { notFound, unprocessable } from '../errors.js';
import type { GitTag } from '../git-repository.js';
import { legacyNodeId } from '../node-ids.js';
import { json, type EmulatorRoute, type EmulatorState, type HandlerRequest } from '../route-handler.js';
import { ACTIONS_BOT_EMAIL, AUTHENTICATED_LOGIN } from '../users.js';
import { bodyOf, optionalString } from './request-body.js';

/** The routes of this module. */
export const gitTagRoutes: EmulatorRoute[] = [
  { method: 'POST', template: '/repos/{owner}/{repo}/git/tags', handler: createTag },
  { method: 'GET', template: '/repos/{owner}/{repo}/git/tags/{tag_sha}', handler: getTag },
];

/** The `git-tag` representation. */
export function gitTagJson({ repository }: EmulatorState, tag: GitTag): Record<string, unknown> {
  return {
    node_id: legacyNodeId('Tag', tag.sha),
    tag: tag.tag,
    sha: tag.sha,
    url: repository.repoUrl(`git/tags/${tag.sha}`),
    message: tag.message,
    tagger: { name: tag.tagger.name, email: tag.tagger.email, date: tag.tagger.date },
    object: {
      sha: tag.object.sha,
      type: tag.object.type,
      url: repository.repoUrl(`git/${tag.object.type}s/${tag.object.sha}`),
    },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function createTag(request: HandlerRequest, state: EmulatorState) {
  const body = bodyOf(request);
  const object = optionalString(body, 'object') ?? '';
  const type = optionalString(body, 'type') ?? 'commit';
  if (!/^[0-9a-f]{40}$/.test(object) || state.git.objectType(object) !== type) {
    throw unprocessable('Object does not exist');
  }
  const tagger = (body.tagger ?? {}) as { name?: string; email?: string; date?: string };
  const sha = state.git.createTagObject({
    object,
    type,
    tag: optionalString(body, 'tag') ?? '',
    message: optionalString(body, 'message') ?? '',
    tagger: {
      name: tagger.name ?? AUTHENTICATED_LOGIN,
      email: tagger.email ?? ACTIONS_BOT_EMAIL,
      date: tagger.date ?? state.store.now(),
    },
  });
  const tag = state.git.readTag(sha);
  if (!tag) throw new Error(`git mktag wrote ${sha}, which is not a tag`);
  return json(201, gitTagJson(state, tag), { location: state.repository.repoUrl(`git/tags/${sha}`) });
}

function getTag(request: HandlerRequest, state: EmulatorState) {
  const tag = state.git.readTag(request.parameters.tag_sha ?? '');
  if (!tag) throw notFound();
  return json(200, gitTagJson(state, tag));
}
