import type { PreparedRelease } from '../use-cases/prepare-release.js';
import { markdownCell, markdownCode, markdownText } from '../text/escape.js';
import { link, shortSha, table } from './markdown.js';
import { utcTime } from './utc-time.js';

/** The job summary of prepare-release: what is about to ship where, what changes, and what happens next. */
export function prepareReleaseSummary(release: PreparedRelease): string {
  const { commit } = release;
  const what = release.version ?? shortSha(commit.sha);
  const title = release.dryRun
    ? `## Dry run: ${markdownText(what)} for ${markdownText(release.environment)} (nothing written)`
    : `## ${markdownText(what)} prepared for ${markdownText(release.environment)}`;
  const facts = table(
    ['Environment', markdownCode(release.environment)],
    [
      ['Commit', `${link(shortSha(commit.sha), commit.htmlUrl)} ${markdownCell(commit.subject)}`],
      ['Author', commit.authorLogin ? markdownCell(commit.authorLogin) : markdownCell(commit.authorName)],
      [
        'Version',
        release.version
          ? `${release.releaseUrl ? link(release.tag ?? release.version, release.releaseUrl) : markdownCode(release.version)} (${markdownCell(release.versionReason)})`
          : '— (not versioned in this environment)',
      ],
      ['Authors', authorsOf(release)],
      ...belowRows(release),
      [
        'Running there now',
        release.previous
          ? `${release.previous.version ? markdownCode(release.previous.version) + ' ' : ''}${markdownCode(shortSha(release.previous.sha))}` +
            (release.totalChanges > 0
              ? ` (${link(`compare: ${release.totalChanges} commit${release.totalChanges === 1 ? '' : 's'}`, compareUrl(commit.htmlUrl, release.previous.sha, commit.sha))})`
              : '')
          : '— (first release)',
      ],
      ...overrideRows(release),
      [
        'Deployment',
        release.deploymentId !== undefined
          ? `${markdownCode(String(release.deploymentId))} (queued${release.resumed ? ', found from an earlier attempt of this run' : ''})`
          : '— (dry run)',
      ],
      ['Run', link('workflow run', release.runUrl)],
    ],
  );
  const notes = [
    release.previous
      ? `### What changes (${release.totalChanges} commit${release.totalChanges === 1 ? '' : 's'})`
      : `### What ships (the first release in ${markdownText(release.environment)}: this commit; the history before it is not listed)`,
    '',
    // The notes as the Release holds them (cut to its size limit); their headings sit one level below.
    release.releaseBody.replace(/^### /gm, '#### '),
  ];
  const superseded =
    release.superseded !== undefined
      ? `Deployment ${markdownCode(String(release.superseded))}, prepared earlier and never deployed, was marked inactive.`
      : '';
  const next = release.dryRun
    ? 'Nothing was written to GitHub. Run again without `dry-run` to prepare the release.'
    : `**Next:** deploy it with \`deploy-env\`, check it with \`verify\`, then \`accept\` it in ${markdownCode(release.environment)}` +
      (release.nextEnvironment
        ? `; once accepted it may be promoted to ${markdownCode(release.nextEnvironment)}.`
        : '.');
  return [title, '', facts, '', ...notes, '', superseded, next, '']
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}

/**
 * The freeze and the gate: what `force` overrode and the reason given ("Freeze overridden", "Gate
 * overridden"), else what let the release through.
 */
function overrideRows(release: PreparedRelease): string[][] {
  const overridden = (kind: 'freeze' | 'gate') =>
    release.overrides.filter((item) => item.kind === kind).map((item) => item.description);
  const because = `; reason: ${markdownCell(release.reason)}`;
  const freeze = overridden('freeze');
  const gate = overridden('gate');
  const rows: string[][] = [];
  if (freeze.length > 0)
    rows.push(['Freeze', `⚠️ Freeze overridden: ${markdownCell(freeze.join('; '))}${because}`]);
  if (gate.length > 0) {
    rows.push(['Gate', `⚠️ Gate overridden: ${markdownCell(gate.join('; '))}${because}`]);
  } else {
    rows.push([
      'Gate',
      release.belowEnvironment
        ? `accepted in ${markdownCode(release.belowEnvironment)}`
        : 'first environment: continuous deployment',
    ]);
  }
  return rows;
}

/** Who wrote the changes: logins, or author names where GitHub knows no login. */
function authorsOf(release: PreparedRelease): string {
  const commits = release.changes.length > 0 ? release.changes : [release.commit];
  const authors = [...new Set(commits.map((change) => change.authorLogin ?? change.authorName))];
  const shown = authors.slice(0, 10).map((author) => markdownCell(author));
  return shown.join(', ') + (authors.length > 10 ? ` and ${authors.length - 10} more` : '');
}

/** What the environment below recorded for this commit: the verification and acceptance approvers rely on. */
function belowRows(release: PreparedRelease): string[][] {
  const below = release.belowRecord;
  if (!below) return [];
  const when = (iso: string | undefined) => (iso ? ` (${markdownText(utcTime(iso))})` : '');
  const verification =
    below.verification === 'passed'
      ? `✅ ${markdownCell(below.verificationDescription)}${when(below.verifiedAt)}`
      : below.verification === 'failed'
        ? `❌ ${markdownCell(below.verificationDescription)}${when(below.verifiedAt)}`
        : '— (verify did not run there)';
  return [
    [`Verified in ${markdownCode(below.environment)}`, verification],
    [
      `Accepted in ${markdownCode(below.environment)}`,
      below.acceptedDescription ? `${markdownCell(below.acceptedDescription)}${when(below.acceptedAt)}` : '—',
    ],
  ];
}

/** GitHub's compare page between two commits, next to a commit's page. */
function compareUrl(commitUrl: string, base: string, head: string): string {
  return commitUrl.replace(/\/commit\/[0-9a-f]+$/i, `/compare/${base}...${head}`);
}
