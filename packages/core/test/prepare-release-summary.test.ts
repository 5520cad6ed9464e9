import { describe, expect, it } from '@jest/globals';
import { prepareReleaseSummary } from '../src/report/prepare-release-summary.js';
import type { PreparedRelease } from '../src/use-cases/prepare-release.js';

const SHA = 'abc1234'.padEnd(40, '0');
const REASON = 'hotfix for incident 42';

function prepared(extra: Partial<PreparedRelease> = {}): PreparedRelease {
  return {
    environment: 'preproduction',
    belowEnvironment: 'integration',
    nextEnvironment: 'production',
    commit: {
      sha: SHA,
      subject: 'fix: checkout',
      message: 'fix: checkout',
      authorLogin: 'mona',
      authorName: 'Mona',
      htmlUrl: `https://github.com/octo-org/shop/commit/${SHA}`,
    },
    version: '1.2.3',
    versionReason: 'patch: 1 fix',
    tag: 'v1.2.3',
    deploymentId: 42,
    previous: undefined,
    changes: [],
    totalChanges: 1,
    releaseNotes: '### Fixes\n\n- every commit, all listed',
    releaseBody: '### Fixes\n\n- cut for the Release\n\n… and 1 more commit',
    releaseUrl: undefined,
    overrides: [],
    reason: undefined,
    belowRecord: undefined,
    superseded: undefined,
    resumed: false,
    runUrl: 'https://github.com/octo-org/shop/actions/runs/1/attempts/1',
    dryRun: false,
    ...extra,
  };
}

const rowOf = (markdown: string, name: string) =>
  markdown.split('\n').filter((line) => line.startsWith(`| ${name} |`));

describe('prepareReleaseSummary', () => {
  it('says the gate held when nothing was overridden, and shows no freeze row', () => {
    const markdown = prepareReleaseSummary(prepared());
    expect(rowOf(markdown, 'Gate')).toEqual(['| Gate | accepted in `integration` |']);
    expect(rowOf(markdown, 'Freeze')).toEqual([]);
    expect(markdown).not.toContain('overridden');
  });

  it('reads "Freeze overridden" with the window and the reason', () => {
    const markdown = prepareReleaseSummary(
      prepared({
        overrides: [{ kind: 'freeze', description: "'preproduction' is frozen (weekend freeze)" }],
        reason: REASON,
      }),
    );
    expect(rowOf(markdown, 'Freeze')).toEqual([
      `| Freeze | ⚠️ Freeze overridden: 'preproduction' is frozen \\(weekend freeze\\); reason: ${REASON} |`,
    ]);
    // The gate itself held.
    expect(rowOf(markdown, 'Gate')).toEqual(['| Gate | accepted in `integration` |']);
    expect(markdown).not.toContain('Gate overridden');
  });

  it('shows a freeze override in the first environment too', () => {
    const markdown = prepareReleaseSummary(
      prepared({
        environment: 'integration',
        belowEnvironment: undefined,
        overrides: [{ kind: 'freeze', description: "'integration' is frozen (weekend freeze)" }],
        reason: REASON,
      }),
    );
    expect(rowOf(markdown, 'Freeze')[0]).toContain(`Freeze overridden: 'integration' is frozen`);
    expect(rowOf(markdown, 'Freeze')[0]).toContain(`reason: ${REASON}`);
    expect(rowOf(markdown, 'Gate')).toEqual(['| Gate | first environment: continuous deployment |']);
  });

  it('reads "Gate overridden" with what was overridden and the reason, apart from the freeze', () => {
    const markdown = prepareReleaseSummary(
      prepared({
        overrides: [
          { kind: 'freeze', description: "'preproduction' is frozen (weekend freeze)" },
          { kind: 'gate', description: 'commit abc1234 was not accepted in integration' },
          { kind: 'gate', description: 'commit abc1234 was rolled back in preproduction' },
        ],
        reason: REASON,
      }),
    );
    expect(rowOf(markdown, 'Gate')).toEqual([
      '| Gate | ⚠️ Gate overridden: commit abc1234 was not accepted in integration; ' +
        `commit abc1234 was rolled back in preproduction; reason: ${REASON} |`,
    ]);
    expect(rowOf(markdown, 'Freeze')[0]).toContain('Freeze overridden');
    expect(rowOf(markdown, 'Freeze')[0]).not.toContain('not accepted');
  });

  it('escapes the reason', () => {
    const markdown = prepareReleaseSummary(
      prepared({
        overrides: [{ kind: 'gate', description: 'commit abc1234 was not accepted in integration' }],
        reason: 'ping @octocat | <b>now</b>',
      }),
    );
    expect(rowOf(markdown, 'Gate')[0]).toContain('reason: ping @\u200boctocat \\| &lt;b&gt;now&lt;/b&gt; |');
  });

  it('shows the notes as the Release holds them', () => {
    const markdown = prepareReleaseSummary(prepared());
    expect(markdown).toContain('#### Fixes\n\n- cut for the Release\n\n… and 1 more commit');
    expect(markdown).not.toContain('all listed');
  });

  it('says a first release lists its own commit only, and a later one what changes', () => {
    expect(prepareReleaseSummary(prepared())).toContain(
      '### What ships (the first release in preproduction: this commit; the history before it is not listed)',
    );
    const later = prepareReleaseSummary(
      prepared({ previous: { sha: 'def5678'.padEnd(40, '0'), version: '1.2.2' }, totalChanges: 3 }),
    );
    expect(later).toContain('### What changes (3 commits)');
  });
});
