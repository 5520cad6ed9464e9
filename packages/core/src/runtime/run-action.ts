import * as actionsCore from '@actions/core';
import { describeError, UserError } from '../errors.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { toActionableError } from '../github/api-error.js';
import type { Logger } from '../logger.js';
import { inertLogText } from '../report/log-text.js';
import { failureSummary } from './failure-summary.js';
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

/**
 * A logger writing to the runner log through `@actions/core`. Lines of `info` and `debug` that would read as
 * workflow commands are made inert; `warning` and `error` become annotations, whose text `@actions/core`
 * escapes itself.
 */
export const actionsLogger: Logger = {
  debug: (message) => actionsCore.debug(inertLogText(message)),
  info: (message) => actionsCore.info(inertLogText(message)),
  warning: (message) => actionsCore.warning(message),
  error: (message) => actionsCore.error(message),
};

/**
 * Runs an action's body with its runtime and turns any failure into one `::error::` line, a job summary saying
 * what was refused or failed and how to fix it, and exit code 1. GitHub API errors become messages that say what
 * to do (the permissions of this action, wrong repository, re-run).
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
        return createGitHubClient({
          token,
          baseUrl: context?.apiUrl,
          logger: actionsLogger,
          ...clientTuning(process.env),
        });
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
    const error = context ? toActionableError(caught, { ...context, action: name }) : caught;
    // The whole story for debug logs (ACTIONS_STEP_DEBUG): the original error and its stack. Request errors
    // carry no headers here (Octokit redacts authorization), and the token is masked besides.
    if (caught instanceof Error) actionsLogger.debug(`${name} failed: ${caught.stack ?? caught.message}`);
    if (error !== caught && error instanceof Error) actionsLogger.debug(`reported as: ${error.message}`);
    await writeFailureSummary(name, error);
    actionsCore.setFailed(`${name}: ${describeError(error)}`);
  }
}

/**
 * Appends the failure summary to the job summary (`GITHUB_STEP_SUMMARY`), where people look first. A summary
 * that cannot be written is only logged: the error line and exit code 1 must still follow.
 */
async function writeFailureSummary(name: string, error: unknown): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const environment = actionsCore.getInput('environment') || undefined;
    await actionsCore.summary.addRaw(failureSummary({ action: name, environment, error }), true).write();
  } catch (failure) {
    actionsLogger.debug(`The failure summary could not be written: ${String(failure)}`);
  }
}

/**
 * Client timings a workflow (or the test suite) may tune through environment variables:
 * `RELEASE_PROMOTION_REQUEST_TIMEOUT_MS` (default 30000) and `RELEASE_PROMOTION_RETRY_UNIT_MS` (how long one
 * second of a retry wait lasts, default 1000). Invalid values are refused.
 */
export function clientTuning(env: NodeJS.ProcessEnv): { requestTimeoutMs?: number; retryUnitMs?: number } {
  const read = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UserError(
        `The environment variable ${name} is '${raw}'; set a whole number from ${min} to ${max}, or unset it.`,
      );
    }
    return value;
  };
  const requestTimeoutMs = read('RELEASE_PROMOTION_REQUEST_TIMEOUT_MS', 100, 600_000);
  const retryUnitMs = read('RELEASE_PROMOTION_RETRY_UNIT_MS', 1, 60_000);
  return {
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(retryUnitMs !== undefined ? { retryUnitMs } : {}),
  };
}
