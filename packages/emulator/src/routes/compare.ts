/** `GET /repos/{owner}/{repo}/compare/{basehead}` (`base...head`). */
import { notFound } from '../errors.js';
import { linkHeader, readPageRequest } from '../pagination.js';
import {
  json,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerReply,
  type HandlerRequest,
} from '../route-handler.js';
import { commitJson } from './commits.js';

/** Without paging parameters GitHub lists at most this many commits: the most recent ones, oldest first. */
export const MAX_COMPARE_COMMITS = 250;

/** The routes of this module. */
export const compareRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/compare/{basehead}',
    greedy: true,
    handler: compareCommits,
  },
];

function compareCommits(request: HandlerRequest, state: EmulatorState): HandlerReply {
  const { git, repository } = state;
  const basehead = request.parameters.basehead ?? '';
  const separator = basehead.indexOf('...');
  if (separator === -1) throw notFound();
  const base = git.resolveCommit(stripOwner(basehead.slice(0, separator), repository.owner));
  const head = git.resolveCommit(stripOwner(basehead.slice(separator + 3), repository.owner));
  if (!base || !head) throw notFound();
  const mergeBase = git.mergeBase(base, head);
  if (!mergeBase)
    throw notFound(
      `No common ancestor between ${basehead.slice(0, separator)} and ${basehead.slice(separator + 3)}.`,
    );

  const aheadBy = git.countCommits([`${base}..${head}`]);
  const behindBy = git.countCommits([`${head}..${base}`]);
  const status =
    aheadBy === 0 && behindBy === 0
      ? 'identical'
      : behindBy === 0
        ? 'ahead'
        : aheadBy === 0
          ? 'behind'
          : 'diverged';
  const all = git.log([`${base}..${head}`], { reverse: true });
  const paged = request.query.page !== undefined || request.query.per_page !== undefined;
  let commits = all.slice(-MAX_COMPARE_COMMITS);
  let link: string | undefined;
  if (paged) {
    const { page, perPage } = readPageRequest(request.query);
    commits = all.slice((page - 1) * perPage, page * perPage);
    link = linkHeader(request.url, page, Math.max(1, Math.ceil(all.length / perPage)));
  }
  const [baseCommit, mergeBaseCommit] = [git.readCommit(base), git.readCommit(mergeBase)];
  if (!baseCommit || !mergeBaseCommit) throw notFound();
  return json(
    200,
    {
      url: repository.repoUrl(`compare/${basehead}`),
      html_url: repository.htmlUrl(`compare/${basehead}`),
      permalink_url: repository.htmlUrl(`compare/${repository.owner}:${base}...${repository.owner}:${head}`),
      diff_url: repository.htmlUrl(`compare/${basehead}.diff`),
      patch_url: repository.htmlUrl(`compare/${basehead}.patch`),
      base_commit: commitJson(state, baseCommit),
      merge_base_commit: commitJson(state, mergeBaseCommit),
      status,
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: commits.map((commit) => commitJson(state, commit)),
      files: [],
    },
    link ? { link } : undefined,
  );
}

/** `octo-org:main` → `main` (GitHub accepts `owner:ref` on either side). */
function stripOwner(ref: string, owner: string): string {
  const prefix = `${owner}:`;
  return ref.toLowerCase().startsWith(prefix.toLowerCase()) ? ref.slice(prefix.length) : ref;
}
