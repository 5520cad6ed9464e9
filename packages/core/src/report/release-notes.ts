/**
 * Release notes: the commits of a release grouped by their Conventional Commit type, as Markdown for the GitHub
 * Release and the job summary, and as a plain list for the `release-notes` output. Commit subjects and author
 * names are untrusted: in Markdown they go through `markdownText()` (no HTML, links, tables or @mentions that ping), and
 * in the plain list a subject can never be read as a workflow command.
 */
import type { CommitInfo } from '../state/commits.js';
import { link, shortSha } from './markdown.js';
import { inertWorkflowCommands, markdownText } from '../text/escape.js';
import { parseConventionalCommit, type ConventionalCommit } from '../release/conventional-commit.js';
import { moreCommitsLine } from './release-body.js';

/** What {@link releaseNotesMarkdown} needs. */
export interface ReleaseNotesRequest {
  /** The commits of the release, oldest first (from `listCommitsBetween`). */
  commits: CommitInfo[];
  /** Commits in the range in all; more than `commits.length` when the list was truncated. */
  total: number;
  truncated: boolean;
  /** `https://github.com` (the run context's server URL). */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The release the range starts after; absent for a first release. */
  previous?: { sha: string; version: string | null };
  /** The release being made. */
  head: { sha: string; version: string | null };
}

interface Section {
  title: string;
  holds: (commit: ConventionalCommit) => boolean;
}

/** Every commit no other section holds. */
const OTHER_CHANGES: Section = { title: 'Other changes', holds: () => true };

/** The sections, in the order they appear; each commit goes to the first that holds it. */
const SECTIONS: readonly Section[] = [
  { title: '⚠ Breaking changes', holds: (commit) => commit.breaking },
  { title: 'Features', holds: (commit) => commit.type === 'feat' },
  { title: 'Fixes', holds: (commit) => commit.type === 'fix' },
  { title: 'Performance', holds: (commit) => commit.type === 'perf' },
  OTHER_CHANGES,
];

function authorOf(commit: CommitInfo): string {
  if (commit.authorLogin) return ` by ${markdownText(`@${commit.authorLogin}`)}`;
  if (commit.authorName.trim()) return ` by ${markdownText(commit.authorName.trim())}`;
  return '';
}

function commitUrl(request: ReleaseNotesRequest, sha: string): string {
  return `${repositoryUrl(request)}/commit/${encodeURIComponent(sha)}`;
}

function repositoryUrl(request: ReleaseNotesRequest): string {
  const server = request.serverUrl.replace(/\/+$/, '');
  return `${server}/${encodeURIComponent(request.owner)}/${encodeURIComponent(request.repo)}`;
}

function line(
  request: ReleaseNotesRequest,
  commit: CommitInfo,
  parsed: ConventionalCommit,
  section: Section,
): string {
  // In "Other changes" the type still tells what kind of change it was (`docs: ...`).
  const typed = section === OTHER_CHANGES && parsed.type !== undefined;
  const description = parsed.description || commit.subject.trim() || commit.sha;
  const parts = [`- ${markdownText(typed ? `${parsed.type}: ${description}` : description)}`];
  if (parsed.scope !== undefined) parts.push(`(**${markdownText(parsed.scope)}**)`);
  parts.push(`(${link(shortSha(commit.sha), commit.htmlUrl || commitUrl(request, commit.sha))})`);
  return parts.join(' ') + authorOf(commit);
}

/**
 * The release notes in Markdown: one `###` section per kind of change, in a fixed order — "⚠ Breaking changes"
 * (any commit marked breaking), "Features" (`feat`), "Fixes" (`fix`), "Performance" (`perf`), "Other changes"
 * (every other type and non-conventional commits) — with one line per commit, oldest first:
 * `- description (**scope**) ([abc1234](url)) by @login` (the author's name when GitHub knows no login; the `@`
 * is followed by a zero-width space so nobody is notified). A truncated range says how many commits are not
 * listed (`… and N more commits`). With a previous release, the notes end with a "Full changelog" compare
 * link. An empty range is `No changes.` The notes may be longer than a GitHub Release accepts:
 * `fitReleaseBody` (report/release-body.ts) cuts them for the Release.
 *
 * The whole message is read, so a `BREAKING CHANGE:` footer puts a commit under breaking changes.
 */
export function releaseNotesMarkdown(request: ReleaseNotesRequest): string {
  if (request.commits.length === 0 && request.total === 0) return 'No changes.';

  const grouped = new Map<Section, string[]>(SECTIONS.map((section) => [section, []]));
  for (const commit of request.commits) {
    const parsed = parseConventionalCommit(commit.message || commit.subject);
    const section = SECTIONS.find((candidate) => candidate.holds(parsed)) ?? OTHER_CHANGES;
    grouped.get(section)?.push(line(request, commit, parsed, section));
  }

  const blocks: string[] = [];
  for (const [section, lines] of grouped) {
    if (lines.length > 0) blocks.push(`### ${section.title}\n\n${lines.join('\n')}`);
  }
  const missing = request.total - request.commits.length;
  if (request.truncated || missing > 0) {
    blocks.push(moreCommitsLine(Math.max(missing, 0), request.previous !== undefined));
  }
  if (request.previous) {
    const from = request.previous.version ?? shortSha(request.previous.sha);
    const to = request.head.version ?? shortSha(request.head.sha);
    const url = `${repositoryUrl(request)}/compare/${request.previous.sha}...${request.head.sha}`;
    blocks.push(`Full changelog: ${link(`${from}...${to}`, url)}`);
  }
  return blocks.join('\n\n');
}

/**
 * The commit subjects as a plain list, one `- subject` line per commit (the `release-notes` output). Line breaks
 * in a subject become spaces, and workflow commands in it are made inert (`inertWorkflowCommands`), so echoing
 * the list in a later step runs no command. Empty for no commits.
 */
export function releaseNotesPlainList(commits: CommitInfo[]): string {
  return commits
    .map((commit) => {
      const subject = commit.subject.replace(/[\r\n]+/g, ' ');
      return `- ${inertWorkflowCommands(subject)}`;
    })
    .join('\n');
}
