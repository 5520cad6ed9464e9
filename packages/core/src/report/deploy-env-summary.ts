import type { DeployEnvironmentResult } from '../use-cases/deploy-env.js';
import { cell, code, link, shortSha, table, text } from './markdown.js';

const ICONS = { in_progress: '⏳', success: '✅', failure: '❌' } as const;

/** The job summary of deploy-env. */
export function deployEnvironmentSummary(result: DeployEnvironmentResult): string {
  const release = result.deployment.release;
  const what = release?.version ?? shortSha(result.deployment.sha);
  const rows = [
    ['Deployment', code(String(result.deployment.id))],
    ['Commit', code(shortSha(result.deployment.sha))],
    ['Status', `${ICONS[result.status]} ${code(result.status)}`],
    ['Environment URL', result.environmentUrl ? link(result.environmentUrl, result.environmentUrl) : '—'],
    ...(result.freezeOverride
      ? [['Freeze', `⚠️ overridden with force: ${cell(result.freezeOverride)}`]]
      : []),
    ['Run', link('workflow run', result.runUrl)],
  ];
  if (result.command) {
    rows.push([
      'Deploy command',
      result.command.startError
        ? `could not start: ${text(result.command.startError)}`
        : result.command.timedOut
          ? `killed after ${Math.round(result.command.durationMs / 100) / 10} s (timed out)`
          : `exit code ${code(String(result.command.exitCode ?? result.command.signal ?? 'none'))} after ${Math.round(result.command.durationMs / 100) / 10} s`,
    ]);
  }
  const lines = [
    `## ${ICONS[result.status]} ${text(what)} ${result.status === 'failure' ? 'failed to deploy to' : result.status === 'success' ? 'deployed to' : 'deploying to'} ${text(result.environment)}${result.dryRun ? ' (dry run: nothing recorded)' : ''}`,
    '',
    table(['Environment', code(result.environment)], rows),
    '',
  ];
  if (result.command && result.command.exitCode !== 0 && result.command.tail.length > 0) {
    lines.push(
      'Last lines of the deploy command:',
      '',
      '```text',
      ...result.command.tail.map((l) => l.replace(/```/g, "'''")),
      '```',
      '',
    );
  }
  lines.push(
    result.status === 'failure'
      ? '**Next:** fix the deployment and run it again, or roll back with `rollback`.'
      : result.status === 'success'
        ? `**Next:** verify it with \`verify\`, then \`accept\` it in ${code(result.environment)}.`
        : '**Next:** record the outcome with `deploy-env` (`status: success` or `failure`).',
    '',
  );
  return lines.join('\n');
}
