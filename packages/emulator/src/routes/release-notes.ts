/**
 * Release notes like `POST /releases/generate-notes` writes them. GitHub lists merged pull requests; the emulator
 * has none, so it lists the commits between the previous tag and the new one.
 */
import { notFound } from '../errors.js';
import { encodePath } from '../repository-context.js';
import type { EmulatorState } from '../route-handler.js';
import type { ReleaseRecord } from '../store.js';

/** What to write notes for. */
export interface ReleaseNotesRequest {
  tagName: string;
  /** Where the tag will point when it does not exist yet. Default: the default branch. */
  targetCommitish?: string;
  /** Default: the tag of the latest release (other than `tagName`). */
  previousTagName?: string;
}

/** GitHub's `release-notes-content`. */
export interface ReleaseNotes {
  name: string;
  body: string;
}

/** Writes release notes: one line per commit since the previous tag, then the "Full Changelog" link. */
export function generateReleaseNotes(
  state: EmulatorState,
  request: ReleaseNotesRequest,
  latestRelease: ReleaseRecord | undefined,
): ReleaseNotes {
  const { git, repository, users } = state;
  const head =
    git.resolveCommit(`refs/tags/${request.tagName}`) ??
    git.resolveCommit(request.targetCommitish ?? repository.defaultBranch);
  if (!head) throw notFound();
  const previousTag =
    request.previousTagName ??
    (latestRelease && latestRelease.tagName !== request.tagName ? latestRelease.tagName : undefined);
  const previous = previousTag === undefined ? undefined : git.resolveCommit(`refs/tags/${previousTag}`);
  if (previousTag !== undefined && !previous) throw notFound();

  const commits = git.log([previous ? `${previous}..${head}` : head], { reverse: true });
  const lines = commits.map((commit) => {
    const subject = commit.message.split('\n')[0] ?? '';
    const login = users.findByEmail(commit.author.email)?.login;
    const by = login ? `@${login}` : commit.author.name;
    return `* ${subject} by ${by} in ${repository.htmlUrl(`commit/${commit.sha}`)}`;
  });
  const changelog = previousTag
    ? repository.htmlUrl(`compare/${encodePath(previousTag)}...${encodePath(request.tagName)}`)
    : repository.htmlUrl(`commits/${encodePath(request.tagName)}`);
  const sections = lines.length > 0 ? [`## What's Changed\n${lines.join('\n')}`] : [];
  sections.push(`**Full Changelog**: ${changelog}`);
  return { name: request.tagName, body: sections.join('\n\n') };
}
