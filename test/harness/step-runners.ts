import type { ActionName } from './action-metadata.js';
import { ACTION_DEFINITIONS } from './action-definitions.js';
import { runActionInProcess } from './in-process-action.js';
import { runActionBundle, type ActionResult, type RunActionOptions } from './run-action.js';

/** Runs one step of an action and returns what it left behind: as the bundle, or in this process. */
export type StepRunner = (action: ActionName, options: RunActionOptions) => Promise<ActionResult>;

/** The committed bundle in a child process, as the GitHub runner runs it. */
export const bundleRunner: StepRunner = runActionBundle;

/** The action's definition in this process, through the same `runAction` as its bundle. */
export const inProcessRunner: StepRunner = (action, options) =>
  runActionInProcess(ACTION_DEFINITIONS[action], options);
