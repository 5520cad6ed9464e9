/**
 * The job summary of an action that failed: which action, for which environment, what was refused or went wrong,
 * why, and how to fix it, so the reason is on the run's page and not only in one log line. Every piece of text
 * that may carry untrusted input (the environment input, GitHub's messages) is escaped.
 */
import { ConflictError, RefWriteRefusedError, TransientError, UserError } from '../errors.js';
import { code, text } from '../report/markdown.js';

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

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
function codeBlock(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${content.replace(/\r/g, '')}\n${fence}`;
}

/** The lines that say what to do, for each kind of error. */
function whatToDo(error: unknown): string[] {
  if (error instanceof RefWriteRefusedError) {
    return [
      `**Refused:** writing ${code(error.ref)}`,
      '',
      `**Why:** GitHub answered “${text(error.githubMessage)}”`,
      '',
      `**How to fix it:** ${text(error.fix)}`,
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  const heading =
    error instanceof TransientError ? '**What to do:**' : '**What went wrong and how to fix it:**';
  return [`${heading} ${text(message)}`];
}

/** The Markdown of the failure summary. */
export function failureSummary(report: FailureReport): string {
  const where = report.environment ? ` in ${code(report.environment)}` : '';
  const lines = [
    `### ❌ ${code(report.action)}${where} ${outcome(report.error)}`,
    '',
    ...whatToDo(report.error),
  ];
  const hint = report.error instanceof UserError ? report.error.hint : undefined;
  if (hint) lines.push('', codeBlock(hint));
  return `${lines.join('\n')}\n`;
}
