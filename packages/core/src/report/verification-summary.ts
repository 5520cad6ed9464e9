import type { CheckReport, VerificationReport } from '../checks/run-verification.js';
import { markdownCell, markdownCode, markdownLiteralLine, markdownText } from '../text/escape.js';
import { link, table } from './markdown.js';

/** How much of a command or a Prometheus query is shown in the Target column. */
const TARGET_LENGTH = 100;

/**
 * The job summary of verify: the outcome, one row per check, the bake time, the output of failed command checks
 * and what happens next. A Prometheus check shows its query (in code) and, as its last message, the reading
 * (e.g. `0.0123 (not below 0.01)`). Names, URLs, commands, queries, messages and output come from configuration
 * or from the checked service, so all of them are escaped.
 */
export function verificationSummary(
  report: VerificationReport,
  context: { environment: string; deploymentId?: number },
): string {
  const passed = report.result === 'passed';
  const title = `## ${passed ? '✅ Verification passed' : '❌ Verification failed'} in ${markdownText(context.environment)}`;
  const facts = [
    context.deploymentId !== undefined
      ? `Deployment ${markdownCode(String(context.deploymentId))}`
      : undefined,
    `${report.checks.length} check${report.checks.length === 1 ? '' : 's'}`,
    `took ${duration(report.durationMs)}`,
    `started ${markdownCode(report.startedAt)}`,
  ]
    .filter((fact) => fact !== undefined)
    .join(' · ');

  const rows = table(
    ['Check', 'Target', 'Result', 'Attempts', 'Latency', 'Last message'],
    report.checks.map((check) => [
      markdownCell(check.name),
      target(check),
      result(check),
      String(check.attempts),
      check.latencyMs !== undefined ? `${check.latencyMs} ms` : '—',
      markdownCell(check.lastMessage),
    ]),
  );

  const outputs = report.checks
    .filter((check) => !check.passed && check.kind === 'command' && check.output && check.output.length > 0)
    .map((check) =>
      [
        `<details><summary>Output of ${markdownText(check.name)} (last ${check.output?.length ?? 0} lines)</summary>`,
        '',
        ...(check.output ?? []).map(outputLine),
        '',
        '</details>',
      ].join('\n'),
    );

  const next = passed
    ? `Next: \`accept\` can accept this deployment in ${markdownText(context.environment)}.`
    : 'Next: `accept` will refuse this deployment; roll back with the `rollback` action ' +
      '(e.g. a step with `if: failure()`), or fix the cause and deploy again.';

  return [
    title,
    '',
    facts,
    '',
    rows,
    '',
    bakeLine(report),
    '',
    ...outputs.flatMap((output) => [output, '']),
    next,
    '',
  ].join('\n');
}

/** One line of command output, shown as it is (see `markdownLiteralLine`), then a line break. */
function outputLine(line: string): string {
  return `${markdownLiteralLine(line)}<br>`;
}

/** The Target cell: the URL as a link, the command (its lines joined by ⏎), or the Prometheus query in code. */
function target(check: CheckReport): string {
  switch (check.kind) {
    case 'http':
      return link(shorten(check.target, TARGET_LENGTH), check.target);
    case 'command':
      return markdownCell(shorten(check.target.trim().replace(/\s*\n\s*/g, ' ⏎ '), TARGET_LENGTH));
    case 'prometheus':
      return markdownCode(shorten(check.target.trim().replace(/\s+/g, ' '), TARGET_LENGTH));
  }
}

function result(check: CheckReport): string {
  if (check.attempts === 0) return '— not run';
  return check.passed ? '✅ passed' : '❌ failed';
}

function bakeLine(report: VerificationReport): string {
  if (report.bakeTimeMs <= 0) return 'Bake time: none (`bake-time` not set).';
  const asked = duration(report.bakeTimeMs);
  if (report.failedIn === 'checks') return `Bake time: ${asked}, not started because a check never passed.`;
  const rounds = `${report.rounds} round${report.rounds === 1 ? '' : 's'}`;
  if (report.failedIn === 'bake')
    return `Bake time: ${asked}; a check failed in round ${report.rounds}, so verification stopped.`;
  return `Bake time: ${asked}; every check passed in each of ${rounds}.`;
}

/** `850 ms`, `42 s`, `12 min`, `3.5 h`. */
function duration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 120) return `${round(seconds)} s`;
  if (seconds < 7200) return `${round(seconds / 60)} min`;
  return `${round(seconds / 3600)} h`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}

function shorten(value: string, length: number): string {
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
