import type { DeployEnvironmentResult } from '../use-cases/deploy-env.js';
import { markdownCell, markdownCode, markdownCodeBlock, markdownText } from '../text/escape.js';
import { link, shortSha, table } from './markdown.js';
import { plannedRollout, rolloutTimeline } from './rollout-timeline.js';

const ICONS = { in_progress: '⏳', success: '✅', failure: '❌' } as const;

/** What the heading says happened: deployed, deploying, failed to deploy, or how a rollout ended. */
function headingVerb(result: DeployEnvironmentResult): string {
  const rollout = result.rollout;
  if (rollout?.failure) {
    const at = `at step ${rollout.failure.step.number}/${rollout.failure.step.count}`;
    if (rollout.halted) return `halted ${at} of its rollout in`;
    return `${rollout.rolledBack ? 'rolled back' : 'failed'} ${at} of its rollout in`;
  }
  if (result.status === 'failure') return 'failed to deploy to';
  return result.status === 'success' ? 'deployed to' : 'deploying to';
}

/** The job summary of deploy-env. */
export function deployEnvironmentSummary(result: DeployEnvironmentResult): string {
  const release = result.deployment.release;
  const what = release?.version ?? shortSha(result.deployment.sha);
  const rows = [
    ['Deployment', markdownCode(String(result.deployment.id))],
    ['Commit', markdownCode(shortSha(result.deployment.sha))],
    ['Status', `${ICONS[result.status]} ${markdownCode(result.status)}`],
    ['Environment URL', result.environmentUrl ? link(result.environmentUrl, result.environmentUrl) : '—'],
    ...(result.freezeOverride
      ? [['Freeze', `⚠️ overridden with force: ${markdownCell(result.freezeOverride)}`]]
      : []),
    ['Run', link('workflow run', result.runUrl)],
  ];
  if (result.command) {
    rows.push([
      'Deploy command',
      result.command.startError
        ? `could not start: ${markdownText(result.command.startError)}`
        : result.command.timedOut
          ? `killed after ${Math.round(result.command.durationMs / 100) / 10} s (timed out)`
          : `exit code ${markdownCode(String(result.command.exitCode ?? result.command.signal ?? 'none'))} after ${Math.round(result.command.durationMs / 100) / 10} s`,
    ]);
  }
  const lines = [
    `## ${ICONS[result.status]} ${markdownText(what)} ${headingVerb(result)} ${markdownText(result.environment)}${result.dryRun ? ' (dry run: nothing recorded)' : ''}`,
    '',
    table(['Environment', markdownCode(result.environment)], rows),
    '',
  ];
  if (result.rollout) lines.push(rolloutTimeline(result.rollout));
  else if (result.rolloutPlan && result.dryRun) {
    lines.push(plannedRollout(result.rolloutPlan.strategy, result.rolloutPlan.steps));
  }
  if (result.command && result.command.exitCode !== 0 && result.command.tail.length > 0) {
    lines.push(
      'Last lines of the deploy command:',
      '',
      markdownCodeBlock(result.command.tail.join('\n')),
      '',
    );
  }
  lines.push(
    result.status === 'failure'
      ? result.rollout?.failure
        ? '**Next:** fix the release and prepare a newer one; this one is held in the environment.'
        : '**Next:** fix the deployment and run it again, or roll back with `rollback`.'
      : result.status === 'success'
        ? `**Next:** verify it with \`verify\`, then \`accept\` it in ${markdownCode(result.environment)}.`
        : '**Next:** record the outcome with `deploy-env` (`status: success` or `failure`).',
    '',
  );
  return lines.join('\n');
}
