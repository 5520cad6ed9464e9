import type { ReleaseRef } from '../state/deployment-payload.js';
import type { RollbackResult } from '../use-cases/rollback.js';
import { markdownCell, markdownCode, markdownText } from '../text/escape.js';
import { link, shortSha, table } from './markdown.js';

const label = (release: ReleaseRef) =>
  release.version
    ? `${markdownCode(release.version)} ${markdownCode(shortSha(release.sha))}`
    : markdownCode(shortSha(release.sha));

/** The job summary of rollback. */
export function rollbackSummary(result: RollbackResult): string {
  const failed = result.command !== undefined && result.command.exitCode !== 0;
  const rows = [
    ['Back on', label(result.target)],
    ['Rolled back', label(result.rolledBack)],
    ['Reason', markdownCell(result.reason)],
    [
      'Rollback deployment',
      result.deploymentId !== undefined ? markdownCode(String(result.deploymentId)) : '—',
    ],
    ['Run', link('workflow run', result.runUrl)],
  ];
  const title = failed
    ? `## ❌ Rollback of ${markdownText(result.environment)} failed: the redeploy command exited ${result.command?.exitCode ?? 'without a code'}`
    : `## ↩️ ${markdownText(result.environment)} rolled back${result.dryRun ? ' (dry run: nothing recorded)' : ''}`;
  const after = failed
    ? 'The environment tag was not moved. Fix the redeploy and run the rollback again.'
    : `The release rolled back is marked in ${markdownCode(result.environment)}: \`prepare-release\` refuses it there again unless given \`force: true\` and a \`reason\`.`;
  return [title, '', table(['Environment', markdownCode(result.environment)], rows), '', after, ''].join(
    '\n',
  );
}
