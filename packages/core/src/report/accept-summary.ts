import type { AcceptResult } from '../use-cases/accept.js';
import { markdownCell, markdownCode, markdownText } from '../text/escape.js';
import { link, shortSha, table } from './markdown.js';

/** The job summary of accept: what is now accepted where, who approved, and what comes next. */
export function acceptSummary(result: AcceptResult): string {
  const what = result.version ?? shortSha(result.sha);
  const approvers =
    result.approvals.length > 0
      ? result.approvals
          .map(
            (approval) =>
              `${markdownCell(approval.user)}${approval.comment ? `: “${markdownCell(approval.comment)}”` : ''}`,
          )
          .join('<br>')
      : '— (no approval recorded in this run)';
  const rows = [
    ['Version', result.version ? markdownCode(result.version) : '—'],
    ['Commit', markdownCode(shortSha(result.sha))],
    ['Replaces', result.replacedSha ? markdownCode(shortSha(result.replacedSha)) : '— (first release)'],
    ['Prepared by', markdownCell(result.preparedBy)],
    ['Approved by', approvers],
    ['Deployment', markdownCode(String(result.deployment.id))],
    [
      'GitHub Release',
      result.releaseUrl
        ? `${link(result.version ?? 'release', result.releaseUrl)}${result.releaseFinal ? ' — now final and latest' : ' (prerelease)'}`
        : '—',
    ],
    ...overrideRows(result),
    ['Run', link('workflow run', result.runUrl)],
  ];
  const next = result.nextEnvironment
    ? `**Next:** ${markdownText(what)} may now be promoted to ${markdownCode(result.nextEnvironment)} with \`prepare-release\`.`
    : `${markdownText(what)} is live in the last environment: the promotion is complete.`;
  return [
    `## ✅ ${markdownText(what)} accepted in ${markdownText(result.environment)}${result.dryRun ? ' (dry run: nothing recorded)' : ''}`,
    '',
    table(['Environment', markdownCode(result.environment)], rows),
    '',
    next,
    '',
  ].join('\n');
}

/**
 * What `force` overrode, each with the reason given: the freeze window ("Freeze overridden") and what was
 * missing of the verification ("Verification overridden").
 */
function overrideRows(result: AcceptResult): string[][] {
  const rows: string[][] = [];
  const { reason } = result;
  const because = reason ? `; reason: ${markdownCell(reason)}` : '';
  if (result.freezeOverride) {
    // The freeze override names the window and then the reason: say the reason once.
    const suffix = reason ? `: ${reason}` : undefined;
    const window =
      suffix && result.freezeOverride.endsWith(suffix)
        ? result.freezeOverride.slice(0, -suffix.length)
        : result.freezeOverride;
    rows.push(['Freeze', `⚠️ Freeze overridden: ${markdownCell(window)}${because}`]);
  }
  if (result.verificationOverride) {
    rows.push([
      'Verification',
      `⚠️ Verification overridden: ${markdownCell(result.verificationOverride)}${because}`,
    ]);
  }
  return rows;
}
