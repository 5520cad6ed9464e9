/**
 * Post-deployment verification: every check must pass, retried with backoff while the deployment settles; then,
 * during an optional bake time, every check must keep passing. Time passes only through the injected `now` and
 * `sleep`, so a fake clock makes a verification instant and deterministic in tests.
 */
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CheckSpec, CommandCheckSpec } from './check-spec.js';
import { runCommandCheck } from './command-check.js';
import { formatDuration, runHttpCheck, type CheckAttempt } from './http-check.js';
import type { VerificationOptions } from './verification-options.js';

/** The longest wait between two rounds of retries (unless `interval` itself is longer). */
export const MAX_RETRY_WAIT_MS = 60_000;
/** During bake time, rounds are at least this far apart, even with `interval: 0`. */
export const MIN_BAKE_INTERVAL_MS = 1000;

/** How one check fared. */
export interface CheckReport {
  /** The configured name, or the URL / the command's first line. */
  name: string;
  kind: 'http' | 'command';
  /** The URL, or the command. */
  target: string;
  /** Whether the last attempt passed. */
  passed: boolean;
  /** Attempts made, retries and bake-time rounds included. */
  attempts: number;
  /** What the last attempt found. */
  lastMessage: string;
  /** How long the last attempt took. */
  latencyMs?: number;
  /** The HTTP status of the last attempt. */
  status?: number;
  /** Command checks: the last lines of output of the last attempt. */
  output?: string[];
}

/** The outcome of a verification; JSON-serialisable (it is the verify action's `report` output). */
export interface VerificationReport {
  result: 'passed' | 'failed';
  checks: CheckReport[];
  /** The bake time asked for. */
  bakeTimeMs: number;
  /** Bake-time rounds run (0 without bake time or when the checks never all passed). */
  rounds: number;
  /** Rounds of attempts before every check passed or attempts ran out. */
  retryRounds: number;
  /** When verification failed: while retrying the checks, or during bake time. */
  failedIn?: 'checks' | 'bake';
  /** ISO 8601, from the injected clock. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** Runs one attempt of a command check; the default runs `bash -c`. */
export type CommandRunner = (
  check: CommandCheckSpec,
  options: { timeoutMs: number; log: (line: string) => void },
) => Promise<CheckAttempt & { output?: string[] }>;

/** What a verification depends on. */
export interface VerificationDependencies {
  /** Milliseconds since the epoch (`Date.now` in production). */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  logger: Logger;
  runCommand?: CommandRunner;
}

interface CheckState {
  check: CheckSpec;
  report: CheckReport;
}

/**
 * Verifies a deployment.
 * 1. Each check is tried up to `attempts` times. Checks that fail are retried together after a wait of
 *    `intervalMs`, doubled after each failed round (at most {@link MAX_RETRY_WAIT_MS}, or `intervalMs` when
 *    longer). Checks that passed are not retried. All must pass.
 * 2. Then, when `bakeTimeMs` > 0, every check runs once per round, rounds every `intervalMs` (at least
 *    {@link MIN_BAKE_INTERVAL_MS}), the last one when `bakeTimeMs` has elapsed since step 1 ended. The first
 *    failure fails the verification at once; there are no retries during bake time.
 * @throws UserError when `checks` is empty.
 */
export async function runVerification(
  checks: CheckSpec[],
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<VerificationReport> {
  if (checks.length === 0) {
    throw new UserError(
      'There is nothing to verify: no checks are configured. Give the verify action a `url` or `checks` input, ' +
        'or list checks under `verify:` for this environment in the configuration file.',
    );
  }
  const { logger } = deps;
  const started = deps.now();
  const states: CheckState[] = checks.map((check) => ({
    check,
    report: {
      name: check.name ?? defaultName(check),
      kind: check.kind,
      target: check.kind === 'http' ? check.url : check.run,
      passed: false,
      attempts: 0,
      lastMessage: 'not run',
    },
  }));
  const attemptOnce = (state: CheckState) => attempt(state, options, deps);

  logger.info(
    safeLine(
      `Verifying ${plural(checks.length, 'check')}: up to ${plural(options.attempts, 'attempt')} each, ` +
        `${formatDuration(options.timeoutMs)} timeout` +
        (options.bakeTimeMs > 0 ? `, then a bake time of ${formatDuration(options.bakeTimeMs)}.` : '.'),
    ),
  );

  let pending = states;
  let retryRounds = 0;
  for (let round = 1; ; round++) {
    retryRounds = round;
    for (const state of pending) {
      const result = await attemptOnce(state);
      logger.info(
        safeLine(
          result.passed
            ? `✓ ${state.report.name}: ${result.message}`
            : `✗ ${state.report.name} (attempt ${round} of ${options.attempts}): ${result.message}`,
        ),
      );
    }
    pending = pending.filter((state) => !state.report.passed);
    if (pending.length === 0 || round >= options.attempts) break;
    const wait = retryWait(options.intervalMs, round);
    logger.info(safeLine(`Retrying ${plural(pending.length, 'check')} in ${formatDuration(wait)}.`));
    if (wait > 0) await deps.sleep(wait);
  }

  let failedIn: VerificationReport['failedIn'];
  let rounds = 0;
  if (pending.length > 0) {
    failedIn = 'checks';
  } else if (options.bakeTimeMs > 0) {
    const bakeStart = deps.now();
    const deadline = bakeStart + options.bakeTimeMs;
    const step = Math.max(options.intervalMs, MIN_BAKE_INTERVAL_MS);
    const maxRounds = Math.ceil(options.bakeTimeMs / step);
    logger.info(
      safeLine(
        `All checks passed. Bake time: repeating them every ${formatDuration(step)} for ` +
          `${formatDuration(options.bakeTimeMs)}; any failure fails the verification.`,
      ),
    );
    bake: for (let round = 1; round <= maxRounds; round++) {
      const wait = Math.min(bakeStart + round * step, deadline) - deps.now();
      if (wait > 0) await deps.sleep(wait);
      rounds = round;
      for (const state of states) {
        const result = await attemptOnce(state);
        if (!result.passed) {
          failedIn = 'bake';
          logger.info(safeLine(`✗ ${state.report.name} (bake-time round ${round}): ${result.message}`));
          break bake;
        }
      }
      logger.info(safeLine(`✓ Bake-time round ${round}: every check passed.`));
      if (deps.now() >= deadline) break;
    }
  }

  const finished = deps.now();
  const report: VerificationReport = {
    result: failedIn ? 'failed' : 'passed',
    checks: states.map((state) => state.report),
    bakeTimeMs: options.bakeTimeMs,
    rounds,
    retryRounds,
    ...(failedIn ? { failedIn } : {}),
    startedAt: isoTime(started),
    finishedAt: isoTime(finished),
    durationMs: Math.max(0, Math.round(finished - started)),
  };
  logger.info(
    safeLine(
      report.result === 'passed'
        ? `Verification passed in ${formatDuration(report.durationMs)}.`
        : `Verification failed ${failedIn === 'bake' ? `during bake-time round ${rounds}` : 'after all attempts'}: ` +
            states
              .filter((state) => !state.report.passed)
              .map((state) => `${state.report.name}: ${state.report.lastMessage}`)
              .join('; '),
    ),
  );
  return report;
}

/** The wait after failed round `round` (from 1): the interval doubled each time, capped. */
function retryWait(intervalMs: number, round: number): number {
  return Math.min(intervalMs * 2 ** (round - 1), Math.max(MAX_RETRY_WAIT_MS, intervalMs));
}

/** Runs one attempt of a check and records it in its report. Never throws. */
async function attempt(
  state: CheckState,
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<CheckAttempt> {
  const { check, report } = state;
  let result: CheckAttempt & { output?: string[] };
  try {
    if (check.kind === 'http') {
      result = await runHttpCheck(check, { timeoutMs: options.timeoutMs, fetch: deps.fetch, now: deps.now });
    } else {
      const runCommand: CommandRunner =
        deps.runCommand ??
        ((command, commandOptions) => runCommandCheck(command, { ...commandOptions, now: deps.now }));
      result = await runCommand(check, {
        timeoutMs: options.timeoutMs,
        log: (line) => deps.logger.info(safeLine(`  │ ${line}`)),
      });
    }
  } catch (error) {
    result = { passed: false, latencyMs: 0, message: `could not run the check: ${errorMessage(error)}` };
  }
  report.attempts += 1;
  report.passed = result.passed;
  report.lastMessage = result.message;
  report.latencyMs = result.latencyMs;
  if (result.status !== undefined) report.status = result.status;
  else delete report.status;
  if (result.output !== undefined) report.output = [...result.output];
  return result;
}

function defaultName(check: CheckSpec): string {
  if (check.kind === 'http') return check.url;
  const firstLine = check.run.trim().split('\n')[0] ?? '';
  const name = firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine;
  return check.run.trim().includes('\n') && !name.endsWith('…') ? `${name} …` : name;
}

/**
 * A log line that cannot act as a runner workflow command. Every line this module logs starts with text of its
 * own (the runner reads `::command::` only at the start of a line); this keeps it one line and splits the legacy
 * `##[command]` form, which the runner finds anywhere in a line.
 */
function safeLine(line: string): string {
  return line.replace(/\r?\n|\r/g, ' ').replace(/##\[/g, '#\u200b#[');
}

function isoTime(milliseconds: number): string {
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function errorMessage(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
