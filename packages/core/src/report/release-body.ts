/**
 * The body of a GitHub Release as the suite writes it: the release notes, then a "### Promotion" section with
 * one line per environment that accepted the release ({@link acceptedReleaseLine}).
 *
 * The body stays within GitHub's size limit. GitHub refuses a body over 125,000 characters (422
 * "Validation Failed", `body is too long (maximum is 125000 characters)`); the limit is in no API description.
 * A body that is too long loses release-notes lines (one `- ` line per commit) from its end, whole lines only,
 * and says how many commits it no longer lists; the "Full changelog" compare link and the "### Promotion"
 * section (one line per environment that accepted the release) are always kept.
 *
 * Length is counted in UTF-16 code units (`string.length`), never fewer than the characters GitHub counts, so
 * a body that fits here fits there.
 */
import { markdownText } from '../text/escape.js';

import { RELEASE_BODY_LIMIT } from '../state/github-release.js';

export { RELEASE_BODY_LIMIT };

/** The heading of the section accept adds to, one line per environment. */
export const PROMOTION_HEADING = '### Promotion';

const COMMIT_LINE = /^- /;
const SECTION_HEADING = /^#{1,6} /;
const MORE_COMMITS_LINE = /^… and (\d+) more commits?\b/;
const CHANGELOG_LINE = /^Full changelog: /;

/**
 * The line that says how many commits the notes do not list: `… and 3 more commits`, followed by a pointer to
 * the full changelog when the notes have one.
 */
export function moreCommitsLine(count: number, hasChangelog: boolean): string {
  return (
    `… and ${count} more ${count === 1 ? 'commit' : 'commits'}` +
    (hasChangelog ? ' (the full changelog below lists them all)' : '')
  );
}

/** A body split into what may be cut (the notes) and what is kept as it is (the promotion section). */
interface BodyParts {
  notes: string[];
  /** The promotion section from its heading on, verbatim; empty when there is none. */
  promotion: string;
  /** Indexes in `notes` of the commit lines, in order. */
  commitLines: number[];
  /** Commits an earlier cut (or a truncated range) already left out, by the `… and N more commits` line. */
  alreadyLeftOut: number;
  /** The index in `notes` of that line, if any. */
  moreLine: number | undefined;
  /** The notes end with a "Full changelog" compare link. */
  hasChangelog: boolean;
}

/** Reads the notes' commit lines, the count of commits not listed and the promotion section out of a body. */
function partsOf(body: string): BodyParts {
  const lines = body.split('\n');
  const heading = lines.indexOf(PROMOTION_HEADING);
  const notes = heading === -1 ? lines : lines.slice(0, heading);
  const parts: BodyParts = {
    notes,
    promotion: heading === -1 ? '' : lines.slice(heading).join('\n'),
    commitLines: [],
    alreadyLeftOut: 0,
    moreLine: undefined,
    hasChangelog: false,
  };
  notes.forEach((line, index) => {
    const more = MORE_COMMITS_LINE.exec(line);
    if (COMMIT_LINE.test(line)) parts.commitLines.push(index);
    else if (more && parts.moreLine === undefined) {
      parts.moreLine = index;
      parts.alreadyLeftOut = Number(more[1]);
    } else if (CHANGELOG_LINE.test(line)) parts.hasChangelog = true;
  });
  return parts;
}

/**
 * The notes keeping the first `kept` commit lines of the notes: headings of sections left with no commit line
 * go, the count of commits not listed is written (where such a line stood, else after the place of the last
 * commit line), and blank lines never double.
 */
function notesKeeping(parts: BodyParts, kept: number): string {
  const dropped = parts.commitLines.length - kept;
  const droppedLines = new Set(parts.commitLines.slice(kept));
  const lastCommitLine = parts.commitLines.at(-1);
  const more = moreCommitsLine(parts.alreadyLeftOut + dropped, parts.hasChangelog);
  const out: string[] = [];
  parts.notes.forEach((line, index) => {
    if (index === parts.moreLine) out.push(dropped > 0 ? more : line);
    else if (droppedLines.has(index)) out.push('');
    else if (!SECTION_HEADING.test(line) || holdsKeptCommitLine(parts, index, kept)) out.push(line);
    if (index === lastCommitLine && parts.moreLine === undefined && dropped > 0) out.push('', more, '');
  });
  return collapseBlankLines(out).join('\n');
}

/** The notes followed by the promotion section, as accept writes them. */
function joined(notes: string, promotion: string): string {
  if (!promotion) return notes;
  return notes.trim() ? `${notes.trimEnd()}\n\n${promotion}` : promotion;
}

/**
 * Whether the section whose heading is at `heading` keeps one of its commit lines. A heading over no commit
 * line at all (prose) stays.
 */
function holdsKeptCommitLine(parts: BodyParts, heading: number, kept: number): boolean {
  const first = parts.commitLines.findIndex((index) => index > heading);
  if (first === -1) return true;
  const next = parts.notes.findIndex((line, index) => index > heading && SECTION_HEADING.test(line));
  if (next !== -1 && (parts.commitLines[first] as number) > next) return true;
  // Commit lines are kept in order, so the section keeps one when its first one is kept.
  return first < kept;
}

/** One blank line at most between lines, none at the start. */
function collapseBlankLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === '' && (out.length === 0 || out.at(-1)?.trim() === '')) continue;
    out.push(line);
  }
  return out;
}

/** The first lines of `text` that fit in `budget` characters, then `…`: never part of a line. */
function firstLines(text: string, budget: number): string {
  const kept: string[] = [];
  let length = 1;
  for (const line of text.split('\n')) {
    if (length + line.length + 1 > budget) break;
    kept.push(line);
    length += line.length + 1;
  }
  return [...kept, '…'].join('\n');
}

/**
 * The body when dropping every commit line is not enough (text other than commit lines fills the limit): the
 * first lines of the notes that fit before the promotion section, or, should the promotion section alone be
 * too long, the first lines of the whole body.
 */
function lastResort(parts: BodyParts, limit: number): string {
  const notes = notesKeeping(parts, 0);
  const room = limit - joined('x', parts.promotion).length + 1;
  if (parts.promotion && room >= 1) return joined(firstLines(notes, room), parts.promotion);
  return firstLines(joined(notes, parts.promotion), limit);
}

/**
 * `body` within `limit` characters (default {@link RELEASE_BODY_LIMIT}). A body that fits is returned as it
 * is. Otherwise the notes keep as many of their commit lines (`- ...` lines before the `### Promotion`
 * heading) as fit, the first ones as listed (breaking changes and features come before fixes and other
 * changes), and drop the rest whole; a line
 * `… and N more commits` counts every commit not listed (it is updated when the body was cut before), the
 * "Full changelog" link and the promotion section stay as they are.
 */
export function fitReleaseBody(body: string, limit: number = RELEASE_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const parts = partsOf(body);
  const bodyKeeping = (kept: number) => joined(notesKeeping(parts, kept), parts.promotion);
  // Each commit line kept adds at least 3 characters, and the count of those left out loses at most one
  // digit, so the length grows with `kept`: search for the most that fit.
  if (parts.commitLines.length === 0 || bodyKeeping(0).length > limit) return lastResort(parts, limit);
  let fits = 0;
  let tooLong = parts.commitLines.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (bodyKeeping(middle).length <= limit) fits = middle;
    else tooLong = middle;
  }
  return bodyKeeping(fits);
}

/**
 * Adds a line to the release body's promotion section (creating the section at its end), once: a body that
 * already holds the line is returned as it is, so a re-run adds nothing. The result fits in `limit`: notes
 * lines are dropped first ({@link fitReleaseBody}), the promotion lines never.
 */
export function withPromotionLine(body: string, line: string, limit: number = RELEASE_BODY_LIMIT): string {
  if (body.includes(line)) return body;
  const hasSection = body.split('\n').includes(PROMOTION_HEADING);
  const base = hasSection ? body.trimEnd() : `${body.trimEnd()}\n\n${PROMOTION_HEADING}`;
  return fitReleaseBody(`${base}\n${line}\n`, limit);
}

/** A reviewer's comment on one line (a list item holds one). */
function oneLine(comment: string): string {
  return comment.replace(/\s+/g, ' ').trim();
}

/** What {@link acceptedReleaseLine} says. */
export interface AcceptedRelease {
  /** The environment that accepted the release. */
  environment: string;
  /** Who ran accept. */
  actor: string;
  /** The workflow run of accept. */
  runId: number;
  /** Who prepared the release (the deployment payload's actor: untrusted, like every field there). */
  preparedBy: string;
  /** The environment reviews that approved it in accept's run, in order. */
  approvals: ReadonlyArray<{ user: string; comment: string }>;
}

/**
 * The line accept adds to the Release's promotion section:
 * `- Accepted in **production** by octocat (run 42); prepared by hubot; approved by monalisa: “ship it”`.
 * Names and comments are untrusted Markdown text; a comment is put on one line.
 */
export function acceptedReleaseLine(accepted: AcceptedRelease): string {
  const approvedBy = accepted.approvals
    .map(({ user, comment }) => markdownText(user) + (comment ? `: “${markdownText(oneLine(comment))}”` : ''))
    .join('; ');
  return (
    `- Accepted in **${markdownText(accepted.environment)}** by ${markdownText(accepted.actor)} ` +
    `(run ${accepted.runId}); prepared by ${markdownText(accepted.preparedBy)}` +
    (approvedBy ? `; approved by ${approvedBy}` : '')
  );
}
