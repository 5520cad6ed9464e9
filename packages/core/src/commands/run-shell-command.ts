import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../clock.js';
import { lastLine, takeLines, tailEntry } from './output-lines.js';

/** What {@link runShellCommand} reports. It never throws: a command that cannot start is reported here too. */
export interface ShellCommandResult {
  /** The exit code, when the command exited by itself (or after its deadline, if it handled the signal). */
  exitCode: number | null;
  /** The signal that stopped the command, when one did. */
  signal?: NodeJS.Signals;
  /** Set when the command was stopped at its deadline (`exitCode` is then not a verdict of the command). */
  timedOut: boolean;
  /** Why the command could not be started (missing working directory, no bash), when it could not. */
  startError?: string;
  /** The last lines it printed (stdout and stderr as they arrived), each cut to 500 characters, for reports. */
  tail: string[];
  /** From the start to the end of the command, in whole milliseconds. */
  durationMs: number;
}

/** Options of {@link runShellCommand}. */
export interface ShellCommandOptions {
  /** Each line the command prints, as it prints it (whole, up to 64 KiB). An exception it throws is ignored. */
  onLine: (line: string) => void;
  /**
   * After this many milliseconds the command and everything it started (its process group) receive SIGTERM,
   * then SIGKILL after {@link ShellCommandOptions.killGraceMs}. Default: no limit.
   */
  timeoutMs?: number;
  /** How long the command may take to exit after SIGTERM before SIGKILL. Default 2000. */
  killGraceMs?: number;
  /** Working directory. Default: the current one (the workspace in a job). */
  cwd?: string;
  /** How many of the last lines to keep in `tail`. Default 20. */
  tailLines?: number;
  /** Variables added to the command's environment (after the withheld ones are removed). */
  env?: Record<string, string>;
  /** The environment to start from, before the withheld variables are removed. Default: `process.env`. */
  baseEnv?: NodeJS.ProcessEnv;
  /** The clock the duration is measured with; read once at the start, once at the end. Default: `systemClock`. */
  clock?: Clock;
}

/** How long to wait for the output to close once the command has exited (a background process may hold it). */
const CLOSE_WAIT_MS = 500;
/** The variables a `run:` step does not get: the action's inputs (the token among them) and runtime tokens. */
const WITHHELD_VARIABLE = /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/i;

/**
 * The environment a command configured by the workflow runs with: the job's, as a `run:` step would see it,
 * without the action's own inputs (`INPUT_*`, which hold the token) and without `ACTIONS_RUNTIME_TOKEN` and
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, which the runner gives actions but not `run:` steps.
 */
export function commandEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !WITHHELD_VARIABLE.test(name)));
}

/**
 * Runs a command with `bash --noprofile --norc -e -o pipefail -c`, as a workflow `run:` step does, streaming its
 * output line by line. The command text comes from the workflow author; it is never built from untrusted data
 * (values reach it as environment variables). The command runs in its own process group, so a timeout stops
 * whatever it started too. Once the command has exited, a background process it left holding the output open is
 * not waited for (it keeps running). Never throws.
 */
export async function runShellCommand(
  command: string,
  options: ShellCommandOptions,
): Promise<ShellCommandResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const output = outputCollector(options.onLine, options.tailLines ?? 20);
  const spawned = spawnBash(command, options);
  const fields: CommandEnd =
    'child' in spawned
      ? await superviseChild(spawned.child, options, output.emit)
      : { exitCode: null, timedOut: false, startError: spawned.startError };
  return { ...fields, tail: output.tail, durationMs: Math.max(0, Math.round(clock.now() - started)) };
}

/** The bash process of a command: no stdin, stdout and stderr piped to us. */
type BashProcess = ChildProcessByStdio<null, Readable, Readable>;

/** How a command ended, before its output tail and duration are added. */
type CommandEnd = Omit<ShellCommandResult, 'tail' | 'durationMs'>;

/**
 * Where output lines go: into the kept tail (the last `tailLines`, each cut for reports) and to `onLine` whole.
 */
function outputCollector(
  onLine: (line: string) => void,
  tailLines: number,
): { tail: string[]; emit: (line: string) => void } {
  const keep = Math.max(0, tailLines);
  const tail: string[] = [];
  const emit = (line: string) => {
    tail.push(tailEntry(line));
    if (tail.length > keep) tail.shift();
    try {
      onLine(line);
    } catch {
      // A failing log must not change the outcome of the command.
    }
  };
  return { tail, emit };
}

/**
 * Starts bash with the command, or says why it could not when `spawn` refuses at once (a NUL byte in the command,
 * say); a failure found later, such as a missing working directory, arrives as the child's `error` event instead.
 */
function spawnBash(
  command: string,
  options: ShellCommandOptions,
): { child: BashProcess } | { startError: string } {
  try {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command], {
      cwd: options.cwd,
      env: { ...commandEnvironment(options.baseEnv ?? process.env), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout stops whatever the command started too.
      detached: true,
    });
    return { child };
  } catch (error) {
    return { startError: startFailure(error, options.cwd) };
  }
}

/**
 * Follows a started command to its end: its output line by line, its deadline, and its exit. Settles once, at the
 * first of: an error starting it, its output closing, or {@link CLOSE_WAIT_MS} after it exited.
 */
function superviseChild(
  child: BashProcess,
  options: ShellCommandOptions,
  emit: (line: string) => void,
): Promise<CommandEnd> {
  return new Promise((resolve) => {
    const flushers = [child.stdout, child.stderr].map((stream) => captureLines(stream, emit));
    const deadline = startDeadline(child, options.timeoutMs, options.killGraceMs ?? 2000);
    let settled = false;
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (fields: Omit<CommandEnd, 'timedOut'>) => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      clearTimeout(closeTimer);
      // Nothing of a command past its deadline may outlive it, even what ignored SIGTERM.
      if (deadline.passed()) signalGroup(child, 'SIGKILL');
      for (const flush of flushers) flush();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...fields, timedOut: deadline.passed() });
    };
    child.on('error', (error) => finish({ exitCode: null, startError: startFailure(error, options.cwd) }));
    child.on('close', (code, signal) => finish(exitFields(code, signal)));
    child.on('exit', (code, signal) => {
      if (settled) return;
      // A background process the command left running may hold the output open: stop waiting for it shortly.
      closeTimer = setTimeout(() => finish(exitFields(code, signal)), CLOSE_WAIT_MS);
    });
  });
}

/** Reads one output stream as lines, passing each to `emit`; the function returned passes on what is left. */
function captureLines(stream: Readable, emit: (line: string) => void): () => void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const { lines, rest } = takeLines(pending + chunk);
    pending = rest;
    for (const line of lines) emit(line);
  });
  // Reading after the end is cut short (see superviseChild) must not become an unhandled error.
  stream.on('error', () => undefined);
  return () => {
    const line = lastLine(pending);
    pending = '';
    if (line !== undefined) emit(line);
  };
}

/** A command's deadline: whether it has passed, and a way to call it off once the command ended. */
interface Deadline {
  passed(): boolean;
  cancel(): void;
}

/**
 * Arms the deadline of a command: after `timeoutMs` its process group receives SIGTERM, then SIGKILL after
 * `killGraceMs`. These are timers of real time on purpose: they bound a real process, whatever clock measures
 * the duration. Without `timeoutMs` the deadline never passes.
 */
function startDeadline(child: BashProcess, timeoutMs: number | undefined, killGraceMs: number): Deadline {
  let passed = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  if (timeoutMs !== undefined) {
    timeoutTimer = setTimeout(() => {
      passed = true;
      signalGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), killGraceMs);
    }, timeoutMs);
  }
  return {
    passed: () => passed,
    cancel: () => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
    },
  };
}

/** Sends a signal to the command and everything it started (its process group). */
function signalGroup(child: BashProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** The exit code and, when one stopped the command, the signal. */
function exitFields(
  code: number | null,
  signal: NodeJS.Signals | null,
): Pick<CommandEnd, 'exitCode' | 'signal'> {
  return { exitCode: code, ...(signal !== null ? { signal } : {}) };
}

/** Why a command could not start, in words (Node reports a missing working directory as a missing bash). */
function startFailure(error: unknown, cwd: string | undefined): string {
  if (cwd !== undefined && !existsSync(cwd)) return `the working directory ${cwd} does not exist`;
  return error instanceof Error ? error.message : String(error);
}

/** What a deploy or redeploy command is told about the release, as environment variables. */
export interface ReleaseVariables {
  environment: string;
  sha: string;
  version: string | null;
  deploymentId: number;
}

/**
 * The variables a deploy command gets: `RELEASE_ENVIRONMENT`, `RELEASE_SHA`, `RELEASE_VERSION` (empty when
 * unversioned) and `RELEASE_DEPLOYMENT_ID`. Commands read these instead of `${{ }}` expressions, so nothing
 * is pasted into the command text.
 */
export function releaseVariables(release: ReleaseVariables): Record<string, string> {
  return {
    RELEASE_ENVIRONMENT: release.environment,
    RELEASE_SHA: release.sha,
    RELEASE_VERSION: release.version ?? '',
    RELEASE_DEPLOYMENT_ID: String(release.deploymentId),
  };
}
