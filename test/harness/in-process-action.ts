import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../packages/core/src/logger.js';
import type { ActionDefinition } from '../../packages/core/src/runtime/action-definition.js';
import type { ActionHost } from '../../packages/core/src/runtime/action-host.js';
import { runAction } from '../../packages/core/src/runtime/run-action.js';
import type { BaseRequest } from '../../packages/core/src/use-cases/use-case.js';
import { readActionMetadata } from './action-metadata.js';
import { TEST_TOKEN, type ActionResult, type RunActionOptions } from './run-action.js';

/**
 * Runs an action's definition in this process through the same runner as its bundle (`runAction`), with a host
 * that reads the step's inputs (with the defaults of its action.yml, as the runner applies them) and records
 * outputs, summary, log and the failure. Proves what the bundle proves except the runner's own plumbing
 * (`INPUT_*` variables, output files, the exit code of a process), which the bundle tests keep proving.
 */
export async function runActionInProcess<Request extends BaseRequest, Result>(
  definition: ActionDefinition<Request, Result>,
  options: RunActionOptions,
): Promise<ActionResult> {
  const metadata = readActionMetadata(definition.name);
  const token = options.token ?? TEST_TOKEN;
  const inputs = new Map<string, string>();
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined)
      inputs.set(name, String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, token));
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) inputs.set(name, value);
  const scratch = mkdtempSync(join(tmpdir(), `in-process-${definition.name}-`));
  const env: Record<string, string> = {
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: options.repository,
    GITHUB_SHA: options.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: String(options.runId ?? 1000),
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_ACTOR: options.actor ?? 'octocat',
    GITHUB_WORKFLOW: 'Promote',
    GITHUB_JOB: 'promote',
    GITHUB_WORKSPACE: options.workspace ?? scratch,
    GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
    ...options.env,
  };
  const log: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => log.push(message),
    warning: (message) => log.push(`::warning::${message}`),
    error: (message) => log.push(`::error::${message}`),
  };
  const outputs: Record<string, string> = {};
  const errors: string[] = [];
  let summary = '';
  const host: ActionHost = {
    input: (name) => (inputs.get(name) ?? '').trim(),
    env,
    logger,
    setSecret: () => undefined,
    setOutput: (name, value) => (outputs[name] = value),
    appendSummary: async (markdown) => void (summary += markdown),
    setFailed: (message) => void errors.push(message),
  };
  try {
    await runAction(definition, host);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const stdout = [...log, ...errors.map((message) => `::error::${message}`)].join('\n');
  return {
    exitCode: errors.length > 0 ? 1 : 0,
    outputs,
    summary,
    stdout,
    stderr: '',
    errors,
    env,
    timedOut: false,
  };
}
