import { describe, expect, it } from '@jest/globals';
import { acceptSummary } from '../src/report/accept-summary.js';
import type { AcceptResult } from '../src/use-cases/accept.js';

const SHA = 'def5678'.padEnd(40, '0');
const REASON = 'hotfix for incident 42';
const WINDOW = "freeze window 'fri, sat, sun 16:00-23:59 Europe/Paris'";

function accepted(extra: Partial<AcceptResult> = {}): AcceptResult {
  return {
    environment: 'production',
    deployment: {
      id: 77,
      sha: SHA,
      environment: 'production',
      url: 'https://api.github.com/repos/octo-org/shop/deployments/77',
      createdAt: '2026-01-09T17:00:00Z',
      creator: 'github-actions[bot]',
      release: undefined,
    },
    sha: SHA,
    version: '1.2.3',
    nextEnvironment: undefined,
    approvals: [],
    preparedBy: 'mona',
    replacedSha: undefined,
    releaseUrl: undefined,
    releaseFinal: false,
    freezeOverride: undefined,
    verificationOverride: undefined,
    reason: undefined,
    runUrl: 'https://github.com/octo-org/shop/actions/runs/1/attempts/1',
    dryRun: false,
    ...extra,
  };
}

const rowOf = (markdown: string, name: string) =>
  markdown.split('\n').filter((line) => line.startsWith(`| ${name} |`));

describe('acceptSummary', () => {
  it('shows no override rows when force overrode nothing', () => {
    const markdown = acceptSummary(accepted());
    expect(rowOf(markdown, 'Freeze')).toEqual([]);
    expect(rowOf(markdown, 'Verification')).toEqual([]);
    expect(markdown).not.toContain('overridden');
  });

  it('reads "Freeze overridden" with the window and the reason, saying the reason once', () => {
    const markdown = acceptSummary(accepted({ freezeOverride: `${WINDOW}: ${REASON}`, reason: REASON }));
    expect(rowOf(markdown, 'Freeze')).toEqual([
      `| Freeze | ⚠️ Freeze overridden: ${WINDOW}; reason: ${REASON} |`,
    ]);
    expect(markdown.split(REASON)).toHaveLength(2);
    expect(rowOf(markdown, 'Verification')).toEqual([]);
  });

  it('reads "Verification overridden" with what was missing and the reason', () => {
    const markdown = acceptSummary(
      accepted({ verificationOverride: 'verification failed: 1 of 2 checks', reason: REASON }),
    );
    expect(rowOf(markdown, 'Verification')).toEqual([
      `| Verification | ⚠️ Verification overridden: verification failed: 1 of 2 checks; reason: ${REASON} |`,
    ]);
    expect(rowOf(markdown, 'Freeze')).toEqual([]);
  });

  it('shows both overrides, each with the reason', () => {
    const markdown = acceptSummary(
      accepted({
        freezeOverride: `${WINDOW}: ${REASON}`,
        verificationOverride: 'verify did not run',
        reason: REASON,
      }),
    );
    expect(rowOf(markdown, 'Freeze')[0]).toContain(`Freeze overridden: ${WINDOW}; reason: ${REASON}`);
    expect(rowOf(markdown, 'Verification')[0]).toContain(
      `Verification overridden: verify did not run; reason: ${REASON}`,
    );
  });

  it('keeps a freeze override as given when it does not end with the reason, and escapes the reason', () => {
    const markdown = acceptSummary(
      accepted({ freezeOverride: WINDOW, reason: 'ping @octocat | <b>now</b>' }),
    );
    expect(rowOf(markdown, 'Freeze')).toEqual([
      `| Freeze | ⚠️ Freeze overridden: ${WINDOW}; reason: ping @\u200boctocat \\| &lt;b&gt;now&lt;/b&gt; |`,
    ]);
  });
});
