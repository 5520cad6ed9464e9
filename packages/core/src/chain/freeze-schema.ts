/**
 * The rules of the freeze windows of an environment (`environments[n].freeze`): weekly windows with `days`,
 * `from`, `to` and `time-zone`, or dated ones with `from` and `to`. `freeze-config.ts` validates them from
 * these rules; the published schema is generated from them.
 */
import type { ConfigRule } from './config-rule.js';
import { quotedList } from './config-rule.js';
import {
  DATE_TIME_RULE,
  END_TIME_OF_DAY_PATTERN,
  NON_EMPTY_TEXT_RULE,
  TIME_OF_DAY_PATTERN,
} from './config-values.js';

/** Values of `days` in a weekly freeze window, Monday first. */
export const WEEKDAY_VALUES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The keys that make a window weekly: with either of them it is weekly, with neither it is dated. */
export const WEEKLY_WINDOW_MARKERS = ['days', 'time-zone'] as const;

/** A weekly and a dated window as messages show them. */
const FREEZE_EXAMPLES =
  'e.g. \'{days: [fri, sat, sun], from: "16:00", to: "24:00", time-zone: Europe/Paris}\' (weekly) or ' +
  "'{from: 2026-12-20T00:00:00+01:00, to: 2027-01-04T00:00:00+01:00}' (dated)";

const TIME_OF_DAY_FIX = 'Write a time of day on the 24-hour clock as "HH:MM" in quotes, e.g. "16:00"';

/** `reason` of either kind of window. */
export const FREEZE_REASON_RULE = {
  description: 'Why the environment is frozen then; shown when an action is refused.',
  allOf: [NON_EMPTY_TEXT_RULE],
  fix: "Say why the environment is frozen then, e.g. 'reason: end-of-year freeze'.",
} as const satisfies ConfigRule;

/** A window that recurs every week (`definitions.weeklyFreezeWindow`); its keys are every key a window may have. */
export const WEEKLY_FREEZE_WINDOW_RULE = {
  description:
    "A window that recurs every week: on each day of 'days', from 'from' to 'to' in local time of 'time-zone' " +
    "(daylight saving time included). When 'to' is not after 'from', the window runs past midnight into the " +
    'next day. Start inclusive, end exclusive.',
  type: 'object',
  required: ['days', 'from', 'to', 'time-zone'],
  additionalProperties: false,
  properties: {
    days: {
      description: 'The days of the week the window starts on.',
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: WEEKDAY_VALUES },
      examples: [['fri', 'sat', 'sun']],
      fix: `List the days the window starts on, e.g. 'days: [sat, sun]' (${WEEKDAY_VALUES.join(', ')}).`,
    },
    from: {
      description: 'Local time it starts, "HH:MM" on the 24-hour clock (quote it in YAML).',
      type: 'string',
      pattern: TIME_OF_DAY_PATTERN,
      examples: ['16:00'],
      fix: `${TIME_OF_DAY_FIX}.`,
      whenMissing: 'the local time it starts, e.g. \'from: "16:00"\'',
    },
    to: {
      description:
        'Local time it ends, "HH:MM" or "24:00" (the end of the day); not after \'from\': the next day. Must ' +
        "differ from 'from'.",
      type: 'string',
      pattern: END_TIME_OF_DAY_PATTERN,
      examples: ['24:00', '08:00'],
      fix: `${TIME_OF_DAY_FIX} ("24:00" for the end of the day).`,
      whenMissing: 'the local time it ends, e.g. \'to: "24:00"\' (the end of the day)',
    },
    'time-zone': {
      description: "The IANA time zone of 'from' and 'to'.",
      allOf: [NON_EMPTY_TEXT_RULE],
      examples: ['Europe/Paris', 'America/New_York', 'UTC'],
      fix: "Write an IANA time zone name, e.g. 'Europe/Paris', 'America/New_York' or 'UTC'.",
      whenMissing:
        "the IANA time zone of 'from' and 'to', e.g. 'time-zone: Europe/Paris' or 'time-zone: UTC'",
    },
    reason: FREEZE_REASON_RULE,
  },
} as const satisfies ConfigRule;

/** A window between two moments (`definitions.datedFreezeWindow`). */
export const DATED_FREEZE_WINDOW_RULE = {
  description:
    "A window between two moments, each a date and time with its UTC offset. 'to' must be after 'from'. Start " +
    'inclusive, end exclusive.',
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: {
      description: 'When it starts, e.g. 2026-12-20T00:00:00+01:00.',
      allOf: [DATE_TIME_RULE],
      whenMissing: "the moment it starts, e.g. 'from: 2026-12-20T00:00:00+01:00'",
    },
    to: {
      description: 'When it ends, e.g. 2027-01-04T00:00:00+01:00.',
      allOf: [DATE_TIME_RULE],
      whenMissing: "the moment it ends, e.g. 'to: 2027-01-04T00:00:00+01:00'",
    },
    reason: FREEZE_REASON_RULE,
  },
} as const satisfies ConfigRule;

/** One window of `freeze` (`definitions.freezeWindow`): weekly with a marker key, dated without. */
export const FREEZE_WINDOW_RULE = {
  description: "A freeze window: weekly when it has 'days' (or 'time-zone'), otherwise dated.",
  type: 'object',
  if: { anyOf: WEEKLY_WINDOW_MARKERS.map((key) => ({ properties: { [key]: true }, required: [key] })) },
  then: WEEKLY_FREEZE_WINDOW_RULE,
  else: DATED_FREEZE_WINDOW_RULE,
  fix:
    `Write a weekly window with ${quotedList(WEEKLY_FREEZE_WINDOW_RULE.required, 'and')}, or a dated one ` +
    `with ${quotedList(DATED_FREEZE_WINDOW_RULE.required, 'and')}, ${FREEZE_EXAMPLES}.`,
} as const satisfies ConfigRule;

/** `environments[n].freeze`: the list of windows. */
export const FREEZE_LIST_RULE = {
  description:
    'Windows during which prepare-release, deploy-env and accept refuse to change this environment (evaluated ' +
    "when the action runs). A window recurs weekly ('days', 'from', 'to', 'time-zone') or is a dated range " +
    "('from', 'to' with UTC offsets). 'force: true' with a 'reason' overrides a freeze and is recorded on the " +
    'deployment. Rollback is never frozen.',
  type: 'array',
  items: FREEZE_WINDOW_RULE,
  examples: [
    [
      {
        days: ['fri'],
        from: '16:00',
        to: '24:00',
        'time-zone': 'Europe/Paris',
        reason: 'no releases on Friday evening',
      },
      { from: '2026-12-20T00:00:00+01:00', to: '2027-01-04T00:00:00+01:00', reason: 'end-of-year freeze' },
    ],
  ],
  fix: `List the windows during which the environment takes no release, ${FREEZE_EXAMPLES}.`,
} as const satisfies ConfigRule;
