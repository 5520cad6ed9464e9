/** The command line of `npm run action -- <action> --with key=value ...`, read and checked before anything runs. */
import { parseArgs } from 'node:util';
import { ACTION_NAMES, readActionMetadata, type ActionName } from '../../test/harness/action-metadata.js';

/** The run id a step gets without `--run-id`: every step of one session then belongs to the same run. */
export const DEFAULT_RUN_ID = 1;
/** The actor a step gets without `--actor`. */
export const DEFAULT_ACTOR = 'octocat';

/** What the command line asks for. */
export interface ActionArguments {
  action: ActionName;
  /** The `with:` inputs, by input name. */
  inputs: Record<string, string>;
  /** Absolute or relative to the current directory; default: the current directory. */
  workspace?: string;
  /** Default: the head of the repository's default branch, read from the emulator. */
  sha?: string;
  runId: number;
  runAttempt: number;
  actor: string;
}

/** A command line that cannot run: the message says what to change. Exit code 2. */
export class ActionUsageError extends Error {
  override readonly name = 'ActionUsageError';
}

export const ACTION_USAGE =
  'Usage: npm run action -- <action> --with key=value [--with key=value ...] [--workspace DIR] [--sha SHA]\n' +
  '                         [--run-id N] [--run-attempt N] [--actor LOGIN]\n' +
  `  <action>: ${ACTION_NAMES.join(', ')}\n` +
  '  GITHUB_API_URL and GITHUB_REPOSITORY come from the environment (eval the first two lines of npm run --silent emulator).';

/** Reads `args` (after the script name); throws {@link ActionUsageError} naming the bad part. */
export function parseActionArguments(args: string[]): ActionArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        with: { type: 'string', multiple: true, default: [] },
        workspace: { type: 'string' },
        sha: { type: 'string' },
        'run-id': { type: 'string' },
        'run-attempt': { type: 'string' },
        actor: { type: 'string' },
      },
    });
  } catch (error) {
    throw new ActionUsageError(`${(error as Error).message}\n${ACTION_USAGE}`);
  }
  const { values, positionals } = parsed;
  const action = actionOf(positionals);
  const inputs = inputsOf(action, values.with ?? []);
  if (values.sha !== undefined && !/^[0-9a-f]{40}$/.test(values.sha)) {
    throw new ActionUsageError(
      `--sha '${values.sha}' is not a full commit sha: give the 40 hex digits (git rev-parse HEAD).`,
    );
  }
  return {
    action,
    inputs,
    ...(values.workspace !== undefined ? { workspace: values.workspace } : {}),
    ...(values.sha !== undefined ? { sha: values.sha } : {}),
    runId: positiveNumber('--run-id', values['run-id'], DEFAULT_RUN_ID),
    runAttempt: positiveNumber('--run-attempt', values['run-attempt'], 1),
    actor: values.actor ?? DEFAULT_ACTOR,
  };
}

function actionOf(positionals: string[]): ActionName {
  const [name, ...rest] = positionals;
  if (name === undefined) throw new ActionUsageError(`Name the action to run.\n${ACTION_USAGE}`);
  if (rest.length > 0) {
    throw new ActionUsageError(`Unexpected argument(s) ${rest.join(' ')}: pass inputs as --with key=value.`);
  }
  if (!(ACTION_NAMES as readonly string[]).includes(name)) {
    throw new ActionUsageError(`Unknown action '${name}': use one of ${ACTION_NAMES.join(', ')}.`);
  }
  return name as ActionName;
}

/** The `--with key=value` pairs, each key an input of the action's `action.yml`. */
function inputsOf(action: ActionName, pairs: string[]): Record<string, string> {
  const known = readActionMetadata(action).inputs;
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new ActionUsageError(
        `--with '${pair}' is not key=value: write e.g. --with environment=production.`,
      );
    }
    const key = pair.slice(0, at).trim();
    if (!(key in known)) {
      throw new ActionUsageError(
        `--with ${key}: ${action} has no input '${key}'. Its inputs: ${Object.keys(known).join(', ')} (see ${action}/action.yml).`,
      );
    }
    inputs[key] = pair.slice(at + 1);
  }
  return inputs;
}

function positiveNumber(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || !Number.isSafeInteger(value)) {
    throw new ActionUsageError(`${option} '${text}' is not a positive whole number: e.g. ${option} 2.`);
  }
  return value;
}
