import { describe, expect, it } from '@jest/globals';
import {
  acceptedReleaseLine,
  fitReleaseBody,
  moreCommitsLine,
  PROMOTION_HEADING,
  RELEASE_BODY_LIMIT,
  withPromotionLine,
} from '../src/report/release-body.js';
import { releaseNotesMarkdown } from '../src/report/release-notes.js';
import type { CommitInfo } from '../src/state/commits.js';

const CHANGELOG =
  'Full changelog: [1.0.0...1.1.0](https://github.com/octo-org/shop/compare/' +
  `${'b'.repeat(40)}...${'c'.repeat(40)})`;
const MORE = /^… and (\d+) more commits? \(the full changelog below lists them all\)$/;

/** A commit line of the notes, `width` characters long. */
function commitLine(index: number, width = 100): string {
  const start = `- change number ${index} `;
  return start + 'x'.repeat(Math.max(0, width - start.length));
}

/** Notes as release-notes.ts writes them: sections of commit lines, then the compare link. */
function notes(sections: Array<[string, string[]]>): string {
  const blocks = sections.map(([title, lines]) => `### ${title}\n\n${lines.join('\n')}`);
  return [...blocks, CHANGELOG].join('\n\n');
}

/** Notes of exactly `length` characters: 100-character commit lines, the first one padded to the length. */
function notesOfLength(length: number): { body: string; commits: number } {
  const overhead = notes([['Features', []]]).length;
  const commits = Math.floor((length - overhead) / 101);
  const lines = Array.from({ length: commits }, (_, index) => commitLine(index + 1));
  const short = length - notes([['Features', lines]]).length;
  lines[0] = commitLine(1, 100 + short);
  const body = notes([['Features', lines]]);
  expect(body).toHaveLength(length);
  return { body, commits };
}

const commitLinesOf = (body: string) => body.split('\n').filter((line) => line.startsWith('- '));
const moreCountOf = (body: string) => {
  const counts = body
    .split('\n')
    .map((line) => MORE.exec(line)?.[1])
    .filter((count) => count !== undefined);
  expect(counts.length).toBeLessThanOrEqual(1);
  return counts[0] === undefined ? undefined : Number(counts[0]);
};

/** Every line of the cut body is a whole line of the original, the count of commits left out, or blank. */
function expectWholeLines(cut: string, original: string): void {
  const lines = new Set(original.split('\n'));
  for (const line of cut.split('\n')) {
    if (line === '' || MORE.test(line)) continue;
    expect(lines.has(line) ? line : `not a line of the original: ${line.slice(0, 80)}`).toBe(line);
  }
}

describe('fitReleaseBody', () => {
  it.each([
    ['exactly the limit', RELEASE_BODY_LIMIT, false],
    ['one character under the limit', RELEASE_BODY_LIMIT - 1, false],
    ['one character over the limit', RELEASE_BODY_LIMIT + 1, true],
    ['twice the limit', 2 * RELEASE_BODY_LIMIT, true],
  ])('%s (%i characters): cut=%s', (_name, length, cut) => {
    const { body, commits } = notesOfLength(length);
    const fitted = fitReleaseBody(body);
    expect(fitted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    if (!cut) {
      expect(fitted).toBe(body);
      return;
    }
    expectWholeLines(fitted, body);
    const kept = commitLinesOf(fitted).length;
    // The oldest commit lines are kept, in order, and the line counting the others says how many.
    expect(commitLinesOf(fitted)).toEqual(commitLinesOf(body).slice(0, kept));
    expect(moreCountOf(fitted)).toBe(commits - kept);
    expect(fitted.split('\n').at(-1)).toBe(CHANGELOG);
    // As many as fit: one line more would not.
    expect(fitted.length + 101).toBeGreaterThan(RELEASE_BODY_LIMIT);
  });

  it('one over the limit drops exactly one commit line', () => {
    const { body, commits } = notesOfLength(RELEASE_BODY_LIMIT + 1);
    const fitted = fitReleaseBody(body);
    // The count line (about 60 characters) takes the room of one more line only when needed.
    expect(commitLinesOf(fitted).length).toBe(commits - 1);
    expect(fitted).toContain('\n\n… and 1 more commit (the full changelog below lists them all)\n\n');
  });

  it('drops a single huge commit subject whole, keeping the count and the compare link', () => {
    const huge = commitLine(1, 2 * RELEASE_BODY_LIMIT);
    const body = notes([['Features', [huge]]]);
    const fitted = fitReleaseBody(body);
    expect(fitted).toBe(
      ['… and 1 more commit (the full changelog below lists them all)', '', CHANGELOG].join('\n'),
    );
  });
});

describe('fitReleaseBody on notes and bodies as they are written', () => {
  it('keeps one short commit and drops a huge one after it; the emptied section goes', () => {
    const body = notes([
      ['Features', [commitLine(1)]],
      ['Fixes', [commitLine(2, RELEASE_BODY_LIMIT)]],
    ]);
    const fitted = fitReleaseBody(body);
    expect(fitted).toBe(
      [
        '### Features',
        '',
        commitLine(1),
        '',
        '… and 1 more commit (the full changelog below lists them all)',
        '',
        CHANGELOG,
      ].join('\n'),
    );
  });

  it('cuts the notes and never the promotion section', () => {
    const { body } = notesOfLength(RELEASE_BODY_LIMIT - 50);
    const promotion = [
      PROMOTION_HEADING,
      '- Accepted in **preproduction** by mona (run 1); prepared by mona',
      '- Accepted in **production** by hubot (run 2); prepared by mona; approved by octocat',
      '',
    ].join('\n');
    const withPromotion = `${body}\n\n${promotion}`;
    expect(withPromotion.length).toBeGreaterThan(RELEASE_BODY_LIMIT);
    const fitted = fitReleaseBody(withPromotion);
    expect(fitted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(fitted.endsWith(`${CHANGELOG}\n\n${promotion}`)).toBe(true);
    expectWholeLines(fitted, withPromotion);
    expect(moreCountOf(fitted)).toBeGreaterThan(0);
  });

  it('adds to the count of an earlier cut, or of a truncated range, instead of writing a second one', () => {
    const listed = Array.from({ length: 1400 }, (_, index) => commitLine(index + 1));
    const body = [`### Features\n\n${listed.join('\n')}`, moreCommitsLine(7, true), CHANGELOG].join('\n\n');
    const fitted = fitReleaseBody(body);
    const kept = commitLinesOf(fitted).length;
    expect(moreCountOf(fitted)).toBe(7 + 1400 - kept);
    expect(fitted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
  });

  it('fits notes written by releaseNotesMarkdown for 5000 commits, every section cut at a line', () => {
    const commits: CommitInfo[] = Array.from({ length: 5000 }, (_, index) => {
      const sha = index.toString(16).padStart(40, '0');
      const type = ['feat', 'fix', 'chore'][index % 3];
      return {
        sha,
        subject: `${type}: ${'a long subject '.repeat(6)}${index}`,
        message: `${type}: subject ${index}`,
        authorLogin: 'mona',
        authorName: 'Mona',
        htmlUrl: `https://github.com/octo-org/shop/commit/${sha}`,
      };
    });
    const markdown = releaseNotesMarkdown({
      commits,
      total: 5200,
      truncated: true,
      serverUrl: 'https://github.com',
      owner: 'octo-org',
      repo: 'shop',
      previous: { sha: 'b'.repeat(40), version: '1.0.0' },
      head: { sha: 'c'.repeat(40), version: '1.1.0' },
    });
    const fitted = fitReleaseBody(markdown);
    expect(fitted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expectWholeLines(fitted, markdown);
    expect(moreCountOf(fitted)).toBe(5200 - commitLinesOf(fitted).length);
    expect(fitted).toMatch(/\nFull changelog: \[1\.0\.0\.\.\.1\.1\.0\]\(https:[^)]+\)$/);
  });
});

describe('fitReleaseBody without commit lines', () => {
  it('cuts text without commit lines at a line, marking the cut', () => {
    const prose = Array.from({ length: 3000 }, (_, index) => `Paragraph ${index} ${'y'.repeat(60)}`);
    const body = prose.join('\n');
    const fitted = fitReleaseBody(body);
    expect(fitted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(fitted.endsWith('\n…')).toBe(true);
    expectWholeLines(fitted.slice(0, -2), body);
  });
});

describe('withPromotionLine', () => {
  const line = '- Accepted in **preproduction** by mona (run 7); prepared by mona';

  it('adds the section and the line once: a re-run adds nothing', () => {
    const once = withPromotionLine('### Features\n\n- a', line);
    expect(once).toBe(`### Features\n\n- a\n\n${PROMOTION_HEADING}\n${line}\n`);
    expect(withPromotionLine(once, line)).toBe(once);
    const twice = withPromotionLine(once, '- Accepted in **production** by hubot (run 8); prepared by mona');
    expect(twice).toBe(
      `### Features\n\n- a\n\n${PROMOTION_HEADING}\n${line}\n` +
        '- Accepted in **production** by hubot (run 8); prepared by mona\n',
    );
  });

  it('keeps a full body within the limit by cutting notes lines, never the promotion lines', () => {
    const { body, commits } = notesOfLength(RELEASE_BODY_LIMIT);
    const accepted = withPromotionLine(body, line);
    expect(accepted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(accepted.endsWith(`${CHANGELOG}\n\n${PROMOTION_HEADING}\n${line}\n`)).toBe(true);
    const firstCut = moreCountOf(accepted) as number;
    expect(firstCut).toBe(commits - commitLinesOf(accepted).length + 1);
    // A re-run changes nothing.
    expect(withPromotionLine(accepted, line)).toBe(accepted);

    const next = '- Accepted in **production** by hubot (run 8); prepared by mona; approved by octocat';
    const final = withPromotionLine(accepted, next);
    expect(final.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(final.endsWith(`${PROMOTION_HEADING}\n${line}\n${next}\n`)).toBe(true);
    expect(moreCountOf(final)).toBeGreaterThan(firstCut);
    expect(moreCountOf(final)).toBe(commits - commitLinesOf(final).length + 2);
  });

  it('keeps the promotion lines when prose fills the body', () => {
    const prose = Array.from({ length: 2000 }, (_, index) => `Paragraph ${index} ${'y'.repeat(60)}`).join(
      '\n',
    );
    const body = prose.slice(0, RELEASE_BODY_LIMIT - 10);
    const accepted = withPromotionLine(body, line);
    expect(accepted.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(accepted.endsWith(`…\n\n${PROMOTION_HEADING}\n${line}\n`)).toBe(true);
  });
});

describe('acceptedReleaseLine', () => {
  it('says where, by whom, in which run, who prepared and who approved', () => {
    expect(
      acceptedReleaseLine({
        environment: 'production',
        actor: 'octocat',
        runId: 42,
        preparedBy: 'hubot',
        approvals: [
          { user: 'monalisa', comment: 'ship\n  it' },
          { user: 'octodog', comment: '' },
        ],
      }),
    ).toBe(
      '- Accepted in **production** by octocat (run 42); prepared by hubot; approved by monalisa: “ship it”; octodog',
    );
  });

  it('escapes names and comments as Markdown text', () => {
    const line = acceptedReleaseLine({
      environment: 'prod',
      actor: '@team',
      runId: 7,
      preparedBy: '<b>x</b>',
      approvals: [{ user: 'a_b', comment: 'see #12 [here](https://e.example)' }],
    });
    expect(line).toBe(
      '- Accepted in **prod** by @\u200bteam (run 7); prepared by &lt;b&gt;x&lt;/b&gt;; ' +
        'approved by a\\_b: “see \\#\u200b12 \\[here\\]\\(https://e.example\\)”',
    );
    expect(line).not.toContain('\n');
  });
});
