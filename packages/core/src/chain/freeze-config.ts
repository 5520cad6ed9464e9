/**
 * The `freeze` windows of the environments of a configuration file (`environments[n].freeze`): weekly windows
 * with `days`, `from`, `to` and `time-zone`, or dated ones with `from` and `to`.
 */
import {
  closestMatch,
  DATE_TIME_PATTERN,
  END_TIME_OF_DAY_PATTERN,
  TIME_OF_DAY_PATTERN,
  WEEKDAY_VALUES,
  WEEKLY_FREEZE_KEYS,
} from './config-schema.js';
import {
  describeValue,
  field,
  isMapping,
  readMapping,
  readString,
  type ConfigDocument,
  type FieldPath,
} from './config-document.js';
import type { EnvironmentConfig } from './environment-chain.js';
import {
  isKnownTimeZone,
  minutesOfDay,
  parseDateTime,
  type FreezeWindow,
  type Weekday,
} from './freeze-windows.js';

const FREEZE_EXAMPLES =
  'e.g. \'{days: [fri, sat, sun], from: "16:00", to: "24:00", time-zone: Europe/Paris}\' (weekly) or ' +
  "'{from: 2026-12-20T00:00:00+01:00, to: 2027-01-04T00:00:00+01:00}' (dated)";

/**
 * The `freeze` lists of the environments written as mappings, by lower-case name. `entries` are the items of
 * `environments` as written and `environments` what was read from them, in the same order.
 */
export function readFreezeSettings(
  document: ConfigDocument,
  entries: unknown[],
  environments: EnvironmentConfig[],
): Map<string, FreezeWindow[]> {
  const freeze = new Map<string, FreezeWindow[]>();
  entries.forEach((entry, index) => {
    const name = environments[index]?.name;
    if (!isMapping(entry) || !('freeze' in entry) || name === undefined) return;
    freeze.set(
      name.toLowerCase(),
      readFreezeWindows(document, ['environments', index, 'freeze'], entry.freeze),
    );
  });
  return freeze;
}

function readFreezeWindows(document: ConfigDocument, at: FieldPath, value: unknown): FreezeWindow[] {
  if (!Array.isArray(value)) {
    document.fail(
      at,
      `${field(at)} is ${describeValue(value)}, not a list. List the windows during which the environment ` +
        `takes no release, ${FREEZE_EXAMPLES}.`,
    );
  }
  return value.map((entry, index) => readFreezeWindow(document, [...at, index], entry));
}

function readFreezeWindow(document: ConfigDocument, at: FieldPath, value: unknown): FreezeWindow {
  const entry = readMapping(
    document,
    at,
    value,
    WEEKLY_FREEZE_KEYS,
    `Write a weekly window with 'days', 'from', 'to' and 'time-zone', or a dated one with 'from' and 'to', ${FREEZE_EXAMPLES}.`,
  );
  const reason = 'reason' in entry ? readReason(document, [...at, 'reason'], entry.reason) : undefined;
  if ('days' in entry || 'time-zone' in entry) {
    if (!('days' in entry)) {
      document.fail(
        at,
        `${field(at)} has 'time-zone' but no 'days'. Add the days of the week it recurs on, e.g. ` +
          "'days: [sat, sun]', or remove 'time-zone' to make it a dated window (dates with their UTC offset).",
      );
    }
    const days = readDays(document, [...at, 'days'], entry.days);
    requireKey(document, at, entry, 'from', 'the local time it starts, e.g. \'from: "16:00"\'');
    requireKey(
      document,
      at,
      entry,
      'to',
      'the local time it ends, e.g. \'to: "24:00"\' (the end of the day)',
    );
    requireKey(
      document,
      at,
      entry,
      'time-zone',
      "the IANA time zone of 'from' and 'to', e.g. 'time-zone: Europe/Paris' or 'time-zone: UTC'",
    );
    const from = readTimeOfDay(document, [...at, 'from'], entry.from, TIME_OF_DAY_PATTERN, false);
    const to = readTimeOfDay(document, [...at, 'to'], entry.to, END_TIME_OF_DAY_PATTERN, true);
    if (minutesOfDay(from) === minutesOfDay(to)) {
      document.fail(
        [...at, 'to'],
        `${field([...at, 'to'])} is '${to}', the same time as 'from': the window would last a whole day. ` +
          'For whole days write \'from: "00:00"\' and \'to: "24:00"\'; otherwise give the time it ends.',
      );
    }
    const timeZone = readTimeZone(document, [...at, 'time-zone'], entry['time-zone']);
    return { kind: 'weekly', days, from, to, timeZone, ...(reason === undefined ? {} : { reason }) };
  }
  requireKey(document, at, entry, 'from', "the moment it starts, e.g. 'from: 2026-12-20T00:00:00+01:00'");
  requireKey(document, at, entry, 'to', "the moment it ends, e.g. 'to: 2027-01-04T00:00:00+01:00'");
  const from = readDateTime(document, [...at, 'from'], entry.from);
  const to = readDateTime(document, [...at, 'to'], entry.to);
  if (from.epochMs >= to.epochMs) {
    document.fail(
      [...at, 'to'],
      `${field([...at, 'to'])} (${to.text}) is not after 'from' (${from.text}). Give the end of the window ` +
        "in 'to', later than its start in 'from'.",
    );
  }
  return { kind: 'dated', from: from.text, to: to.text, ...(reason === undefined ? {} : { reason }) };
}

function requireKey(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
  key: string,
  what: string,
): void {
  if (!(key in entry)) document.fail(at, `${field(at)} has no '${key}'. Add ${what}.`);
}

function readDays(document: ConfigDocument, at: FieldPath, value: unknown): Weekday[] {
  const allowed = WEEKDAY_VALUES.join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    document.fail(
      at,
      `${field(at)} is ${Array.isArray(value) ? 'an empty list' : describeValue(value)}, not a list of days. ` +
        `List the days the window starts on, e.g. 'days: [sat, sun]' (${allowed}).`,
    );
  }
  const days: Weekday[] = [];
  value.forEach((day: unknown, index) => {
    const dayAt = [...at, index];
    const known = WEEKDAY_VALUES.find((candidate) => candidate === day);
    if (known === undefined) {
      const guess =
        typeof day === 'string'
          ? WEEKDAY_VALUES.find((candidate) => candidate === day.trim().slice(0, 3).toLowerCase())
          : undefined;
      document.fail(
        dayAt,
        `${field(dayAt)} is ${describeValue(day)}, not a day of the week.` +
          (guess ? ` Did you mean '${guess}'?` : '') +
          ` Write one of ${allowed}.`,
      );
    }
    if (days.includes(known)) {
      document.fail(dayAt, `${field(dayAt)} repeats '${known}'. List each day once.`);
    }
    days.push(known);
  });
  return days;
}

function readTimeOfDay(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  pattern: string,
  isEnd: boolean,
): string {
  const howToWrite =
    'Write a time of day on the 24-hour clock as "HH:MM" in quotes, e.g. "16:00"' +
    (isEnd ? ' ("24:00" for the end of the day).' : '.');
  if (typeof value === 'number') {
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a time. ${howToWrite}`);
  }
  const time = readString(document, at, value, howToWrite);
  if (!new RegExp(pattern, 'u').test(time)) {
    const padded = /^\d:\d\d$/.test(time) ? ` (two digits for the hour: '0${time}')` : '';
    document.fail(at, `${field(at)} is ${describeValue(time)}, not a time of day${padded}. ${howToWrite}`);
  }
  return time;
}

function readTimeZone(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = "Write an IANA time zone name, e.g. 'Europe/Paris', 'America/New_York' or 'UTC'.";
  const zone = readString(document, at, value, howToWrite);
  if (!isKnownTimeZone(zone)) {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const suggestion = closestMatch(zone, known);
    document.fail(
      at,
      `${field(at)} is ${describeValue(zone)}, which is not a known time zone.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` ${howToWrite}`,
    );
  }
  return zone;
}

function readDateTime(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
): { text: string; epochMs: number } {
  const howToWrite =
    'Write the date and time with its UTC offset, e.g. 2026-12-20T00:00:00+01:00 or 2026-12-20T00:00:00Z.';
  if (value instanceof Date) {
    document.fail(at, `${field(at)} was read as a date without its offset. Put it in quotes. ${howToWrite}`);
  }
  const text = readString(document, at, value, howToWrite);
  const parsed = parseDateTime(text);
  if (parsed) return { text, epochMs: parsed.epochMs };
  let why = 'is not a date and time with a UTC offset';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) why = 'is a date without a time and UTC offset';
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) why = 'has no UTC offset';
  else if (new RegExp(DATE_TIME_PATTERN, 'u').test(text)) why = 'names a day the month does not have';
  document.fail(at, `${field(at)} is ${describeValue(text)}, which ${why}. ${howToWrite}`);
}

function readReason(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = "Say why the environment is frozen then, e.g. 'reason: end-of-year freeze'.";
  const reason = readString(document, at, value, howToWrite);
  if (!/\S/.test(reason)) document.fail(at, `${field(at)} is empty. ${howToWrite}`);
  return reason;
}
