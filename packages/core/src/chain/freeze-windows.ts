/**
 * Freeze windows: the times during which an environment takes no release (`environments[n].freeze` in the
 * configuration). A window recurs weekly, in local time of an IANA time zone, or is a dated range. Evaluation is
 * pure (the moment is an argument) and uses only `Intl` for time zones.
 *
 * A weekly window starts on each listed day at `from` and ends at `to` the same day, or the next day when `to`
 * is not after `from` (it crosses midnight); `24:00` is the end of the day. Each occurrence is a span of real
 * time: its local start and end are turned into instants the way JavaScript's Temporal does by default
 * (`compatible`): a local time skipped when clocks go forward is read as that many minutes later, a local time
 * repeated when clocks go back as its first occurrence. Starts are inclusive, ends exclusive.
 */
import { DATE_TIME_PATTERN, type WEEKDAY_VALUES } from './config-schema.js';

/** A day of the week as the configuration writes it. */
export type Weekday = (typeof WEEKDAY_VALUES)[number];

/** A window that recurs every week, in local time. */
export interface WeeklyFreezeWindow {
  kind: 'weekly';
  /** The days it starts on. */
  days: readonly Weekday[];
  /** Local start time, `HH:MM`. */
  from: string;
  /** Local end time, `HH:MM` or `24:00`; not after `from`: the next day. */
  to: string;
  /** The IANA time zone `from` and `to` are in, e.g. `Europe/Paris`. */
  timeZone: string;
  /** Why the environment is frozen then, shown in refusals. */
  reason?: string;
}

/** A window between two moments, each written with its UTC offset (`2026-12-20T00:00:00+01:00`). */
export interface DatedFreezeWindow {
  kind: 'dated';
  /** Start (inclusive), as written in the configuration. */
  from: string;
  /** End (exclusive), as written in the configuration. */
  to: string;
  /** Why the environment is frozen then, shown in refusals. */
  reason?: string;
}

/** A time during which an environment takes no release. */
export type FreezeWindow = WeeklyFreezeWindow | DatedFreezeWindow;

/** A freeze in force: the window that applies and when the environment is free again. */
export interface ActiveFreeze {
  /** The first window of the list that is active. */
  window: FreezeWindow;
  /** When no window is active any more (windows that follow on without a gap included). */
  endsAt: Date;
  /** The window and its end in words, e.g. `freeze window 'sat, sun 00:00-24:00 Europe/Paris' until ...`. */
  description: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEKDAY_NUMBERS: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const WEEKDAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** How many windows that follow on from each other are chained to find the end of a freeze. */
const MAX_CHAINED_OCCURRENCES = 400;

/** One occurrence of a window: a span of real time. */
interface Occurrence {
  window: FreezeWindow;
  start: number;
  end: number;
}

/** The first of `windows` active at `now`, or undefined when the environment is not frozen then. */
export function activeFreeze(windows: readonly FreezeWindow[], now: Date): FreezeWindow | undefined {
  return occurrencesAt(windows, now.getTime())[0]?.window;
}

/**
 * When the freeze active at `now` ends: the end of the active occurrence that lasts longest, followed through
 * windows that are active at that end (e.g. `fri 18:00-24:00` then `sat 00:00-24:00`). Undefined when no window
 * is active. A freeze that never ends (every day, all day) is followed for {@link MAX_CHAINED_OCCURRENCES} steps.
 */
export function freezeEndsAt(windows: readonly FreezeWindow[], now: Date): Date | undefined {
  return chainedEnd(windows, now.getTime())?.end;
}

/** The freeze in force at `now`, with its end and a description for messages; undefined when there is none. */
export function currentFreeze(windows: readonly FreezeWindow[], now: Date): ActiveFreeze | undefined {
  const window = activeFreeze(windows, now);
  const chained = chainedEnd(windows, now.getTime());
  if (!window || !chained) return undefined;
  return {
    window,
    endsAt: chained.end,
    description: `freeze window ${describeFreezeWindow(window)}, until ${formatEnd(chained.last, chained.end)}`,
  };
}

/**
 * The refusal of an action during a freeze: names the environment, the window, when it ends and how to
 * override it.
 */
export function freezeRefusal(environment: string, action: string, freeze: ActiveFreeze): string {
  return (
    `'${environment}' is frozen: ${freeze.description}. ${action} makes no change to '${environment}' during a ` +
    `freeze ('freeze' of the environment in the configuration). Run it again after the freeze, or set ` +
    `'force: true' with a 'reason' to override the freeze; the override is recorded on the deployment.`
  );
}

/** The longest override reason {@link freezeOverrideNote} keeps, so the rest of a status description stays. */
const MAX_NOTE_REASON_LENGTH = 60;

/**
 * What a status description says of a freeze overridden with `force`: `; freeze overridden: <reason>` (a reason
 * longer than 60 characters is cut).
 */
export function freezeOverrideNote(reason: string | undefined): string {
  const said = (reason ?? '').replace(/\s+/g, ' ').trim() || 'no reason given';
  const cut = said.length > MAX_NOTE_REASON_LENGTH ? `${said.slice(0, MAX_NOTE_REASON_LENGTH - 1)}…` : said;
  return `; freeze overridden: ${cut}`;
}

/**
 * A window in words: `'fri, sat, sun 16:00-23:59 Europe/Paris'` or
 * `'2026-12-20T00:00:00+01:00 to 2027-01-04T00:00:00+01:00'`, followed by `(reason: ...)` when it has one.
 */
export function describeFreezeWindow(window: FreezeWindow): string {
  const span =
    window.kind === 'weekly'
      ? `${window.days.join(', ')} ${window.from}-${window.to}` +
        `${crossesMidnight(window) ? ' (next day)' : ''} ${window.timeZone}`
      : `${window.from} to ${window.to}`;
  return `'${span}'${window.reason ? ` (reason: ${window.reason})` : ''}`;
}

/**
 * Reads a date and time with its UTC offset (see `DATE_TIME_PATTERN`): the instant and the offset in minutes.
 * Undefined when the text does not match or names a day the month does not have (`2026-02-30`).
 */
export function parseDateTime(text: string): { epochMs: number; offsetMinutes: number } | undefined {
  if (!new RegExp(DATE_TIME_PATTERN, 'u').test(text)) return undefined;
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/u.exec(
      text,
    );
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMins] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMins)) : 0;
  const local = Date.UTC(
    y,
    m - 1,
    d,
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    Number((fraction ?? '0').padEnd(3, '0')),
  );
  // Date.UTC reads years 0-99 as 1900-1999; set the year again so that '0099' stays 99.
  const exact = new Date(local);
  exact.setUTCFullYear(y, m - 1, d);
  return { epochMs: exact.getTime() - offsetMinutes * MINUTE, offsetMinutes };
}

/** Whether `zone` names a time zone `Intl` knows (e.g. `Europe/Paris`, `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM` (or `24:00`) as minutes since midnight. */
export function minutesOfDay(time: string): number {
  const [hours = '0', minutes = '0'] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}

function crossesMidnight(window: WeeklyFreezeWindow): boolean {
  return minutesOfDay(window.to) <= minutesOfDay(window.from);
}

/** Every occurrence of `windows` active at `at` (ms), in the order of the list. */
function occurrencesAt(windows: readonly FreezeWindow[], at: number): Occurrence[] {
  const active: Occurrence[] = [];
  for (const window of windows) {
    const occurrence = window.kind === 'weekly' ? weeklyOccurrenceAt(window, at) : datedOccurrence(window);
    if (occurrence && occurrence.start <= at && at < occurrence.end) active.push(occurrence);
  }
  return active;
}

function datedOccurrence(window: DatedFreezeWindow): Occurrence | undefined {
  const start = parseDateTime(window.from)?.epochMs;
  const end = parseDateTime(window.to)?.epochMs;
  return start === undefined || end === undefined ? undefined : { window, start, end };
}

/** The occurrence of a weekly window that contains `at`, if any. */
function weeklyOccurrenceAt(window: WeeklyFreezeWindow, at: number): Occurrence | undefined {
  const today = wallTime(window.timeZone, at);
  const from = minutesOfDay(window.from);
  const to = minutesOfDay(window.to);
  const endMinute = to > from ? to : to + 24 * 60;
  const days = new Set(window.days.map((day) => WEEKDAY_NUMBERS[day]));
  // An occurrence lasts at most a day (25 hours when clocks go back): it started today or the day before; two
  // days back covers any offset change.
  for (const back of [0, 1, 2]) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    if (!days.has(date.getUTCDay())) continue;
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const start = zonedInstant(window.timeZone, y, m, d, from);
    const end = zonedInstant(window.timeZone, y, m, d, endMinute);
    if (start <= at && at < end) return { window, start, end };
  }
  return undefined;
}

/** The end of the freeze active at `at` and the occurrence it ends with; undefined when none is active. */
function chainedEnd(
  windows: readonly FreezeWindow[],
  at: number,
): { end: Date; last: Occurrence } | undefined {
  let last = longest(occurrencesAt(windows, at));
  if (!last) return undefined;
  for (let step = 0; step < MAX_CHAINED_OCCURRENCES; step++) {
    const next = longest(occurrencesAt(windows, last.end));
    if (!next) break;
    last = next;
  }
  return { end: new Date(last.end), last };
}

function longest(occurrences: Occurrence[]): Occurrence | undefined {
  return occurrences.reduce<Occurrence | undefined>(
    (best, occurrence) => (best && best.end >= occurrence.end ? best : occurrence),
    undefined,
  );
}

/** `Sun 2026-03-29 23:59 Europe/Paris (UTC+02:00)`: the end in the window's own zone or offset. */
function formatEnd(occurrence: Occurrence, end: Date): string {
  const { window } = occurrence;
  if (window.kind === 'weekly') {
    const offset = offsetMinutes(window.timeZone, end.getTime());
    return `${formatWall(wallTime(window.timeZone, end.getTime()))} ${window.timeZone} (${formatOffset(offset)})`;
  }
  const offset = parseDateTime(window.to)?.offsetMinutes ?? 0;
  const shifted = new Date(end.getTime() + offset * MINUTE);
  return `${formatWall({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  })} (${formatOffset(offset)})`;
}

function formatWall(wall: WallTime): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const weekday = WEEKDAY_LABELS[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()] ?? '';
  return (
    `${weekday} ${String(wall.year).padStart(4, '0')}-${two(wall.month)}-${two(wall.day)} ` +
    `${two(wall.hour)}:${two(wall.minute)}${wall.second ? `:${two(wall.second)}` : ''}`
  );
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

/** Local calendar date and clock time in a time zone. */
interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The local date and time in `zone` at `at` (ms). */
function wallTime(zone: string, at: number): WallTime {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(zone).formatToParts(at)) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The offset of `zone` from UTC at `at`, in minutes (east positive). */
function offsetMinutes(zone: string, at: number): number {
  const wall = wallTime(zone, at);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  asUtc.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return Math.round((asUtc.getTime() - Math.floor(at / 1000) * 1000) / MINUTE);
}

/**
 * The instant of a local date and time in `zone` (`minute` may pass 24 hours: the next day). A local time that
 * does not exist (clocks went forward) is read with the offset before the change, i.e. as many minutes later as
 * were skipped; one that exists twice (clocks went back) is its first occurrence.
 */
function zonedInstant(zone: string, year: number, month: number, day: number, minute: number): number {
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(0, minute, 0, 0);
  const local = wall.getTime();
  const before = offsetMinutes(zone, local - DAY);
  const after = offsetMinutes(zone, local + DAY);
  const candidates = [local - before * MINUTE, local - after * MINUTE].sort((a, b) => a - b);
  const exact = candidates.find((candidate) => candidate + offsetMinutes(zone, candidate) * MINUTE === local);
  return exact ?? local - before * MINUTE;
}
