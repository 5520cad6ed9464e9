/** Commits: `GET /repos/{owner}/{repo}/commits` and `GET /commits/{ref}`. */
import { notFound, unprocessable } from '../errors.js';
import type { GitCommit } from '../git-repository.js';
import { legacyNodeId } from '../node-ids.js';
import { linkHeader, readPageRequest } from '../pagination.js';
import {
  json,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerReply,
  type HandlerRequest,
} from '../route-handler.js';

/** The routes of this module. */
export const commitRoutes: EmulatorRoute[] = [
  { method: 'GET', template: '/repos/{owner}/{repo}/commits', handler: listCommits },
  { method: 'GET', template: '/repos/{owner}/{repo}/commits/{ref}', greedy: true, handler: getCommit },
];

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** The `commit` representation; `author`/`committer` are GitHub users when their email is known (`seed.user`). */
export function commitJson({ repository, users }: EmulatorState, commit: GitCommit): Record<string, unknown> {
  const userFor = (email: string) => {
    const user = users.findByEmail(email);
    return user ? users.simpleUser(user.login) : null;
  };
  return {
    url: repository.repoUrl(`commits/${commit.sha}`),
    sha: commit.sha,
    node_id: legacyNodeId('Commit', commit.sha),
    html_url: repository.htmlUrl(`commit/${commit.sha}`),
    comments_url: repository.repoUrl(`commits/${commit.sha}/comments`),
    commit: {
      url: repository.repoUrl(`git/commits/${commit.sha}`),
      author: { ...commit.author },
      committer: { ...commit.committer },
      message: commit.message,
      tree: { sha: commit.tree, url: repository.repoUrl(`git/trees/${commit.tree}`) },
      comment_count: 0,
      verification: UNSIGNED,
    },
    author: userFor(commit.author.email),
    committer: userFor(commit.committer.email),
    parents: commit.parents.map((sha) => ({
      sha,
      url: repository.repoUrl(`commits/${sha}`),
      html_url: repository.htmlUrl(`commit/${sha}`),
    })),
  };
}

function listCommits(request: HandlerRequest, state: EmulatorState): HandlerReply {
  const start = state.git.resolveCommit(request.query.sha ?? state.repository.defaultBranch);
  if (!start) throw notFound();
  const { page, perPage } = readPageRequest(request.query);
  const total = state.git.countCommits([start]);
  const commits = state.git.log([start], { skip: (page - 1) * perPage, maxCount: perPage });
  const link = linkHeader(request.url, page, Math.max(1, Math.ceil(total / perPage)));
  return json(
    200,
    commits.map((commit) => commitJson(state, commit)),
    link ? { link } : undefined,
  );
}

function getCommit(request: HandlerRequest, state: EmulatorState): HandlerReply {
  const ref = request.parameters.ref ?? '';
  const sha = state.git.resolveCommit(ref);
  const commit = sha ? state.git.readCommit(sha) : undefined;
  if (!commit) throw unprocessable(`No commit found for SHA: ${ref}`);
  if (request.accept.includes('application/vnd.github.sha')) {
    return {
      status: 200,
      raw: Buffer.from(commit.sha),
      contentType: 'application/vnd.github.sha; charset=utf-8',
    };
  }
  return json(200, {
    ...commitJson(state, commit),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: [],
  });
}
