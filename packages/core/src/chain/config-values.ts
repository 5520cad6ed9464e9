/**
 * The kinds of text values in `.github/promotion.yml` (tag prefixes, URLs, versions, times of day, dates and
 * times, non-empty text), each rule stated once: as the pattern the published schema checks and, where a
 * pattern alone would give a vague message, as the parts the validator's precise reasons are built from.
 */
import type { ConfigRule } from './config-rule.js';

/** `HH:MM` on the 24-hour clock, `00:00` to `23:59`: the time part of every time pattern below. */
const HOUR_MINUTE = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';

/** A time of day `HH:MM` on the 24-hour clock, `00:00` to `23:59` (`from` of a weekly freeze window). */
export const TIME_OF_DAY_PATTERN = `^${HOUR_MINUTE}$`;

/** The end of a weekly freeze window: a time of day (see {@link TIME_OF_DAY_PATTERN}) or `24:00`, midnight at the end of the day. */
export const END_TIME_OF_DAY_PATTERN = `^(?:${HOUR_MINUTE}|24:00)$`;

/**
 * A date and time with its UTC offset (RFC 3339 with `T`; seconds and milliseconds optional), the bounds of a
 * dated freeze window: `2026-12-20T00:00:00+01:00`, `2026-12-20T00:00Z`. Days beyond the month's last are
 * refused by `parseDateTime` only.
 */
export const DATE_TIME_PATTERN =
  `^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T${HOUR_MINUTE}` +
  `(?::[0-5][0-9](?:\\.[0-9]{1,3})?)?(?:Z|[+-]${HOUR_MINUTE})$`;

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

/** What a tag prefix must not start with: `.`, `/` or `-`. */
const TAG_PREFIX_REFUSED_START = '[./-]';
/** The characters of a tag prefix: letters, digits, `.`, `_`, `-` and `/`. */
const TAG_PREFIX_CHARACTERS = '[A-Za-z0-9._/-]*';
/** What git refuses inside a ref, none of which may appear in a prefix: `..`, `//`, `/.` and `.lock/`. */
const TAG_PREFIX_REFUSED_IN_REFS = ['\\.\\.', '//', '/\\.', '\\.lock/'] as const;

/**
 * A prefix of git tag names (`tag-prefix`, `environment-tag-prefix`): letters, digits, `.`, `_`, `-` and `/`,
 * not starting with `.`, `/` or `-`, without `..`, `//`, a path component starting with `.`, or one ending
 * in `.lock`. Whatever follows the prefix (a version, an environment name) then forms a valid ref.
 */
export const TAG_PREFIX_PATTERN =
  `^(?!${TAG_PREFIX_REFUSED_START})` +
  TAG_PREFIX_REFUSED_IN_REFS.map((refused) => `(?!.*${refused})`).join('') +
  `${TAG_PREFIX_CHARACTERS}$`;

const TAG_PREFIX_START = new RegExp(`^${TAG_PREFIX_REFUSED_START}`);
const TAG_PREFIX_ONLY_CHARACTERS = new RegExp(`^${TAG_PREFIX_CHARACTERS}$`);
const TAG_PREFIX_REFUSED = new RegExp(TAG_PREFIX_REFUSED_IN_REFS.join('|'));

/** Why `prefix` cannot prefix tag names, or undefined when it can (see {@link TAG_PREFIX_PATTERN}). */
export function tagPrefixProblem(prefix: string): string | undefined {
  if (TAG_PREFIX_START.test(prefix)) return 'must not start with ".", "/" or "-"';
  if (!TAG_PREFIX_ONLY_CHARACTERS.test(prefix)) {
    return 'may contain only letters, digits, ".", "_", "-" and "/"';
  }
  if (TAG_PREFIX_REFUSED.test(prefix)) {
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

/** An http(s) URL (`definitions.url`): environment URLs and HTTP checks. */
export const URL_RULE = {
  type: 'string',
  pattern: URL_PATTERN,
  examples: ['https://staging.example.com'],
} as const satisfies ConfigRule;

/** The characters of a tag prefix in words, for the descriptions of the keys that are one. */
export const TAG_PREFIX_WORDS = "Letters, digits, '.', '_', '-' and '/'";

/** A prefix of tag names (`definitions.tagPrefix`). */
export const TAG_PREFIX_RULE = { type: 'string', pattern: TAG_PREFIX_PATTERN } as const satisfies ConfigRule;

/** Text with something other than white space in it (`definitions.nonEmptyText`). */
export const NON_EMPTY_TEXT_RULE = { type: 'string', pattern: '\\S' } as const satisfies ConfigRule;

/** A date and time with its UTC offset (`definitions.dateTime`): the bounds of a dated freeze window. */
export const DATE_TIME_RULE = {
  description:
    'A date and time with its UTC offset (Z or +HH:MM): YYYY-MM-DDTHH:MM, optionally with seconds.',
  type: 'string',
  pattern: DATE_TIME_PATTERN,
  examples: ['2026-12-20T00:00:00+01:00', '2027-01-04T00:00:00Z'],
  fix: 'Write the date and time with its UTC offset, e.g. 2026-12-20T00:00:00+01:00 or 2026-12-20T00:00:00Z.',
} as const satisfies ConfigRule;

/**
 * A duration written as text (`definitions.duration`): hours, minutes and seconds with their units, in that
 * order, each optional but at least one (`30s`, `5m`, `1h`, `1h30m`), or a bare number of seconds (`'90'`).
 * Units in lower case, no spaces. `duration.ts` reads durations with it.
 */
export const DURATION_PATTERN = '^(?:[0-9]+|(?=[0-9])(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?)$';

/** A duration (`definitions.duration`): a number of seconds, or text such as `5m` (see {@link DURATION_PATTERN}). */
export const DURATION_RULE = {
  description:
    "A duration: a number of seconds (90), or hours, minutes and seconds with their units, in that order ('30s', " +
    "'5m', '1h', '1h30m').",
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
  examples: ['30s', '5m', '1h30m', 90],
  fix: "Write a duration with its unit, e.g. '30s', '5m', '1h' or '1h30m', or a number of seconds, e.g. 90.",
} as const satisfies ConfigRule;
