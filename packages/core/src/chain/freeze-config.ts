/**
 * The `freeze` windows of the environments of a configuration file (`environments[n].freeze`): weekly windows
 * with `days`, `from`, `to` and `time-zone`, or dated ones with `from` and `to`. Keys, values, patterns and
 * fixes come from their rules in `freeze-schema.ts`; this module adds what a schema cannot say (a known time
 * zone, an end after the start, a day the month has).
 */
import { closestMatch } from './closest-match.js';
import {
  describeValue,
  field,
  isMapping,
  readList,
  readMapping,
  readString,
  type ConfigDocument,
  type FieldPath,
} from './config-document.js';
import { keysOf, type ConfigRule } from './config-rule.js';
import { DATE_TIME_RULE, NON_EMPTY_TEXT_RULE } from './config-values.js';
import type { EnvironmentConfig } from './environment-chain.js';
import {
  isKnownTimeZone,
  minutesOfDay,
  parseDateTime,
  type FreezeWindow,
  type Weekday,
} from './freeze-windows.js';
import {
  DATED_FREEZE_WINDOW_RULE,
  FREEZE_LIST_RULE,
  FREEZE_REASON_RULE,
  FREEZE_WINDOW_RULE,
  WEEKDAY_VALUES,
  WEEKLY_FREEZE_WINDOW_RULE,
  WEEKLY_WINDOW_MARKERS,
} from './freeze-schema.js';

/** The rules of the keys of a weekly window. */
const WEEKLY = WEEKLY_FREEZE_WINDOW_RULE.properties;

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
  const windows = readList(document, at, value, FREEZE_LIST_RULE.fix);
  return windows.map((entry, index) => readFreezeWindow(document, [...at, index], entry));
}

function readFreezeWindow(document: ConfigDocument, at: FieldPath, value: unknown): FreezeWindow {
  // The weekly keys are every key a window may have; which kind it is follows from the marker keys.
  const entry = readMapping(document, at, value, keysOf(WEEKLY_FREEZE_WINDOW_RULE), FREEZE_WINDOW_RULE.fix);
  const reason = 'reason' in entry ? readReason(document, [...at, 'reason'], entry.reason) : undefined;
  if (WEEKLY_WINDOW_MARKERS.some((key) => key in entry)) {
    if (!('days' in entry)) {
      document.fail(
        at,
        `${field(at)} has 'time-zone' but no 'days'. Add the days of the week it recurs on, e.g. ` +
          "'days: [sat, sun]', or remove 'time-zone' to make it a dated window (dates with their UTC offset).",
      );
    }
    const days = readDays(document, [...at, 'days'], entry.days);
    requireKeys(document, at, entry, WEEKLY_FREEZE_WINDOW_RULE);
    const from = readTimeOfDay(document, [...at, 'from'], entry.from, WEEKLY.from);
    const to = readTimeOfDay(document, [...at, 'to'], entry.to, WEEKLY.to);
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
  requireKeys(document, at, entry, DATED_FREEZE_WINDOW_RULE);
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

/** Fails on the first key `rule` requires that `entry` lacks, saying what to add. */
function requireKeys(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
  rule: ConfigRule,
): void {
  for (const key of rule.required ?? []) {
    if (key in entry) continue;
    const what = rule.properties?.[key];
    const add = what === true || what?.whenMissing === undefined ? '' : ` Add ${what.whenMissing}.`;
    document.fail(at, `${field(at)} has no '${key}'.${add}`);
  }
}

function readDays(document: ConfigDocument, at: FieldPath, value: unknown): Weekday[] {
  const allowed = WEEKDAY_VALUES.join(', ');
  if (!Array.isArray(value) || value.length < WEEKLY.days.minItems) {
    document.fail(
      at,
      `${field(at)} is ${Array.isArray(value) ? 'an empty list' : describeValue(value)}, not a list of days. ` +
        WEEKLY.days.fix,
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

/** A time of day, `from` or `to` of a weekly window as `rule` states it. */
function readTimeOfDay(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  rule: typeof WEEKLY.from | typeof WEEKLY.to,
): string {
  const howToWrite = rule.fix;
  if (typeof value === 'number') {
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a time. ${howToWrite}`);
  }
  const time = readString(document, at, value, howToWrite);
  if (!new RegExp(rule.pattern, 'u').test(time)) {
    const padded = /^\d:\d\d$/.test(time) ? ` (two digits for the hour: '0${time}')` : '';
    document.fail(at, `${field(at)} is ${describeValue(time)}, not a time of day${padded}. ${howToWrite}`);
  }
  return time;
}

function readTimeZone(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = WEEKLY['time-zone'].fix;
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
  const howToWrite = DATE_TIME_RULE.fix;
  if (value instanceof Date) {
    document.fail(at, `${field(at)} was read as a date without its offset. Put it in quotes. ${howToWrite}`);
  }
  const text = readString(document, at, value, howToWrite);
  const parsed = parseDateTime(text);
  if (parsed) return { text, epochMs: parsed.epochMs };
  let why = 'is not a date and time with a UTC offset';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) why = 'is a date without a time and UTC offset';
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) why = 'has no UTC offset';
  else if (new RegExp(DATE_TIME_RULE.pattern, 'u').test(text)) why = 'names a day the month does not have';
  document.fail(at, `${field(at)} is ${describeValue(text)}, which ${why}. ${howToWrite}`);
}

function readReason(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = FREEZE_REASON_RULE.fix;
  const reason = readString(document, at, value, howToWrite);
  if (!new RegExp(NON_EMPTY_TEXT_RULE.pattern, 'u').test(reason)) {
    document.fail(at, `${field(at)} is empty. ${howToWrite}`);
  }
  return reason;
}
