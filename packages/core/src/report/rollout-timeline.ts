/**
 * The timeline of a rollout in deploy-env's job summary: each step, what its command did, the readings of the
 * checks watched during its pause, and how it ended; then what was undone.
 */
import { formatDuration } from '../checks/http-check.js';
import type { CheckReport, VerificationReport } from '../checks/run-verification.js';
import type { ShellCommandResult } from '../commands/run-shell-command.js';
import { durationText } from '../chain/duration.js';
import type { RolloutStep } from '../rollout/rollout-steps.js';
import type { RolloutOutcome, StepRecord } from '../rollout/run-rollout.js';
import { markdownCell, markdownCode, markdownText } from '../text/escape.js';
import { table } from './markdown.js';

const OUTCOME_ICONS: Record<StepRecord['outcome'], string> = {
  passed: '✅ done',
  failed: '❌ failed',
  resumed: '↩️ done in an earlier attempt',
  skipped: '⏭️ not reached',
};

/** The rollout section of the summary: a table of the steps, then the outcome in one sentence. */
export function rolloutTimeline(outcome: RolloutOutcome): string {
  const rows = outcome.steps.map((record) => [
    `${record.step.number}/${record.step.count}`,
    markdownCell(stepWhat(record.step)),
    commandCell(record.command),
    watchCell(record),
    OUTCOME_ICONS[record.outcome],
  ]);
  if (outcome.rollback) rows.push(rollbackRow(outcome.rollback));
  const lines = [
    `### Rollout (${markdownText(outcome.strategy)}): ${outcome.completed} of ${outcome.steps.length} steps completed`,
    '',
    table(['Step', 'What', 'Command', 'Checks during the pause', 'Outcome'], rows),
    '',
    outcomeSentence(outcome),
    '',
  ];
  return lines.join('\n');
}

/** The planned steps of a dry run: what would run. */
export function plannedRollout(strategy: string, steps: readonly RolloutStep[]): string {
  const rows = steps.map((step) => [
    `${step.number}/${step.count}`,
    markdownCell(stepWhat(step)),
    step.pauseMs > 0 ? `watch ${durationText(step.pauseMs)}` : '—',
  ]);
  return [
    `### Rollout (${markdownText(strategy)}): ${steps.length} steps planned`,
    '',
    table(['Step', 'What', 'Pause'], rows),
    '',
  ].join('\n');
}

function stepWhat(step: RolloutStep): string {
  const pause = step.pauseMs > 0 ? `, then watch ${durationText(step.pauseMs)}` : '';
  return `${step.action === 'switch' ? '' : 'deploy: '}${step.label}${pause}`.replace(
    /^deploy: deploy to /,
    'deploy to ',
  );
}

/** The row of the rollback command: what it was told, and whether it undid the steps. */
function rollbackRow(rollback: NonNullable<RolloutOutcome['rollback']>): string[] {
  const told = ['RELEASE_ACTION', 'RELEASE_WEIGHT', 'RELEASE_TARGETS', 'RELEASE_SLOT']
    .filter((name) => rollback.variables[name] !== undefined)
    .map((name) => `${name}=${rollback.variables[name] ?? ''}`)
    .join(' ');
  const undone = rollback.command.exitCode === 0 ? '↩️ undone' : '❌ rollback failed';
  return ['undo', markdownCell(told), commandCell(rollback.command), '—', undone];
}

function commandCell(command: ShellCommandResult | undefined): string {
  if (!command) return '—';
  if (command.startError) return `could not start: ${markdownCell(command.startError)}`;
  if (command.timedOut) return 'timed out';
  const exit = command.exitCode ?? command.signal ?? 'none';
  return `exit ${markdownCode(String(exit))} in ${formatDuration(command.durationMs)}`;
}

function watchCell(record: StepRecord): string {
  const watch: VerificationReport | undefined = record.watch;
  if (!watch) return record.step.pauseMs > 0 && record.outcome === 'passed' ? 'no checks: waited' : '—';
  const readings = watch.checks.map((check) => `${check.passed ? '✓' : '✗'} ${markdownCell(reading(check))}`);
  const rounds = watch.rounds + 1;
  return `${readings.join('<br>')}<br>${rounds} round${rounds === 1 ? '' : 's'} in ${formatDuration(watch.durationMs)}`;
}

function reading(check: CheckReport): string {
  const text = `${check.name}: ${check.lastMessage}`;
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function outcomeSentence(outcome: RolloutOutcome): string {
  const failure = outcome.failure;
  if (!failure) return '**Outcome:** every step completed; the release serves all of the environment.';
  const where = `step ${failure.step.number}/${failure.step.count} (${markdownText(failure.step.label)})`;
  const why = markdownText(failure.reason);
  if (outcome.halted) {
    return `**Outcome:** halted at ${where}: ${why}. Nothing was undone (\`on-failure: halt\`); the release is held.`;
  }
  if (outcome.rolledBack) {
    return `**Outcome:** failed at ${where}: ${why}. The rollback command undid the steps done; the release is held.`;
  }
  const rollback = outcome.rollback ? commandCell(outcome.rollback.command) : 'not run';
  return `**Outcome:** failed at ${where}: ${why}. The rollback command failed (${rollback}): undo the steps by hand.`;
}
