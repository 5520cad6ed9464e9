/**
 * The job summary of an action that failed: which action, for which environment, what was refused or went wrong,
 * why, and how to fix it, so the reason is on the run's page and not only in one log line. Every piece of text
 * that may carry untrusted input (the environment input, GitHub's messages) is escaped.
 */
import { ConflictError, RefWriteRefusedError, TransientError, UserError } from '../errors.js';
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

/** `refused` for what the workflow can fix, `lost a race` for a conflict, `failed` otherwise. */
function outcome(error: unknown): string {
  if (error instanceof ConflictError) return 'stopped: another run changed the environment first';
  if (error instanceof UserError) return 'was refused';
  return 'failed';
}

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
  const heading =
    error instanceof TransientError ? '**What to do:**' : '**What went wrong and how to fix it:**';
  return [`${heading} ${markdownText(message)}`];
}

/** The Markdown of the failure summary. */
export function failureSummary(report: FailureReport): string {
  const where = report.environment ? ` in ${markdownCode(report.environment)}` : '';
  const lines = [
    `### ❌ ${markdownCode(report.action)}${where} ${outcome(report.error)}`,
    '',
    ...whatToDo(report.error),
  ];
  const hint = report.error instanceof UserError ? report.error.hint : undefined;
  if (hint) lines.push('', markdownCodeBlock(hint));
  return `${lines.join('\n')}\n`;
}
