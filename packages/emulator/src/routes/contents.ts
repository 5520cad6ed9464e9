/** `GET /repos/{owner}/{repo}/contents/{path}`: files and directories from the git tree at `?ref=`. */
import { notFound } from '../errors.js';
import type { GitTreeEntry } from '../git-repository.js';
import { encodePath } from '../repository-context.js';
import {
  json,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerReply,
  type HandlerRequest,
} from '../route-handler.js';

/** Media types asking for the raw file instead of its JSON description. */
const RAW_MEDIA_TYPES = ['application/vnd.github.raw', 'application/vnd.github.v3.raw'];

/** The routes of this module. */
export const contentRoutes: EmulatorRoute[] = [
  { method: 'GET', template: '/repos/{owner}/{repo}/contents/{path}', greedy: true, handler: getContent },
];

function getContent(request: HandlerRequest, state: EmulatorState): HandlerReply {
  const path = (request.parameters.path ?? '').replace(/^\/+|\/+$/g, '');
  const ref = request.query.ref || state.repository.defaultBranch;
  const commit = state.git.resolveCommit(ref);
  if (!commit) throw notFound(`No commit found for the ref ${ref}`);
  const found = state.git.readPath(commit, path);
  if (!found) throw notFound();
  if (found.kind === 'file') {
    if (RAW_MEDIA_TYPES.some((type) => request.accept.includes(type))) {
      return { status: 200, raw: found.content, contentType: 'application/vnd.github.raw; charset=utf-8' };
    }
    return json(200, {
      ...entryJson(state, ref, {
        path,
        sha: found.sha,
        size: found.content.length,
        type: 'blob',
        mode: '100644',
      }),
      content: toGitHubBase64(found.content),
      encoding: 'base64',
    });
  }
  return json(
    200,
    found.entries.map((entry) => entryJson(state, ref, entry)),
  );
}

/** The fields every content entry has (`type`, `name`, `path`, `sha`, `size`, URLs and `_links`). */
function entryJson({ repository }: EmulatorState, ref: string, entry: GitTreeEntry): Record<string, unknown> {
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : 'file';
  const self = `${repository.repoUrl(`contents/${encodePath(entry.path)}`)}?ref=${encodeURIComponent(ref)}`;
  const git = repository.repoUrl(`git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`);
  const html = repository.htmlUrl(
    `${entry.type === 'tree' ? 'tree' : 'blob'}/${encodePath(ref)}/${encodePath(entry.path)}`,
  );
  const downloadUrl =
    type === 'file'
      ? `https://raw.githubusercontent.com/${repository.fullName}/${encodePath(ref)}/${encodePath(entry.path)}`
      : null;
  return {
    type,
    size: entry.size,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: downloadUrl,
    _links: { self, git, html },
  };
}

/** Base64 with a line break every 60 characters, as GitHub sends file contents. */
function toGitHubBase64(content: Buffer): string {
  const encoded = content.toString('base64');
  const lines = encoded.match(/.{1,60}/g) ?? [];
  return lines.map((line) => `${line}\n`).join('');
}
