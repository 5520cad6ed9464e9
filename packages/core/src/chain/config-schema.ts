/**
 * The shape of `.github/promotion.yml`: the keys each mapping accepts, the allowed values and the patterns of
 * its strings. `schema/promotion.schema.json` (the JSON Schema editors use) states the same rules; a test
 * checks that the two agree, so change both together.
 */

/** Keys of the top-level mapping, in the order the documentation shows them. */
export const PROMOTION_CONFIG_KEYS = ['environments', 'versioning', 'environment-tag-prefix'] as const;

/** Keys of one environment written as a mapping (`environments[n]`). */
export const ENVIRONMENT_KEYS = [
  'name',
  'url',
  'verify',
  'approval',
  'prevent-self-approval',
  'freeze',
] as const;

/** Keys of the `versioning` mapping. */
export const VERSIONING_KEYS = ['tag-prefix', 'initial', 'starts-at'] as const;

/** Values of `environments[n].approval`. */
export const APPROVAL_VALUES = ['required', 'optional'] as const;

/** Keys of a weekly freeze window (`environments[n].freeze[m]` with `days`): every key a window may have. */
export const WEEKLY_FREEZE_KEYS = ['days', 'from', 'to', 'time-zone', 'reason'] as const;

/** Keys of a dated freeze window (`environments[n].freeze[m]` without `days`). */
export const DATED_FREEZE_KEYS = ['from', 'to', 'reason'] as const;

/** Values of `days` in a weekly freeze window, Monday first. */
export const WEEKDAY_VALUES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A time of day `HH:MM` on the 24-hour clock, `00:00` to `23:59` (`from` of a weekly freeze window). */
export const TIME_OF_DAY_PATTERN = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$';

/** The end of a weekly freeze window: a time of day (see {@link TIME_OF_DAY_PATTERN}) or `24:00`, midnight at the end of the day. */
export const END_TIME_OF_DAY_PATTERN = '^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/**
 * A date and time with its UTC offset (RFC 3339 with `T`; seconds and milliseconds optional), the bounds of a
 * dated freeze window: `2026-12-20T00:00:00+01:00`, `2026-12-20T00:00Z`. Days beyond the month's last are
 * refused by `parseDateTime` only.
 */
export const DATE_TIME_PATTERN =
  '^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]' +
  '(?::[0-5][0-9](?:\\.[0-9]{1,3})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$';

/**
 * An environment name as JSON Schema can check it: the rules of `environmentNameProblem` (letters, digits,
 * `.`, `_`, `-`, starting with a letter or digit, no `..`, no trailing `.` or `.lock`) in one expression.
 * The length limit is the schema's `maxLength`.
 */
export const ENVIRONMENT_NAME_SCHEMA_PATTERN =
  '^(?!.*\\.\\.)(?!.*\\.$)(?!.*\\.[Ll][Oo][Cc][Kk]$)[A-Za-z0-9][A-Za-z0-9._-]*$';

/**
 * A prefix of git tag names (`tag-prefix`, `environment-tag-prefix`): letters, digits, `.`, `_`, `-` and `/`,
 * not starting with `.`, `/` or `-`, without `..`, `//`, a path component starting with `.`, or one ending
 * in `.lock`. Whatever follows the prefix (a version, an environment name) then forms a valid ref.
 */
export const TAG_PREFIX_PATTERN = '^(?![./-])(?!.*\\.\\.)(?!.*//)(?!.*/\\.)(?!.*\\.lock/)[A-Za-z0-9._/-]*$';

const NUMERIC_OR_WORD = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';

/**
 * A Semantic Version 2.0.0 without a leading `v`: `1.0.0`, `2.0.0-rc.1`, `1.0.0+build.5`. Numbers have no
 * leading zeros.
 */
export const SEMVER_PATTERN =
  '^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)' +
  `(?:-${NUMERIC_OR_WORD}(?:\\.${NUMERIC_OR_WORD})*)?` +
  '(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$';

/**
 * An environment URL: `http` or `https` (lower case), a host without credentials (no `@` before the path),
 * then optionally a path, query or fragment; no white space anywhere.
 */
export const URL_PATTERN = '^https?://[^\\s/?#@]+(?:[/?#]\\S*)?$';

/** Why `prefix` cannot prefix tag names, or undefined when it can (see {@link TAG_PREFIX_PATTERN}). */
export function tagPrefixProblem(prefix: string): string | undefined {
  if (/^[./-]/.test(prefix)) return 'must not start with ".", "/" or "-"';
  if (!/^[A-Za-z0-9._/-]*$/.test(prefix)) {
    return 'may contain only letters, digits, ".", "_", "-" and "/"';
  }
  if (prefix.includes('..') || prefix.includes('//') || prefix.includes('/.') || prefix.includes('.lock/')) {
    return 'is not valid inside a git ref (no "..", "//", a "/" followed by "." or a ".lock/")';
  }
  return undefined;
}

/**
 * Why `url` cannot be an environment URL, or undefined when it can: it must parse, use http or https, name a
 * host and carry no user name or password (the URL is shown to everyone who can read the repository).
 */
export function environmentUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `uses '${parsed.protocol.replace(/:$/, '')}'; only http and https URLs are allowed`;
  }
  if (parsed.username !== '' || parsed.password !== '' || /^https?:\/\/[^/?#]*@/i.test(url)) {
    return 'contains credentials; an environment URL is public, so it must not carry a user name or password';
  }
  if (!new RegExp(URL_PATTERN, 'u').test(url)) {
    return 'must start with http:// or https:// in lower case, name a host, and contain no spaces';
  }
  return undefined;
}

/** Whether `version` is a Semantic Version without a leading `v` (see {@link SEMVER_PATTERN}). */
export function isStrictSemver(version: string): boolean {
  return new RegExp(SEMVER_PATTERN, 'u').test(version);
}

/**
 * The candidate closest to `word` (edit distance, ignoring case), when it is close enough to be a likely
 * typo: at most 1 edit for words up to 4 letters, 2 up to 8, 3 beyond. Undefined when none is close.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
 * letters each count as one edit.
 */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[] = new Array<number>(rows * columns).fill(0);
  const at = (row: number, column: number): number => table[row * columns + column] ?? 0;
  for (let row = 0; row < rows; row++) table[row * columns] = row;
  for (let column = 0; column < columns; column++) table[column] = column;
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let value = Math.min(at(row - 1, column) + 1, at(row, column - 1) + 1, at(row - 1, column - 1) + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        value = Math.min(value, at(row - 2, column - 2) + 1);
      }
      table[row * columns + column] = value;
    }
  }
  return at(rows - 1, columns - 1);
}
