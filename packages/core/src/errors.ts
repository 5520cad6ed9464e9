/**
 * Errors that leave an action, in four kinds, each reported its own way (`errorKind`, `runtime/run-action.ts`):
 * - {@link UserError}: something the workflow author can fix (an input, a permission, the configuration, a
 *   rule refusing the request). Its message says what was wrong and how to fix it.
 * - {@link TransientError}: GitHub did not answer in time or at all; re-running the job completes the work.
 * - {@link ConflictError}: another run changed the environment first; nothing of this run's change was applied.
 * - anything else is a bug in the suite: reported as one, with its stack and where to report it.
 */

/** A mistake in the workflow, its inputs, configuration or permissions. The message says how to fix it. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  /** A short hint printed after the message, e.g. the YAML to add. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
  }
}

/** An input value that is missing or malformed. */
export class InputError extends UserError {
  override readonly name = 'InputError';

  constructor(
    readonly input: string,
    problem: string,
    howToFix: string,
  ) {
    super(`Input '${input}' ${problem}. ${howToFix}`);
  }
}

/** The token lacks a permission the request needs. */
export class PermissionError extends UserError {
  override readonly name = 'PermissionError';
}

/** Why GitHub refused a ref write, as far as its answer tells: the fix differs for each. */
export type RefWriteRefusalReason = 'workflows-permission' | 'ruleset' | 'permission' | 'other';

/**
 * GitHub refused to create or move a ref (a version or environment tag) and the ref is unchanged: not a race
 * with another run, but a rule of the repository or a permission of the token. The message says which ref, quotes
 * GitHub, and says how to fix it; a re-run after the fix completes the step.
 */
export class RefWriteRefusedError extends UserError {
  override readonly name = 'RefWriteRefusedError';

  constructor(
    /** The full ref name, `refs/tags/env/production`. */
    readonly ref: string,
    /** GitHub's own message, as it answered. */
    readonly githubMessage: string,
    /** How to fix it, one or two sentences. */
    readonly fix: string,
    readonly reason: RefWriteRefusalReason,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(`GitHub refused to write ${ref}: "${oneLine(githubMessage)}". ${fix}`, options);
  }
}

/** A message of GitHub's on one line (ruleset messages hold blank lines). */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** A failure that a retry or a re-run of the job is expected to get past. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/**
 * Another run changed the same environment first (its tag moved under this run's compare-and-swap). Nothing of
 * this run's change was applied; the message names the environment and the winner.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The full message for a log line: the message plus its hint, if any. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) {
    return error.hint ? `${error.message}\n${error.hint}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** How an error is reported: what the workflow can fix, what a re-run completes, a lost race, or a bug. */
export type ErrorKind = 'user' | 'transient' | 'conflict' | 'bug';

/** The kind of `error` (after GitHub's errors were turned into the suite's). */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof UserError) return 'user';
  if (error instanceof TransientError) return 'transient';
  if (error instanceof ConflictError) return 'conflict';
  return 'bug';
}
