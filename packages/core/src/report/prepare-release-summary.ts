import type { PreparedRelease } from '../use-cases/prepare-release.js';
import { cell, code, link, shortSha, table, text } from './markdown.js';

/** The job summary of prepare-release: what is about to ship where, what changes, and what happens next. */
export function prepareReleaseSummary(release: PreparedRelease): string {
  const { commit } = release;
  const what = release.version ?? shortSha(commit.sha);
  const title = release.dryRun
    ? `## Dry run: ${text(what)} for ${text(release.environment)} (nothing written)`
    : `## ${text(what)} prepared for ${text(release.environment)}`;
  const facts = table(
    ['Environment', code(release.environment)],
    [
      ['Commit', `${link(shortSha(commit.sha), commit.htmlUrl)} ${cell(commit.subject)}`],
      ['Author', commit.authorLogin ? cell(commit.authorLogin) : cell(commit.authorName)],
      [
        'Version',
        release.version
          ? `${release.releaseUrl ? link(release.tag ?? release.version, release.releaseUrl) : code(release.version)} (${cell(release.versionReason)})`
          : '— (not versioned in this environment)',
      ],
      [
        'Running there now',
        release.previous
          ? `${release.previous.version ? code(release.previous.version) + ' ' : ''}${code(shortSha(release.previous.sha))}`
          : '— (first release)',
      ],
      [
        'Gate',
        release.belowEnvironment
          ? release.overrides.length > 0
            ? `⚠️ overridden with force: ${cell(release.overrides.join('; '))}`
            : `accepted in ${code(release.belowEnvironment)}`
          : 'first environment: continuous deployment',
      ],
      [
        'Deployment',
        release.deploymentId !== undefined
          ? `${code(String(release.deploymentId))} (queued${release.resumed ? ', found from an earlier attempt of this run' : ''})`
          : '— (dry run)',
      ],
      ['Run', link('workflow run', release.runUrl)],
    ],
  );
  const notes = [
    release.previous
      ? `### What changes (${release.totalChanges} commit${release.totalChanges === 1 ? '' : 's'})`
      : `### What ships (the first release in ${text(release.environment)}: its history up to this commit)`,
    '',
    // The notes' own headings sit one level below this section's.
    release.releaseNotes.replace(/^### /gm, '#### '),
  ];
  const superseded =
    release.superseded !== undefined
      ? `Deployment ${code(String(release.superseded))}, prepared earlier and never deployed, was marked inactive.`
      : '';
  const next = release.dryRun
    ? 'Nothing was written to GitHub. Run again without `dry-run` to prepare the release.'
    : `**Next:** deploy it with \`deploy-env\`, check it with \`verify\`, then \`accept\` it in ${code(release.environment)}` +
      (release.nextEnvironment
        ? `; once accepted it may be promoted to ${code(release.nextEnvironment)}.`
        : '.');
  return [title, '', facts, '', ...notes, '', superseded, next, '']
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}
