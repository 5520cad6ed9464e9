/**
 * How hard the verify action tries: its `attempts`, `interval`, `timeout` and `bake-time` inputs, validated
 * and converted to milliseconds.
 */
import { InputError } from '../errors.js';

/** The retry, timeout and bake-time settings of one verification. */
export interface VerificationOptions {
  /** How many times each check is tried before verification fails (1-100). */
  attempts: number;
  /** The wait after the first failed round of checks; doubled after each further one (capped at 60 s). */
  intervalMs: number;
  /** How long one attempt of one check may take. */
  timeoutMs: number;
  /** After every check passed, how long the checks keep repeating (0: no bake time). */
  bakeTimeMs: number;
}

/** The defaults of the verify action's inputs. */
export const DEFAULT_VERIFICATION_OPTIONS: Readonly<VerificationOptions> = Object.freeze({
  attempts: 5,
  intervalMs: 10_000,
  timeoutMs: 10_000,
  bakeTimeMs: 0,
});

/**
 * Reads and validates `attempts` (whole number 1-100), `interval` (seconds, 0-3600), `timeout` (seconds, more
 * than 0, at most 600) and `bake-time` (seconds, 0-86400). Seconds may be fractional (`0.5`). `read` returns ''
 * for an input not given, which takes its default.
 * @throws InputError naming the input and its allowed range.
 */
export function parseVerificationOptions(read: (name: string) => string): VerificationOptions {
  const attemptsText = read('attempts').trim();
  let attempts = DEFAULT_VERIFICATION_OPTIONS.attempts;
  if (attemptsText !== '') {
    attempts = /^\d{1,3}$/.test(attemptsText) ? Number(attemptsText) : NaN;
    if (!(attempts >= 1 && attempts <= 100)) {
      throw new InputError(
        'attempts',
        `is '${truncate(attemptsText)}'`,
        'Give how many times each check is tried, a whole number from 1 to 100 (default 5).',
      );
    }
  }
  return {
    attempts,
    intervalMs: readSeconds(read, 'interval', DEFAULT_VERIFICATION_OPTIONS.intervalMs, {
      min: 0,
      max: 3600,
      what: 'the wait between attempts, doubled after each failure',
    }),
    timeoutMs: readSeconds(read, 'timeout', DEFAULT_VERIFICATION_OPTIONS.timeoutMs, {
      min: 0,
      minExclusive: true,
      max: 600,
      what: 'how long one attempt of a check may take',
    }),
    bakeTimeMs: readSeconds(read, 'bake-time', DEFAULT_VERIFICATION_OPTIONS.bakeTimeMs, {
      min: 0,
      max: 86_400,
      what: 'how long the checks keep repeating after they all passed',
    }),
  };
}

function readSeconds(
  read: (name: string) => string,
  name: string,
  fallbackMs: number,
  range: { min: number; minExclusive?: boolean; max: number; what: string },
): number {
  const raw = read(name).trim();
  if (raw === '') return fallbackMs;
  const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(raw) ? Number(raw) : NaN;
  const aboveMin = range.minExclusive ? seconds > range.min : seconds >= range.min;
  if (!(aboveMin && seconds <= range.max)) {
    const lower = range.minExclusive ? `more than ${range.min}` : `from ${range.min}`;
    const upper = range.minExclusive ? `and at most ${range.max}` : `to ${range.max}`;
    throw new InputError(
      name,
      `is '${truncate(raw)}'`,
      `Give ${range.what} in seconds, a number ${lower} ${upper} (fractions such as 0.5 are allowed; ` +
        `default ${fallbackMs / 1000}).`,
    );
  }
  return Math.round(seconds * 1000);
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}
