import { describeError, errorKind, UserError } from '../errors.js';
import { createGitHubClient } from '../github/client.js';
import { toActionableError } from '../github/api-error.js';
import { readRunContext, type RunContext } from '../run-context.js';
import { SUITE_ISSUES_URL } from '../suite.js';
import { runUseCase, type BaseRequest } from '../use-cases/use-case.js';
import { readCommonInputs } from './action-inputs.js';
import type { ActionDefinition, ActionReport } from './action-definition.js';
import { runnerHost, type ActionHost } from './action-host.js';
import { setUpAction } from './action-setup.js';
import { failureSummary } from './failure-summary.js';

/**
 * Runs an action from its definition, the same way for all six: reads each input once into the request
 * (validated before anything is read from GitHub), registers the token as a secret and builds the client, loads
 * the configuration and the state in one request, runs the use-case, and reports its outputs and summary. Any
 * failure becomes one `::error::` line, a job summary saying what was refused or failed and how to fix it, and
 * exit code 1 — each kind of error reported its own way ({@link failureLine}).
 */
export async function runAction<Request extends BaseRequest, Result>(
  definition: ActionDefinition<Request, Result>,
  host: ActionHost = runnerHost(),
): Promise<void> {
  let context: RunContext | undefined;
  try {
    context = readRunContext(host.env);
    const inputs = readCommonInputs(host.input, definition);
    const request = definition.parse(host.input, inputs, context);
    host.setSecret(inputs.token);
    const client = createGitHubClient({
      token: inputs.token,
      baseUrl: context.apiUrl,
      logger: host.logger,
      ...clientTuning(host.env),
    });
    const known = context;
    const dependencies = await setUpAction(host, {
      context,
      inputs,
      client,
      snapshot: (config) => definition.useCase.plan(config, request, known),
    });
    const result = await runUseCase(definition.useCase, dependencies, request);
    await report(host, definition.name, definition.report(result, context));
  } catch (caught) {
    await reportFailure(host, definition.name, context, caught);
  }
}

/** Sets the outputs, appends the summary, and fails the step when the report says so. */
async function report(host: ActionHost, name: string, { outputs, summary, failure }: ActionReport) {
  for (const [output, value] of Object.entries(outputs)) {
    host.setOutput(output, value === undefined ? '' : String(value));
  }
  await host.appendSummary(summary);
  if (failure) host.setFailed(`${name}: ${failure}`);
}

/**
 * Reports a failure once: GitHub API errors become messages that say what to do (the permissions of this
 * action, wrong repository, re-run); the job summary says what was refused and how to fix it; the error line
 * ends the step with exit code 1.
 */
async function reportFailure(
  host: ActionHost,
  name: string,
  context: RunContext | undefined,
  caught: unknown,
): Promise<void> {
  const error = context ? toActionableError(caught, { ...context, action: name }) : caught;
  // The whole story for debug logs (ACTIONS_STEP_DEBUG): the original error and its stack. Request errors
  // carry no headers here (Octokit redacts authorization), and the token is masked besides.
  if (caught instanceof Error) host.logger.debug(`${name} failed: ${caught.stack ?? caught.message}`);
  if (error !== caught && error instanceof Error) host.logger.debug(`reported as: ${error.message}`);
  if (errorKind(error) === 'bug' && error instanceof Error && error.stack) host.logger.info(error.stack);
  try {
    const environment = host.input('environment') || undefined;
    if (host.env.GITHUB_STEP_SUMMARY) {
      await host.appendSummary(failureSummary({ action: name, environment, error }));
    }
  } catch (failure) {
    // A summary that cannot be written is only logged: the error line and exit code 1 must still follow.
    host.logger.debug(`The failure summary could not be written: ${String(failure)}`);
  }
  host.setFailed(failureLine(name, error));
}

/**
 * The error line of each kind: what to fix (user), what a re-run completes (transient), who won (conflict),
 * and for a bug, that it is one and where to report it (its stack is in the log just above).
 */
export function failureLine(name: string, error: unknown): string {
  const line = `${name}: ${describeError(error)}`;
  if (errorKind(error) !== 'bug') return line;
  return (
    `${line}\nThis is a bug in release-promotion, not a mistake in the workflow: please report it at ` +
    `${SUITE_ISSUES_URL} with this log (its stack is printed above).`
  );
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
