/**
 * One attempt of a command check: `bash -c <run>`, as a workflow `run:` step would, with a timeout. Exit code 0
 * passes. The command comes from the workflow author (trusted), but it runs without the action's inputs in its
 * environment, so the token given to the action is not handed to it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CommandCheckSpec } from './check-spec.js';
import { formatDuration, type CheckAttempt } from './http-check.js';

/** How many of the last output lines an attempt keeps for the report. */
export const KEPT_OUTPUT_LINES = 20;

/** A line longer than this is cut (in the kept output only; `log` receives it whole up to 64 KiB). */
const KEPT_LINE_LENGTH = 500;
/** Output without a newline is passed on in pieces of this size. */
const MAX_PENDING_LINE = 64 * 1024;

/** The outcome of one attempt of a command check. */
export interface CommandAttempt extends CheckAttempt {
  /** The exit code, when the command exited by itself. */
  exitCode?: number;
  /** The last {@link KEPT_OUTPUT_LINES} lines of stdout and stderr, interleaved as they arrived. */
  output: string[];
}

/** What a command check attempt depends on. */
export interface CommandCheckOptions {
  /** After this long the command and everything it started receive SIGTERM, then SIGKILL. */
  timeoutMs: number;
  /** Receives each line of output as it arrives (the caller makes it safe for its log). */
  log: (line: string) => void;
  /** The environment to start from, before INPUT_* variables are removed. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The working directory. Default: the current one (the workspace on a runner). */
  cwd?: string;
  /** The clock the duration is measured with, in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** How long a command may take to exit after SIGTERM before SIGKILL. Default 2000. */
  killGraceMs?: number;
}

/**
 * The environment a check command runs with: the given one without the action's inputs (`INPUT_*`, which
 * include `INPUT_TOKEN`) and without the runtime tokens the runner gives actions but not `run:` steps.
 */
export function commandEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const withheld = /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/i;
  return Object.fromEntries(Object.entries(env).filter(([name]) => !withheld.test(name)));
}

/** Runs one attempt of a command check. Never throws: a command that cannot start is a failed attempt. */
export function runCommandCheck(
  check: CommandCheckSpec,
  options: CommandCheckOptions,
): Promise<CommandAttempt> {
  const now = options.now ?? Date.now;
  const started = now();
  const elapsed = () => Math.max(0, Math.round(now() - started));
  const output: string[] = [];
  const emit = (line: string) => {
    output.push(line.length > KEPT_LINE_LENGTH ? `${line.slice(0, KEPT_LINE_LENGTH - 1)}…` : line);
    if (output.length > KEPT_OUTPUT_LINES) output.shift();
    try {
      options.log(line);
    } catch {
      // A failing log must not change the outcome of the check.
    }
  };

  return new Promise((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn('bash', ['-c', check.run], {
        cwd: options.cwd,
        env: commandEnvironment(options.env ?? process.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a timeout stops whatever the command started too.
        detached: true,
      });
    } catch (error) {
      resolve({ passed: false, latencyMs: elapsed(), message: couldNotStart(error), output });
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
      return () => {
        if (pending !== '') emit(pending.replace(/\r$/, ''));
        pending = '';
      };
    });

    let timedOut = false;
    let settled = false;
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
    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs ?? 2000);
    }, options.timeoutMs);

    const finish = (judge: () => Omit<CommandAttempt, 'output' | 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      for (const flush of flushers) flush();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...judge(), latencyMs: elapsed(), output });
    };
    const outcome = (code: number | null, signal: NodeJS.Signals | null) => {
      if (timedOut) return { passed: false, message: `timed out after ${formatDuration(options.timeoutMs)}` };
      if (code === 0) return { passed: true, exitCode: 0, message: 'exited with code 0' };
      const last = [...output].reverse().find((line) => line.trim() !== '');
      const reason = code !== null ? `exited with code ${code}` : `was stopped by ${signal ?? 'a signal'}`;
      return {
        passed: false,
        ...(code !== null ? { exitCode: code } : {}),
        message: last === undefined ? reason : `${reason}: ${shorten(last)}`,
      };
    };

    child.on('error', (error) => finish(() => ({ passed: false, message: couldNotStart(error) })));
    child.on('close', (code, signal) => finish(() => outcome(code, signal)));
    child.on('exit', (code, signal) => {
      // A background process the command left running may hold the output open: stop waiting for it shortly.
      closeTimer = setTimeout(() => finish(() => outcome(code, signal)), 500);
    });
  });
}

function couldNotStart(error: unknown): string {
  return `could not start bash: ${error instanceof Error ? error.message : String(error)}`;
}

function shorten(value: string, length = 200): string {
  const oneLine = value.trim();
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}
