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

/**
 * Runs `dist/<action>/index.js` as the GitHub runner does: reads `<action>/action.yml`, applies input
 * defaults, sets `INPUT_*` and the `GITHUB_*` variables, and executes the committed bundle in a child process
 * under Node 24, with a clean environment.
 */
export async function runActionBundle(action: ActionName, options: RunActionOptions): Promise<ActionResult> {
  const metadata = readActionMetadata(action);
  const token = options.token ?? TEST_TOKEN;
  const scratch = mkdtempSync(join(tmpdir(), `runner-${action}-`));
  const outputFile = join(scratch, 'output');
  const summaryFile = join(scratch, 'summary');
  const eventFile = join(scratch, 'event.json');
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
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? scratch,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: scratch,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0] ?? '',
    GITHUB_SHA: options.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: String(options.runId ?? 1000),
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_ACTOR: options.actor ?? 'octocat',
    GITHUB_WORKFLOW: 'Promote',
    GITHUB_JOB: 'promote',
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTION: action,
    GITHUB_ACTION_PATH: join(metadata.file, '..'),
  };
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined) env[inputVariable(name)] = evaluateDefault(String(input.default), token);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariable(name)] = value;
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
