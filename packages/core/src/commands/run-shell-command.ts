import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';

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
  /** The clock the duration is measured with, in milliseconds; read once at the start, once at the end. */
  now?: () => number;
}

/** A line longer than this is cut in `tail` (`onLine` receives it whole, up to {@link MAX_PENDING_LINE}). */
const TAIL_LINE_LENGTH = 500;
/** Output without a newline is passed on in pieces of this size. */
const MAX_PENDING_LINE = 64 * 1024;
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
export function runShellCommand(command: string, options: ShellCommandOptions): Promise<ShellCommandResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const keep = Math.max(0, options.tailLines ?? 20);
  const tail: string[] = [];
  const emit = (line: string) => {
    tail.push(line.length > TAIL_LINE_LENGTH ? `${line.slice(0, TAIL_LINE_LENGTH - 1)}…` : line);
    if (tail.length > keep) tail.shift();
    try {
      options.onLine(line);
    } catch {
      // A failing log must not change the outcome of the command.
    }
  };
  const result = (fields: Omit<ShellCommandResult, 'tail' | 'durationMs'>): ShellCommandResult => ({
    ...fields,
    tail,
    durationMs: Math.max(0, Math.round(now() - started)),
  });

  return new Promise((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command], {
        cwd: options.cwd,
        env: { ...commandEnvironment(options.baseEnv ?? process.env), ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a timeout stops whatever the command started too.
        detached: true,
      });
    } catch (error) {
      resolve(result({ exitCode: null, timedOut: false, startError: startFailure(error, options.cwd) }));
      return;
    }

    const flushers = [child.stdout, child.stderr].map((stream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          emit(pending.slice(0, newline).replace(/\r$/, ''));
          pending = pending.slice(newline + 1);
        }
        while (pending.length > MAX_PENDING_LINE) {
          emit(pending.slice(0, MAX_PENDING_LINE));
          pending = pending.slice(MAX_PENDING_LINE);
        }
      });
      // Reading after the end is cut short (see finish) must not become an unhandled error.
      stream.on('error', () => undefined);
      return () => {
        if (pending !== '') emit(pending.replace(/\r$/, ''));
        pending = '';
      };
    });

    let timedOut = false;
    let settled = false;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    if (options.timeoutMs !== undefined) {
      timeoutTimer = setTimeout(() => {
        timedOut = true;
        signalGroup('SIGTERM');
        killTimer = setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs ?? 2000);
      }, options.timeoutMs);
    }

    const finish = (fields: Omit<ShellCommandResult, 'tail' | 'durationMs' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      // Nothing of a command past its deadline may outlive it, even what ignored SIGTERM.
      if (timedOut) signalGroup('SIGKILL');
      for (const flush of flushers) flush();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result({ ...fields, timedOut }));
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => ({
      exitCode: code,
      ...(signal !== null ? { signal } : {}),
    });

    child.on('error', (error) => finish({ exitCode: null, startError: startFailure(error, options.cwd) }));
    child.on('close', (code, signal) => finish(exited(code, signal)));
    child.on('exit', (code, signal) => {
      if (settled) return;
      // A background process the command left running may hold the output open: stop waiting for it shortly.
      closeTimer = setTimeout(() => finish(exited(code, signal)), CLOSE_WAIT_MS);
    });
  });
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
