import * as actionsCore from '@actions/core';
import { describeError, UserError } from '../errors.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { toActionableError } from '../github/api-error.js';
import type { Logger } from '../logger.js';
import { readRunContext, type RunContext } from '../run-context.js';
import type { InputReader } from './action-inputs.js';

/** What an action's entry point gets from {@link runAction}. */
export interface ActionRuntime {
  /** Reads an input, trimmed; empty when not given. */
  input: InputReader;
  context: RunContext;
  logger: Logger;
  /** Builds the GitHub client for `token` (registered as a secret first). */
  github(token: string): GitHubClient;
  /** Sets an output. */
  setOutput(name: string, value: string | number | boolean | undefined): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /** Marks the step failed (exit code 1) with one error line, after outputs and summary were written. */
  fail(message: string): void;
}

/** A logger writing to the runner log through `@actions/core`. */
export const actionsLogger: Logger = {
  debug: (message) => actionsCore.debug(message),
  info: (message) => actionsCore.info(message),
  warning: (message) => actionsCore.warning(message),
  error: (message) => actionsCore.error(message),
};

/**
 * Runs an action's body with its runtime and turns any failure into one `::error::` line and exit code 1.
 * GitHub API errors become messages that say what to do (missing permission, wrong repository, re-run).
 */
export async function runAction(
  name: string,
  body: (runtime: ActionRuntime) => Promise<void>,
): Promise<void> {
  let context: RunContext | undefined;
  try {
    context = readRunContext();
    const runtime: ActionRuntime = {
      input: (inputName) => actionsCore.getInput(inputName),
      context,
      logger: actionsLogger,
      github: (token) => {
        actionsCore.setSecret(token);
        return createGitHubClient({ token, baseUrl: context?.apiUrl, logger: actionsLogger });
      },
      setOutput: (outputName, value) =>
        actionsCore.setOutput(outputName, value === undefined ? '' : String(value)),
      summary: async (markdown) => {
        if (!process.env.GITHUB_STEP_SUMMARY) {
          actionsLogger.debug('GITHUB_STEP_SUMMARY is not set; the summary is printed instead.');
          actionsCore.info(markdown);
          return;
        }
        await actionsCore.summary.addRaw(markdown, true).write();
      },
      fail: (message) => actionsCore.setFailed(`${name}: ${message}`),
    };
    await body(runtime);
  } catch (caught) {
    const error = context ? toActionableError(caught, context) : caught;
    if (!(error instanceof UserError) && error instanceof Error && error.stack) {
      actionsCore.debug(`${name} failed: ${error.stack}`);
    }
    actionsCore.setFailed(`${name}: ${describeError(error)}`);
  }
}
