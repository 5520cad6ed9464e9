import type { PreparedRelease } from '../use-cases/prepare-release.js';
import { cell, code, link, shortSha, table, text } from './markdown.js';

/** How many commits the summary lists before it says "and N more". */
const LISTED_CHANGES = 50;

/** The job summary of prepare-release: what is about to ship where, what changes, and what happens next. */
export function prepareReleaseSummary(release: PreparedRelease): string {
  const { commit } = release;
  const title = release.dryRun
    ? `## Dry run: release for ${text(release.environment)} not prepared`
    : `## Release prepared for ${text(release.environment)}`;
  const facts = table(
    ['Environment', code(release.environment)],
    [
      ['Commit', `${link(shortSha(commit.sha), commit.htmlUrl)} ${cell(commit.subject)}`],
      ['Author', commit.authorLogin ? cell(commit.authorLogin) : cell(commit.authorName)],
      ['Version', release.version ? code(release.version) : '— (not versioned in this environment)'],
      ['Running there now', release.previousSha ? code(shortSha(release.previousSha)) : '— (first release)'],
      [
        'Deployment',
        release.deploymentId !== undefined ? `${code(String(release.deploymentId))} (queued)` : '— (dry run)',
      ],
      ['Run', link('workflow run', release.runUrl)],
    ],
  );

  const changes =
    release.totalChanges === 0
      ? 'No commits change: this commit is already the release in this environment.'
      : [
          `### Changes (${release.totalChanges} commit${release.totalChanges === 1 ? '' : 's'})`,
          '',
          ...release.changes
            .slice(0, LISTED_CHANGES)
            .map(
              (change) =>
                `- ${link(shortSha(change.sha), change.htmlUrl)} ${text(change.subject)}` +
                (change.authorLogin ? ` (${text(change.authorLogin)})` : ''),
            ),
          ...(release.totalChanges > Math.min(release.changes.length, LISTED_CHANGES)
            ? [`- …and ${release.totalChanges - Math.min(release.changes.length, LISTED_CHANGES)} more`]
            : []),
        ].join('\n');

  const next = release.dryRun
    ? 'Nothing was written to GitHub. Run again without `dry-run` to prepare the release.'
    : `Next: deploy it with \`deploy-env\`, check it with \`verify\`, then \`accept\` it in ${text(release.environment)}` +
      (release.nextEnvironment
        ? `; once accepted it may be promoted to ${text(release.nextEnvironment)}.`
        : '.');

  return [title, '', facts, '', changes, '', next, ''].join('\n');
}
