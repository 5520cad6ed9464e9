/**
 * Post-deployment verification: every check must pass, retried with backoff while the deployment settles; then,
 * during an optional bake time, every check must keep passing. Time passes only through the injected `Clock`, so
 * a fake clock makes a verification instant and deterministic in tests.
 */
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { inertWorkflowCommands } from '../text/escape.js';
import type { CheckSpec, CommandCheckSpec } from './check-spec.js';
import { runCommandCheck } from './command-check.js';
import type { VariableSource } from './header-variables.js';
import { formatDuration, runHttpCheck, type CheckAttempt } from './http-check.js';
import { runPrometheusCheck } from './prometheus-check.js';
import type { VerificationOptions } from './verification-options.js';
import {
  bakeIsOver,
  bakeRoundWaitMs,
  bakeSchedule,
  MAX_RETRY_WAIT_MS,
  MIN_BAKE_INTERVAL_MS,
  retryAgain,
  retryWaitMs,
} from './verification-schedule.js';

// Still exported from here, where callers of the verification have always found them.
export { MAX_RETRY_WAIT_MS, MIN_BAKE_INTERVAL_MS };

/** How one check fared. */
export interface CheckReport {
  /** The configured name, or the URL / the command's first line / `prometheus: <query>`. */
  name: string;
  kind: 'http' | 'command' | 'prometheus';
  /** The URL, the command, or the Prometheus query. */
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
  /**
   * Prometheus checks: the value the last attempt's verdict rests on (its worst sample), when it had a finite
   * one (JSON has no Infinity; the message shows it).
   */
  value?: number;
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
  /** Every wait and every timestamp of the report (`systemClock` in production). */
  clock: Clock;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  logger: Logger;
  runCommand?: CommandRunner;
  /** Where Prometheus checks read `${NAME}` in header values. Default: `process.env`. */
  env?: VariableSource;
  /** Receives each value substituted into a header before it is sent, to hide it in the log. Default: nothing. */
  mask?: (value: string) => void;
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
  deps = { ...deps, mask: maskOnce(deps.mask) };
  const started = deps.clock.now();
  const states = checks.map(initialState);
  logPlan(checks.length, options, deps.logger);
  const { failing, retryRounds } = await retryChecks(states, options, deps);
  const outcome: PhaseOutcome = { retryRounds, rounds: 0 };
  if (failing.length > 0) {
    outcome.failedIn = 'checks';
  } else if (options.bakeTimeMs > 0) {
    const baked = await bake(states, options, deps);
    outcome.rounds = baked.rounds;
    if (baked.failed) outcome.failedIn = 'bake';
  }
  const report = assembleReport(states, options, outcome, { started, finished: deps.clock.now() });
  deps.logger.info(safeLine(outcomeLine(report)));
  return report;
}

/** How the two phases ended: their rounds, and the phase that failed the verification, if one did. */
interface PhaseOutcome {
  retryRounds: number;
  rounds: number;
  failedIn?: VerificationReport['failedIn'];
}

/** A check not run yet. */
function initialState(check: CheckSpec): CheckState {
  return {
    check,
    report: {
      name: check.name ?? defaultName(check),
      kind: check.kind,
      target: targetOf(check),
      passed: false,
      attempts: 0,
      lastMessage: 'not run',
    },
  };
}

/** Tells the log what is about to happen, so a long verification is not mistaken for a hung one. */
function logPlan(count: number, options: VerificationOptions, logger: Logger): void {
  logger.info(
    safeLine(
      `Verifying ${plural(count, 'check')}: up to ${plural(options.attempts, 'attempt')} each, ` +
        `${formatDuration(options.timeoutMs)} timeout` +
        (options.bakeTimeMs > 0 ? `, then a bake time of ${formatDuration(options.bakeTimeMs)}.` : '.'),
    ),
  );
}

/**
 * Step 1: rounds of attempts until every check passed or attempts ran out, with a growing wait between rounds.
 * A check that passed is not tried again. Returns the checks still failing and the number of rounds run.
 */
async function retryChecks(
  states: CheckState[],
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<{ failing: CheckState[]; retryRounds: number }> {
  let failing = states;
  for (let round = 1; ; round++) {
    await retryRound(failing, round, options, deps);
    failing = failing.filter((state) => !state.report.passed);
    if (!retryAgain(failing.length, round, options.attempts)) return { failing, retryRounds: round };
    const wait = retryWaitMs(options.intervalMs, round);
    deps.logger.info(safeLine(`Retrying ${plural(failing.length, 'check')} in ${formatDuration(wait)}.`));
    if (wait > 0) await deps.clock.sleep(wait);
  }
}

/** One round of step 1: one attempt of each check given, each logged with its attempt number when it fails. */
async function retryRound(
  states: CheckState[],
  round: number,
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<void> {
  for (const state of states) {
    const result = await attempt(state, options, deps);
    deps.logger.info(
      safeLine(
        result.passed
          ? `✓ ${state.report.name}: ${result.message}`
          : `✗ ${state.report.name} (attempt ${round} of ${options.attempts}): ${result.message}`,
      ),
    );
  }
}

/**
 * Step 2, the bake time: every check once per round, rounds on the schedule of {@link bakeSchedule}, until the
 * bake time is over or a check fails. Returns the rounds run and whether one failed.
 */
async function bake(
  states: CheckState[],
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<{ rounds: number; failed: boolean }> {
  const { clock, logger } = deps;
  const schedule = bakeSchedule(clock.now(), options.intervalMs, options.bakeTimeMs);
  logger.info(
    safeLine(
      `All checks passed. Bake time: repeating them every ${formatDuration(schedule.stepMs)} for ` +
        `${formatDuration(options.bakeTimeMs)}; any failure fails the verification.`,
    ),
  );
  let rounds = 0;
  for (let round = 1; round <= schedule.maxRounds; round++) {
    const wait = bakeRoundWaitMs(schedule, round, clock.now());
    if (wait > 0) await clock.sleep(wait);
    rounds = round;
    if (!(await bakeRound(states, round, options, deps))) return { rounds, failed: true };
    logger.info(safeLine(`✓ Bake-time round ${round}: every check passed.`));
    if (bakeIsOver(schedule, clock.now())) break;
  }
  return { rounds, failed: false };
}

/**
 * One bake-time round: every check once, in order. The first failure ends the round and fails the verification:
 * a deployment that stops answering during bake time is not given the retries it had while settling.
 */
async function bakeRound(
  states: CheckState[],
  round: number,
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<boolean> {
  for (const state of states) {
    const result = await attempt(state, options, deps);
    if (!result.passed) {
      deps.logger.info(safeLine(`✗ ${state.report.name} (bake-time round ${round}): ${result.message}`));
      return false;
    }
  }
  return true;
}

/** The report of a finished verification, timestamps from the injected clock. */
function assembleReport(
  states: CheckState[],
  options: VerificationOptions,
  outcome: PhaseOutcome,
  times: { started: number; finished: number },
): VerificationReport {
  const { failedIn } = outcome;
  return {
    result: failedIn ? 'failed' : 'passed',
    checks: states.map((state) => state.report),
    bakeTimeMs: options.bakeTimeMs,
    rounds: outcome.rounds,
    retryRounds: outcome.retryRounds,
    ...(failedIn ? { failedIn } : {}),
    startedAt: isoTime(times.started),
    finishedAt: isoTime(times.finished),
    durationMs: Math.max(0, Math.round(times.finished - times.started)),
  };
}

/** The last line of the log: the verdict, and when it failed, where and what each failing check last found. */
function outcomeLine(report: VerificationReport): string {
  if (report.result === 'passed') return `Verification passed in ${formatDuration(report.durationMs)}.`;
  const where = report.failedIn === 'bake' ? `during bake-time round ${report.rounds}` : 'after all attempts';
  const failing = report.checks
    .filter((check) => !check.passed)
    .map((check) => `${check.name}: ${check.lastMessage}`)
    .join('; ');
  return `Verification failed ${where}: ${failing}`;
}

/** Runs one attempt of a check and records it in its report. Never throws. */
async function attempt(
  state: CheckState,
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<CheckAttempt> {
  const { check, report } = state;
  let result: AttemptResult;
  try {
    result = await runAttempt(check, options, deps);
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
  if (result.value !== undefined) report.value = result.value;
  else delete report.value;
  return result;
}

/** What an attempt of any kind may find. */
type AttemptResult = CheckAttempt & { output?: string[]; value?: number };

/** One attempt of `check`, by its kind: an HTTP request, a command, or a Prometheus query. */
function runAttempt(
  check: CheckSpec,
  options: VerificationOptions,
  deps: VerificationDependencies,
): Promise<AttemptResult> {
  const { timeoutMs } = options;
  switch (check.kind) {
    case 'http':
      return runHttpCheck(check, { timeoutMs, fetch: deps.fetch, clock: deps.clock });
    case 'command': {
      const runCommand: CommandRunner =
        deps.runCommand ??
        ((command, commandOptions) => runCommandCheck(command, { ...commandOptions, clock: deps.clock }));
      return runCommand(check, { timeoutMs, log: (line) => deps.logger.info(safeLine(`  │ ${line}`)) });
    }
    case 'prometheus':
      return runPrometheusCheck(check, {
        timeoutMs,
        fetch: deps.fetch,
        clock: deps.clock,
        env: deps.env,
        mask: deps.mask,
      });
  }
}

/** What a check is run against, as its report shows it: the URL, the command, or the query. */
function targetOf(check: CheckSpec): string {
  switch (check.kind) {
    case 'http':
      return check.url;
    case 'command':
      return check.run;
    case 'prometheus':
      return check.query;
  }
}

function defaultName(check: CheckSpec): string {
  if (check.kind === 'http') return check.url;
  if (check.kind === 'prometheus') {
    const query = check.query.trim().replace(/\s+/g, ' ');
    return `prometheus: ${query.length > 60 ? `${query.slice(0, 59)}…` : query}`;
  }
  const firstLine = check.run.trim().split('\n')[0] ?? '';
  const name = firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine;
  return check.run.trim().includes('\n') && !name.endsWith('…') ? `${name} …` : name;
}

/**
 * `mask` called once per value, however many attempts substitute it: on the runner, each call writes an
 * `add-mask` command to the log.
 */
function maskOnce(mask: ((value: string) => void) | undefined): ((value: string) => void) | undefined {
  if (!mask) return undefined;
  const masked = new Set<string>();
  return (value) => {
    if (masked.has(value)) return;
    masked.add(value);
    mask(value);
  };
}

/** A message as one log line that the runner cannot read as a workflow command. */
function safeLine(line: string): string {
  return inertWorkflowCommands(line.replace(/\r?\n|\r/g, ' '));
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
