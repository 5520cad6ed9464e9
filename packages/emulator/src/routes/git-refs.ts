/** Git references: `/repos/{owner}/{repo}/git/ref[s]/{ref}`, `/git/matching-refs/{ref}`, `POST /git/refs`. */
import { notFound, unprocessable } from '../errors.js';
import type { GitRef } from '../git-repository.js';
import { legacyNodeId } from '../node-ids.js';
import { refWriteRefusal, restRefusal, type RefWrite } from '../ref-write-rules.js';
import { encodePath } from '../repository-context.js';
import {
  json,
  pagedJson,
  noContent,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerRequest,
} from '../route-handler.js';
import { bodyOf, optionalBoolean, optionalString } from './request-body.js';

/** The routes of this module. */
export const gitRefRoutes: EmulatorRoute[] = [
  { method: 'GET', template: '/repos/{owner}/{repo}/git/ref/{ref}', greedy: true, handler: getRef },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    greedy: true,
    handler: listMatchingRefs,
  },
  { method: 'POST', template: '/repos/{owner}/{repo}/git/refs', handler: createRef },
  { method: 'PATCH', template: '/repos/{owner}/{repo}/git/refs/{ref}', greedy: true, handler: updateRef },
  { method: 'DELETE', template: '/repos/{owner}/{repo}/git/refs/{ref}', greedy: true, handler: deleteRef },
];

/** The `git-ref` representation. */
export function gitRefJson({ repository }: EmulatorState, ref: GitRef): Record<string, unknown> {
  const objectKind = ref.type === 'tag' ? 'tags' : ref.type === 'commit' ? 'commits' : `${ref.type}s`;
  return {
    ref: ref.name,
    node_id: legacyNodeId('Ref', ref.name),
    url: repository.repoUrl(`git/${encodePath(ref.name)}`),
    object: { type: ref.type, sha: ref.sha, url: repository.repoUrl(`git/${objectKind}/${ref.sha}`) },
  };
}

/** The full ref name for a `{ref}` path parameter (`tags/v1` → `refs/tags/v1`; GitHub adds `refs/` blindly). */
function fullRefName(request: HandlerRequest): string {
  return `refs/${request.parameters.ref ?? ''}`;
}

function getRef(request: HandlerRequest, state: EmulatorState) {
  const ref = state.git.readRef(fullRefName(request));
  if (!ref) throw notFound();
  return json(200, gitRefJson(state, ref));
}

function listMatchingRefs(request: HandlerRequest, state: EmulatorState) {
  const prefix = fullRefName(request);
  const refs = state.git.listRefs().filter((ref) => ref.name.startsWith(prefix));
  return pagedJson(request, refs, (ref) => gitRefJson(state, ref));
}

function createRef(request: HandlerRequest, state: EmulatorState) {
  const body = bodyOf(request);
  const name = optionalString(body, 'ref') ?? '';
  const sha = optionalString(body, 'sha') ?? '';
  if (!name.startsWith('refs/') || name.split('/').length < 3 || !state.git.isValidRefName(name)) {
    throw unprocessable(`Reference name must start with 'refs/' and have at least two slashes.`);
  }
  const type = objectTypeOf(state, sha);
  if (state.git.readRef(name)) throw unprocessable('Reference already exists');
  checkRules(state, { name, kind: 'create', target: sha });
  if (!state.git.writeRef(name, sha, '')) throw unprocessable('Reference already exists');
  const ref: GitRef = { name, sha, type };
  return json(201, gitRefJson(state, ref), { location: state.repository.repoUrl(`git/${encodePath(name)}`) });
}

function updateRef(request: HandlerRequest, state: EmulatorState) {
  const name = fullRefName(request);
  const body = bodyOf(request);
  const sha = optionalString(body, 'sha') ?? '';
  const current = state.git.readRef(name);
  if (!current) throw unprocessable('Reference does not exist');
  const type = objectTypeOf(state, sha);
  if (optionalBoolean(body, 'force') !== true) {
    const from = state.git.resolveCommit(current.sha);
    const to = state.git.resolveCommit(sha);
    if (!from || !to || !state.git.isAncestor(from, to)) throw unprocessable('Update is not a fast forward');
  }
  checkRules(state, { name, kind: 'update', target: sha });
  if (!state.git.writeRef(name, sha, current.sha)) throw unprocessable('Reference update failed');
  return json(200, gitRefJson(state, { name, sha, type }));
}

function deleteRef(request: HandlerRequest, state: EmulatorState) {
  const name = fullRefName(request);
  const current = state.git.readRef(name);
  if (!current) throw unprocessable('Reference does not exist');
  checkRules(state, { name, kind: 'delete' });
  if (!state.git.deleteRef(name, current.sha)) throw unprocessable('Reference does not exist');
  return noContent();
}

/** Throws GitHub's answer when a ruleset or the workflows rule refuses the write (see `ref-write-rules.ts`). */
function checkRules(state: EmulatorState, write: RefWrite): void {
  const refusal = refWriteRefusal(state.refWriteRules, state.git, write, state.callerToken);
  if (refusal) throw restRefusal(refusal);
}

/** The type of the object a ref is to point at; 422 "Object does not exist" for anything but a full sha of one. */
function objectTypeOf(state: EmulatorState, sha: string): string {
  const type = /^[0-9a-f]{40}$/.test(sha) ? state.git.objectType(sha) : undefined;
  if (!type) throw unprocessable('Object does not exist');
  return type;
}
