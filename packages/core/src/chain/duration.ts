/**
 * Durations as `.github/promotion.yml` writes them (`pause: 5m`, `check-interval: 30s`, `pause: 90`) and as
 * messages and deployment statuses show them (`1m30s`). The text form is {@link DURATION_PATTERN}: hours,
 * minutes and seconds in that order, or a bare number of seconds. Durations are milliseconds in code.
 */
import { DURATION_PATTERN } from './config-values.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** The milliseconds of each unit a duration may be written in. */
const UNIT_MS: Readonly<Record<string, number>> = { h: HOUR_MS, m: MINUTE_MS, s: SECOND_MS };

const DURATION_TEXT = new RegExp(DURATION_PATTERN, 'u');

/**
 * The milliseconds `value` stands for: a number of seconds (a YAML number, `90` or `1.5`, not negative), or
 * text matching {@link DURATION_PATTERN} (`'90'`, `'30s'`, `'5m'`, `'1h30m'`). Undefined when it is not a
 * duration (`'5 minutes'`, `-1`, `'1m1h'`, a list, ...), so callers say what is wrong where it was written.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * SECOND_MS) : undefined;
  }
  if (typeof value !== 'string' || !DURATION_TEXT.test(value)) return undefined;
  let total = 0;
  if (/^[0-9]+$/.test(value)) {
    total = Number(value) * SECOND_MS;
  } else {
    for (const [, amount, unit] of value.matchAll(/([0-9]+)([hms])/g)) {
      total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
    }
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * `ms` as people read it and as the configuration writes it: `30s`, `5m`, `1h`, `1h30m`, `1m30s` (90 s), `0s`.
 * A fraction of a second shows as decimals of the seconds (`1.5s`), which only the number form writes back.
 * Negative values (and NaN) show as `0s`.
 */
export function durationText(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  const hours = Math.floor(total / HOUR_MS);
  const minutes = Math.floor((total % HOUR_MS) / MINUTE_MS);
  const seconds = (total % MINUTE_MS) / SECOND_MS;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join('');
}
