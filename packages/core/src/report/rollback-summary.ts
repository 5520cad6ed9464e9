import type { ReleaseRef } from '../state/deployment-payload.js';
import type { RollbackResult } from '../use-cases/rollback.js';
import { cell, code, link, shortSha, table, text } from './markdown.js';

const label = (release: ReleaseRef) =>
  release.version ? `${code(release.version)} ${code(shortSha(release.sha))}` : code(shortSha(release.sha));

/** The job summary of rollback. */
export function rollbackSummary(result: RollbackResult): string {
  const failed = result.command !== undefined && result.command.exitCode !== 0;
  const rows = [
    ['Back on', label(result.target)],
    ['Rolled back', label(result.rolledBack)],
    ['Reason', cell(result.reason)],
    ['Rollback deployment', result.deploymentId !== undefined ? code(String(result.deploymentId)) : '—'],
    ['Run', link('workflow run', result.runUrl)],
  ];
  const title = failed
    ? `## ❌ Rollback of ${text(result.environment)} failed: the redeploy command exited ${result.command?.exitCode ?? 'without a code'}`
    : `## ↩️ ${text(result.environment)} rolled back${result.dryRun ? ' (dry run: nothing recorded)' : ''}`;
  const after = failed
    ? 'The environment tag was not moved. Fix the redeploy and run the rollback again.'
    : `The release rolled back is marked in ${code(result.environment)}: \`prepare-release\` refuses it there again unless given \`force: true\` and a \`reason\`.`;
  return [title, '', table(['Environment', code(result.environment)], rows), '', after, ''].join('\n');
}
