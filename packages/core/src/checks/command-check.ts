/**
 * One attempt of a command check: the command run by {@link runShellCommand} (`bash -e -o pipefail -c`, as a
 * workflow `run:` step would) with a timeout. Exit code 0 passes. The command comes from the workflow author
 * (trusted), but it runs without the action's inputs in its environment, so the token given to the action is not
 * handed to it.
 */
import type { Clock } from '../clock.js';
import { runShellCommand, type ShellCommandResult } from '../commands/run-shell-command.js';
import type { CommandCheckSpec } from './check-spec.js';
import { formatDuration, type CheckAttempt } from './http-check.js';

/** How many of the last output lines an attempt keeps for the report. */
export const KEPT_OUTPUT_LINES = 20;

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
  /** The environment to start from, before INPUT_* variables and runtime tokens are removed. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The working directory. Default: the current one (the workspace on a runner). */
  cwd?: string;
  /** The clock the duration is measured with. Default: `systemClock`. */
  clock?: Clock;
  /** How long a command may take to exit after SIGTERM before SIGKILL. Default 2000. */
  killGraceMs?: number;
}

/** Runs one attempt of a command check. Never throws: a command that cannot start is a failed attempt. */
export async function runCommandCheck(
  check: CommandCheckSpec,
  options: CommandCheckOptions,
): Promise<CommandAttempt> {
  const result = await runShellCommand(check.run, {
    onLine: options.log,
    timeoutMs: options.timeoutMs,
    tailLines: KEPT_OUTPUT_LINES,
    killGraceMs: options.killGraceMs,
    baseEnv: options.env,
    cwd: options.cwd,
    clock: options.clock,
  });
  return { ...judge(result, options.timeoutMs), latencyMs: result.durationMs, output: result.tail };
}

/** The verdict on what the command did. */
function judge(result: ShellCommandResult, timeoutMs: number): Omit<CommandAttempt, 'output' | 'latencyMs'> {
  if (result.startError !== undefined) {
    return { passed: false, message: `could not start bash: ${result.startError}` };
  }
  if (result.timedOut) return { passed: false, message: `timed out after ${formatDuration(timeoutMs)}` };
  const code = result.exitCode;
  if (code === 0) return { passed: true, exitCode: 0, message: 'exited with code 0' };
  const last = [...result.tail].reverse().find((line) => line.trim() !== '');
  const reason = code !== null ? `exited with code ${code}` : `was stopped by ${result.signal ?? 'a signal'}`;
  return {
    passed: false,
    ...(code !== null ? { exitCode: code } : {}),
    message: last === undefined ? reason : `${reason}: ${shorten(last)}`,
  };
}

function shorten(value: string, length = 200): string {
  const oneLine = value.trim();
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}
