import * as actionsCore from '@actions/core';
import type { Logger } from '../logger.js';
import { inertWorkflowCommands } from '../text/escape.js';
import type { InputReader } from './action-inputs.js';

/**
 * What an action needs of the process it runs in: its inputs, the runner's variables, a log, the outputs, the
 * job summary and the failed mark. The runner's is {@link runnerHost}; tests pass their own and run an action
 * in-process.
 */
export interface ActionHost {
  /** Reads an input, trimmed; empty when not given. */
  input: InputReader;
  /** The runner's `GITHUB_*` variables and the suite's tuning variables. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Masks a value in the log (the token, before any request). */
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>;
  /** Marks the step failed (exit code 1) with one error line. */
  setFailed(message: string): void;
}

/**
 * A logger writing to the runner log through `@actions/core`. Lines of `info` and `debug` that would read as
 * workflow commands are made inert; `warning` and `error` become annotations, whose text `@actions/core`
 * escapes itself.
 */
export const actionsLogger: Logger = {
  debug: (message) => actionsCore.debug(inertWorkflowCommands(message)),
  info: (message) => actionsCore.info(inertWorkflowCommands(message)),
  warning: (message) => actionsCore.warning(message),
  error: (message) => actionsCore.error(message),
};

/** The GitHub runner: inputs from `INPUT_<NAME>`, outputs, summary and failure through `@actions/core`. */
export function runnerHost(): ActionHost {
  return {
    input: (name) => actionsCore.getInput(name),
    env: process.env,
    logger: actionsLogger,
    setSecret: (value) => actionsCore.setSecret(value),
    setOutput: (name, value) => actionsCore.setOutput(name, value),
    appendSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) {
        actionsLogger.debug('GITHUB_STEP_SUMMARY is not set; the summary is printed instead.');
        actionsLogger.info(markdown);
        return;
      }
      await actionsCore.summary.addRaw(markdown, true).write();
    },
    setFailed: (message) => actionsCore.setFailed(message),
  };
}
