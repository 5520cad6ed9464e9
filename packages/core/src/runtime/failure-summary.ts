/**
 * The job summary of an action that failed: which action, for which environment, what was refused or went wrong,
 * why, and how to fix it, so the reason is on the run's page and not only in one log line. Every piece of text
 * that may carry untrusted input (the environment input, GitHub's messages) is escaped.
 */
import { errorKind, RefWriteRefusedError, UserError } from '../errors.js';
import { SUITE_ISSUES_URL } from '../suite.js';
import { markdownCode, markdownCodeBlock, markdownText } from '../text/escape.js';

/** What {@link failureSummary} reports. */
export interface FailureReport {
  /** The action, `accept`. */
  action: string;
  /** The `environment` input, when the action has one and it was given. */
  environment: string | undefined;
  /** The error as reported (after `toActionableError`). */
  error: unknown;
}

/** How each kind of error ended the step. */
const OUTCOMES = {
  user: 'was refused',
  conflict: 'stopped: another run changed the environment first',
  transient: 'failed',
  bug: 'failed',
} as const;

/** The lines that say what to do, for each kind of error. */
function whatToDo(error: unknown): string[] {
  if (error instanceof RefWriteRefusedError) {
    return [
      `**Refused:** writing ${markdownCode(error.ref)}`,
      '',
      `**Why:** GitHub answered “${markdownText(error.githubMessage)}”`,
      '',
      `**How to fix it:** ${markdownText(error.fix)}`,
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = errorKind(error);
  if (kind === 'bug') {
    return [
      `**What went wrong:** ${markdownText(message)}`,
      '',
      `**This is a bug in release-promotion**, not a mistake in the workflow. Please report it at ` +
        `${SUITE_ISSUES_URL} with the step's log (its stack is printed there).`,
    ];
  }
  const heading = kind === 'transient' ? '**What to do:**' : '**What went wrong and how to fix it:**';
  return [`${heading} ${markdownText(message)}`];
}

/** The Markdown of the failure summary. */
export function failureSummary(report: FailureReport): string {
  const where = report.environment ? ` in ${markdownCode(report.environment)}` : '';
  const lines = [
    `### ❌ ${markdownCode(report.action)}${where} ${OUTCOMES[errorKind(report.error)]}`,
    '',
    ...whatToDo(report.error),
  ];
  const hint = report.error instanceof UserError ? report.error.hint : undefined;
  if (hint) lines.push('', markdownCodeBlock(hint));
  return `${lines.join('\n')}\n`;
}
