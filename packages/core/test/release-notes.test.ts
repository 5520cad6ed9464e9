import { describe, expect, it } from '@jest/globals';
import {
  releaseNotesMarkdown,
  releaseNotesPlainList,
  type ReleaseNotesRequest,
} from '../src/report/release-notes.js';
import type { CommitInfo } from '../src/state/commits.js';

const URL_BASE = 'https://github.com/octo-org/shop';

function commit(index: number, subject: string, author: Partial<CommitInfo> = {}): CommitInfo {
  const sha = index.toString(16).padStart(7, '0').padEnd(40, 'a');
  return {
    sha,
    subject,
    message: subject,
    authorLogin: 'mona',
    authorName: 'Mona Lisa',
    htmlUrl: `${URL_BASE}/commit/${sha}`,
    ...author,
  };
}

function request(commits: CommitInfo[], extra: Partial<ReleaseNotesRequest> = {}): ReleaseNotesRequest {
  return {
    commits,
    total: commits.length,
    truncated: false,
    serverUrl: 'https://github.com',
    owner: 'octo-org',
    repo: 'shop',
    previous: { sha: 'b'.repeat(40), version: '1.0.0' },
    head: { sha: 'c'.repeat(40), version: '1.1.0' },
    ...extra,
  };
}

const ZWSP = '\u200b';

describe('releaseNotesMarkdown', () => {
  it('groups commits by kind in a fixed order, oldest first within a group', () => {
    const commits = [
      commit(1, 'chore: bump deps', { authorLogin: null, authorName: 'Dependabot Fan' }),
      commit(2, 'fix(cart): empty cart crash'),
      commit(3, 'feat: search'),
      commit(4, 'perf: faster images'),
      commit(5, 'Plain old commit'),
      commit(6, 'feat(api)!: drop v1'),
      commit(7, 'feat(checkout): coupons', { authorLogin: 'hubot' }),
    ];
    expect(releaseNotesMarkdown(request(commits))).toBe(
      [
        '### ⚠ Breaking changes',
        '',
        `- drop v1 (**api**) ([0000006](${URL_BASE}/commit/${commits[5]!.sha})) by @${ZWSP}mona`,
        '',
        '### Features',
        '',
        `- search ([0000003](${URL_BASE}/commit/${commits[2]!.sha})) by @${ZWSP}mona`,
        `- coupons (**checkout**) ([0000007](${URL_BASE}/commit/${commits[6]!.sha})) by @${ZWSP}hubot`,
        '',
        '### Fixes',
        '',
        `- empty cart crash (**cart**) ([0000002](${URL_BASE}/commit/${commits[1]!.sha})) by @${ZWSP}mona`,
        '',
        '### Performance',
        '',
        `- faster images ([0000004](${URL_BASE}/commit/${commits[3]!.sha})) by @${ZWSP}mona`,
        '',
        '### Other changes',
        '',
        `- chore: bump deps ([0000001](${URL_BASE}/commit/${commits[0]!.sha})) by Dependabot Fan`,
        `- Plain old commit ([0000005](${URL_BASE}/commit/${commits[4]!.sha})) by @${ZWSP}mona`,
        '',
        `Full changelog: [1.0.0...1.1.0](${URL_BASE}/compare/${'b'.repeat(40)}...${'c'.repeat(40)})`,
      ].join('\n'),
    );
  });

  it('leaves out empty groups and the changelog link without a previous release', () => {
    const notes = releaseNotesMarkdown(request([commit(1, 'fix: first')], { previous: undefined }));
    expect(notes).toBe(
      `### Fixes\n\n- first ([0000001](${URL_BASE}/commit/${commit(1, '').sha})) by @${ZWSP}mona`,
    );
  });

  it('labels the changelog link with short shas when a side has no version', () => {
    const notes = releaseNotesMarkdown(
      request([commit(1, 'fix: x')], {
        previous: { sha: 'b'.repeat(40), version: null },
        head: { sha: 'c'.repeat(40), version: null },
      }),
    );
    expect(notes.split('\n').at(-1)).toBe(
      `Full changelog: [bbbbbbb...ccccccc](${URL_BASE}/compare/${'b'.repeat(40)}...${'c'.repeat(40)})`,
    );
  });

  it('says No changes. for an empty range', () => {
    expect(releaseNotesMarkdown(request([]))).toBe('No changes.');
  });

  it('neutralises mentions, HTML, links and table syntax in subjects, scopes and authors', () => {
    const notes = releaseNotesMarkdown(
      request(
        [
          commit(1, 'feat(<b>x</b>): ping @octo-org/admins and fix #12 <img src=x onerror=alert(1)>', {
            authorLogin: 'evil[bot]',
          }),
          commit(2, 'fix: [click](https://evil.example) | col | **bold**', {
            authorLogin: null,
            authorName: '@everyone <script>',
          }),
        ],
        { previous: undefined },
      ),
    );
    expect(notes).not.toMatch(/@\w/);
    expect(notes).not.toMatch(/<[a-z]/i);
    expect(notes).not.toContain('](https://evil');
    expect(notes).not.toMatch(/[^\\]\|/);
    expect(notes).toContain(
      `ping @${ZWSP}octo-org/admins and fix \\#${ZWSP}12 &lt;img src=x onerror=alert\\(1\\)&gt;`,
    );
    expect(notes).toContain('(**&lt;b&gt;x&lt;/b&gt;**)');
    expect(notes).toContain(`by @${ZWSP}evil\\[bot\\]`);
    expect(notes).toContain(`\\[click\\]\\(https://evil.example\\) \\| col \\| \\*\\*bold\\*\\* ([0000002]`);
    expect(notes).toContain(`by @${ZWSP}everyone &lt;script&gt;`);
  });

  it('builds the commit link from the server URL when the commit has none, and drops an unsafe one', () => {
    const fromServer = releaseNotesMarkdown(
      request([commit(1, 'fix: x', { htmlUrl: '' })], {
        previous: undefined,
        serverUrl: 'https://ghe.example/',
      }),
    );
    expect(fromServer).toContain(
      `([0000001](https://ghe.example/octo-org/shop/commit/${commit(1, '').sha}))`,
    );
    const unsafe = releaseNotesMarkdown(
      request([commit(1, 'fix: x', { htmlUrl: 'javascript:alert(1)' })], { previous: undefined }),
    );
    expect(unsafe).toContain('- x (0000001) by');
  });

  it('gives each of 600 commits its own line', () => {
    const commits = Array.from({ length: 600 }, (_, index) =>
      commit(index + 1, `${['feat', 'fix', 'docs'][index % 3]}: change number ${index + 1}`),
    );
    const notes = releaseNotesMarkdown(request(commits));
    const lines = notes.split('\n').filter((line) => line.startsWith('- '));
    expect(lines).toHaveLength(600);
    for (let number = 1; number <= 600; number++) {
      expect(notes).toContain(`change number ${number} (`);
    }
    expect(notes.indexOf('### Features')).toBeLessThan(notes.indexOf('### Fixes'));
    expect(notes.indexOf('### Fixes')).toBeLessThan(notes.indexOf('### Other changes'));
    expect(notes).toContain('- docs: change number 3 (');
  });

  it('says how many commits a truncated range does not list', () => {
    const notes = releaseNotesMarkdown(
      request([commit(1, 'fix: a'), commit(2, 'fix: b')], { total: 5002, truncated: true }),
    );
    expect(notes).toContain(
      '\n\n… and 5000 more commits (the full changelog below lists them all)\n\nFull changelog:',
    );
    const one = releaseNotesMarkdown(
      request([commit(1, 'fix: a')], { total: 2, truncated: true, previous: undefined }),
    );
    expect(one.split('\n').at(-1)).toBe('… and 1 more commit');
  });
});

describe('releaseNotesPlainList', () => {
  it('lists one subject per line', () => {
    expect(releaseNotesPlainList([commit(1, 'feat: a'), commit(2, 'Plain b')])).toBe('- feat: a\n- Plain b');
    expect(releaseNotesPlainList([])).toBe('');
  });

  it('makes subjects inert as workflow commands', () => {
    const list = releaseNotesPlainList([
      commit(1, '::add-mask::secret'),
      commit(2, '  ::error file=x::boom'),
      commit(3, '##[set-output name=x;]y'),
      commit(4, 'fix: mentions ::warning:: in the middle'),
      commit(5, 'two\nlines\r\n::stop-commands::x'),
    ]);
    expect(list.split('\n')).toEqual([
      `- ${ZWSP}::add-mask::secret`,
      `- ${ZWSP}  ::error file=x::boom`,
      `- #${ZWSP}#[set-output name=x;]y`,
      '- fix: mentions ::warning:: in the middle',
      '- two lines ::stop-commands::x',
    ]);
    // Even with the list marker cut off, no line starts a workflow command.
    for (const line of list.split('\n')) expect(line.slice(2).trimStart()).not.toMatch(/^(::|##\[)/);
  });
});
