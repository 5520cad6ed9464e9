import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionMetadata, type ActionName } from './action-metadata.js';
import { nodeRuntime } from './node-runtime.js';

/** How to run one action step. */
export interface RunActionOptions {
  /** The `with:` inputs of the step. */
  inputs?: Record<string, string>;
  /** `GITHUB_API_URL` (the emulator's URL). */
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
  /** The token; the value of `${{ github.token }}` in input defaults. */
  token?: string;
  /** `GITHUB_SHA`. */
  sha: string;
  runId?: number;
  runAttempt?: number;
  actor?: string;
  /** `GITHUB_WORKSPACE`; default: an empty scratch folder. */
  workspace?: string;
  /** The webhook event written to `GITHUB_EVENT_PATH`. */
  event?: object;
  eventName?: string;
  /** More environment variables (win over the defaults). */
  env?: Record<string, string>;
  /** Kill the step after this many milliseconds. Default 60000. */
  timeoutMs?: number;
  /**
   * Kill the step (SIGKILL, as a runner that dies) as soon as this returns true; polled every 50 ms while the
   * step runs. Default: never. The result's `killed` then says it was.
   */
  killWhen?: () => boolean;
}

/** What a step left behind. */
export interface ActionResult {
  exitCode: number | null;
  /** Outputs written to `GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** What the step appended to `GITHUB_STEP_SUMMARY`. */
  summary: string;
  stdout: string;
  stderr: string;
  /** Messages of `::error::` workflow commands on stdout. */
  errors: string[];
  /** The environment the step ran with (for inspection). */
  env: Record<string, string>;
  timedOut: boolean;
  /** Set when `killWhen` held and the step was killed. */
  killed?: boolean;
}

/**
 * Everything a step printed where people read it: its log (without the `::add-mask::` lines, which tell the
 * runner what to hide and are never shown) and its job summary.
 */
export function printedOutput(result: ActionResult): string {
  const log = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [log, result.stderr, result.summary].join('\n');
}

/** The default token tests use; never a real one. */
export const TEST_TOKEN = 'ghs_emulatorTestToken0123456789abcdefABCD';

/** The runner's name for an input's environment variable: `INPUT_` + upper case, spaces to `_`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Evaluates the only expression the suite's input defaults use, `${{ github.token }}`. */
function evaluateDefault(value: string, token: string): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.token') return token;
    throw new Error(`The harness cannot evaluate the expression '${expression}' in an input default.`);
  });
}

/** Parses a `GITHUB_OUTPUT` file: `name<<DELIMITER` blocks and `name=value` lines. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++)
        value.push(lines[index] ?? '');
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

/**
 * Polls `killWhen` every 50 ms and kills `child` with SIGKILL the first time it holds (a runner dying at a
 * chosen moment, e.g. once a status is recorded); without `killWhen`, does nothing.
 */
function killWhenPoller(
  child: { kill(signal: NodeJS.Signals): boolean },
  killWhen: (() => boolean) | undefined,
): { stop(): void; killed(): boolean } {
  let killed = false;
  if (!killWhen) return { stop: () => undefined, killed: () => false };
  const poll = setInterval(() => {
    if (killed || !killWhen()) return;
    killed = true;
    child.kill('SIGKILL');
  }, 50);
  return { stop: () => clearInterval(poll), killed: () => killed };
}

/** One step as its process sees it: the run, the repository and the step's `with:` inputs. */
export interface RunnerStep {
  action: ActionName;
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
  sha: string;
  /** `GITHUB_REF`, e.g. `refs/heads/main`. */
  ref: string;
  runId: number;
  runAttempt: number;
  runNumber: number;
  actor: string;
  eventName: string;
  workspace: string;
  /** The value of `${{ github.token }}` in input defaults. */
  token: string;
  inputs: Record<string, string>;
}

/** Where the runner's files of a step are, in its scratch folder: `GITHUB_OUTPUT`, the summary, the event. */
export function runnerFiles(scratch: string): { output: string; summary: string; event: string } {
  return {
    output: join(scratch, 'output'),
    summary: join(scratch, 'summary'),
    event: join(scratch, 'event.json'),
  };
}

/**
 * The environment the runner gives a step's process: the `GITHUB_*` and `RUNNER_*` variables (its files in
 * `scratch`, see {@link runnerFiles}), then `INPUT_*` from the input defaults of `action.yml` and the step's inputs.
 */
export function runnerEnvironment(step: RunnerStep, scratch: string): Record<string, string> {
  const metadata = readActionMetadata(step.action);
  const files = runnerFiles(scratch);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? scratch,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: scratch,
    GITHUB_API_URL: step.apiUrl,
    GITHUB_GRAPHQL_URL: `${step.apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: step.repository,
    GITHUB_REPOSITORY_OWNER: step.repository.split('/')[0] ?? '',
    GITHUB_SHA: step.sha,
    GITHUB_REF: step.ref,
    GITHUB_RUN_ID: String(step.runId),
    GITHUB_RUN_ATTEMPT: String(step.runAttempt),
    GITHUB_RUN_NUMBER: String(step.runNumber),
    GITHUB_ACTOR: step.actor,
    GITHUB_WORKFLOW: 'Promote',
    GITHUB_JOB: 'promote',
    GITHUB_EVENT_NAME: step.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: step.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTION: step.action,
    GITHUB_ACTION_PATH: join(metadata.file, '..'),
  };
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined)
      env[inputVariable(name)] = evaluateDefault(String(input.default), step.token);
  }
  for (const [name, value] of Object.entries(step.inputs)) env[inputVariable(name)] = value;
  return env;
}

/**
 * Runs `dist/<action>/index.js` as the GitHub runner does: reads `<action>/action.yml`, applies input
 * defaults, sets `INPUT_*` and the `GITHUB_*` variables, and executes the committed bundle in a child process
 * under Node 24, with a clean environment.
 */
export async function runActionBundle(action: ActionName, options: RunActionOptions): Promise<ActionResult> {
  const metadata = readActionMetadata(action);
  const token = options.token ?? TEST_TOKEN;
  const scratch = mkdtempSync(join(tmpdir(), `runner-${action}-`));
  const { output: outputFile, summary: summaryFile, event: eventFile } = runnerFiles(scratch);
  const workspace = options.workspace ?? join(scratch, 'workspace');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}));
  if (!options.workspace) mkdirSync(workspace);

  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in metadata.inputs));
  if (unknown.length > 0) {
    // The runner warns about unexpected inputs and still passes them; tests should not rely on that.
    throw new Error(`${action} has no input(s) ${unknown.join(', ')} in action.yml`);
  }
  const env = runnerEnvironment(
    {
      action,
      apiUrl: options.apiUrl,
      repository: options.repository,
      sha: options.sha,
      ref: 'refs/heads/main',
      runId: options.runId ?? 1000,
      runAttempt: options.runAttempt ?? 1,
      runNumber: 1,
      actor: options.actor ?? 'octocat',
      eventName: options.eventName ?? 'push',
      workspace,
      token,
      inputs: options.inputs ?? {},
    },
    scratch,
  );
  Object.assign(env, options.env);

  const runtime = nodeRuntime();
  const child = spawn(runtime.path, [metadata.mainPath], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const killer = killWhenPoller(child, options.killWhen);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  killer.stop();

  const result: ActionResult = {
    exitCode,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    stdout,
    stderr,
    errors: stdout
      .split('\n')
      .filter((line) => line.startsWith('::error'))
      .map((line) =>
        line
          .replace(/^::error[^:]*::/, '')
          .replace(/%0D/g, '\r')
          .replace(/%0A/g, '\n')
          .replace(/%25/g, '%'),
      ),
    env,
    timedOut,
    ...(killer.killed() ? { killed: true } : {}),
  };
  rmSync(scratch, { recursive: true, force: true });
  // Every step run by any test is checked: the token may appear only in the line that registers it as a secret.
  if (printedOutput(result).includes(token) || JSON.stringify(result.outputs).includes(token)) {
    throw new Error(`${action} printed the token:\n${result.stdout}\n${result.stderr}\n${result.summary}`);
  }
  return result;
}
