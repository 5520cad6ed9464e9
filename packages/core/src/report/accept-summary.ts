import type { AcceptResult } from '../use-cases/accept.js';
import { cell, code, link, shortSha, table, text } from './markdown.js';

/** The job summary of accept: what is now accepted where, who approved, and what comes next. */
export function acceptSummary(result: AcceptResult): string {
  const what = result.version ?? shortSha(result.sha);
  const approvers =
    result.approvals.length > 0
      ? result.approvals
          .map(
            (approval) => `${cell(approval.user)}${approval.comment ? `: “${cell(approval.comment)}”` : ''}`,
          )
          .join('<br>')
      : '— (no approval recorded in this run)';
  const rows = [
    ['Version', result.version ? code(result.version) : '—'],
    ['Commit', code(shortSha(result.sha))],
    ['Replaces', result.replacedSha ? code(shortSha(result.replacedSha)) : '— (first release)'],
    ['Prepared by', cell(result.preparedBy)],
    ['Approved by', approvers],
    ['Deployment', code(String(result.deployment.id))],
    [
      'GitHub Release',
      result.releaseUrl
        ? `${link(result.version ?? 'release', result.releaseUrl)}${result.releaseFinal ? ' — now final and latest' : ' (prerelease)'}`
        : '—',
    ],
    ...(result.freezeOverride
      ? [['Freeze', `⚠️ overridden with force: ${cell(result.freezeOverride)}`]]
      : []),
    ['Run', link('workflow run', result.runUrl)],
  ];
  const next = result.nextEnvironment
    ? `**Next:** ${text(what)} may now be promoted to ${code(result.nextEnvironment)} with \`prepare-release\`.`
    : `${text(what)} is live in the last environment: the promotion is complete.`;
  return [
    `## ✅ ${text(what)} accepted in ${text(result.environment)}${result.dryRun ? ' (dry run: nothing recorded)' : ''}`,
    '',
    table(['Environment', code(result.environment)], rows),
    '',
    next,
    '',
  ].join('\n');
}
