import { describe, expect, it } from '@jest/globals';
import {
  activeFreeze,
  currentFreeze,
  describeFreezeWindow,
  freezeEndsAt,
  freezeOverrideNote,
  freezeRefusal,
  parseDateTime,
  type DatedFreezeWindow,
  type FreezeWindow,
  type WeeklyFreezeWindow,
} from '../src/chain/freeze-windows.js';

const at = (iso: string) => new Date(iso);
const isActive = (window: FreezeWindow, iso: string) => activeFreeze([window], at(iso)) === window;

// 2026: Paris moves from UTC+01:00 to UTC+02:00 on Sunday 29 March at 01:00Z (02:00 -> 03:00 local), and back
// on Sunday 25 October at 01:00Z (03:00 -> 02:00 local). 9 January and 3 July 2026 are Fridays.
const fridayEveningParis: WeeklyFreezeWindow = {
  kind: 'weekly',
  days: ['fri'],
  from: '16:00',
  to: '23:59',
  timeZone: 'Europe/Paris',
};

describe('activeFreeze: weekly windows', () => {
  it.each([
    ['2026-01-09T14:59:59Z', false, 'Friday 15:59:59 in winter (UTC+1)'],
    ['2026-01-09T15:00:00Z', true, 'Friday 16:00 in winter: the start is inclusive'],
    ['2026-01-09T22:58:59Z', true, 'Friday 23:58:59 in winter'],
    ['2026-01-09T22:59:00Z', false, 'Friday 23:59 in winter: the end is exclusive'],
    ['2026-07-03T13:59:59Z', false, 'Friday 15:59:59 in summer (UTC+2)'],
    ['2026-07-03T14:00:00Z', true, 'Friday 16:00 in summer'],
    ['2026-07-03T21:58:59Z', true, 'Friday 23:58:59 in summer'],
    ['2026-07-03T21:59:00Z', false, 'Friday 23:59 in summer'],
    ['2026-07-04T14:30:00Z', false, 'Saturday 16:30: not a listed day'],
    ['2026-07-02T14:30:00Z', false, 'Thursday 16:30: not a listed day'],
  ])('at %s: %s (%s)', (iso, expected) => {
    expect(isActive(fridayEveningParis, iso)).toBe(expected);
  });

  it('evaluates in the window’s time zone: the same UTC instant is inside in summer, outside in winter', () => {
    expect(isActive(fridayEveningParis, '2026-07-03T14:30:00Z')).toBe(true);
    expect(isActive(fridayEveningParis, '2026-01-09T14:30:00Z')).toBe(false);
  });

  describe('a window crossing midnight (sat 22:00 to 06:00 UTC)', () => {
    const night: WeeklyFreezeWindow = {
      kind: 'weekly',
      days: ['sat'],
      from: '22:00',
      to: '06:00',
      timeZone: 'UTC',
    };
    it.each([
      ['2026-01-10T21:59:59Z', false, 'Saturday 21:59:59'],
      ['2026-01-10T22:00:00Z', true, 'Saturday 22:00'],
      ['2026-01-10T23:59:59Z', true, 'Saturday 23:59:59'],
      ['2026-01-11T00:00:00Z', true, 'Sunday 00:00, after midnight'],
      ['2026-01-11T05:59:59Z', true, 'Sunday 05:59:59'],
      ['2026-01-11T06:00:00Z', false, 'Sunday 06:00: ended'],
      ['2026-01-10T03:00:00Z', false, 'Saturday 03:00: belongs to Friday night, not listed'],
      ['2026-01-11T23:00:00Z', false, 'Sunday 23:00: Sunday is not listed'],
    ])('at %s: %s (%s)', (iso, expected) => {
      expect(isActive(night, iso)).toBe(expected);
    });

    it('ends the next morning', () => {
      expect(freezeEndsAt([night], at('2026-01-10T23:00:00Z'))?.toISOString()).toBe(
        '2026-01-11T06:00:00.000Z',
      );
    });
  });

  it('runs to the end of the day with to: 24:00', () => {
    const allDay: WeeklyFreezeWindow = {
      kind: 'weekly',
      days: ['sun'],
      from: '00:00',
      to: '24:00',
      timeZone: 'UTC',
    };
    expect(isActive(allDay, '2026-01-10T23:59:59Z')).toBe(false);
    expect(isActive(allDay, '2026-01-11T00:00:00Z')).toBe(true);
    expect(isActive(allDay, '2026-01-11T23:59:59.999Z')).toBe(true);
    expect(isActive(allDay, '2026-01-12T00:00:00Z')).toBe(false);
  });
});

describe('activeFreeze across a change of daylight saving time in Europe/Paris', () => {
  const earlySunday: WeeklyFreezeWindow = {
    kind: 'weekly',
    days: ['sun'],
    from: '01:00',
    to: '04:00',
    timeZone: 'Europe/Paris',
  };

  it('lasts two real hours on the night clocks go forward (01:00 CET to 04:00 CEST)', () => {
    expect(isActive(earlySunday, '2026-03-28T23:59:59Z')).toBe(false);
    expect(isActive(earlySunday, '2026-03-29T00:00:00Z')).toBe(true); // 01:00 CET
    expect(isActive(earlySunday, '2026-03-29T01:30:00Z')).toBe(true); // 03:30 CEST
    expect(isActive(earlySunday, '2026-03-29T01:59:59Z')).toBe(true); // 03:59:59 CEST
    expect(isActive(earlySunday, '2026-03-29T02:00:00Z')).toBe(false); // 04:00 CEST
    expect(freezeEndsAt([earlySunday], at('2026-03-29T00:30:00Z'))?.toISOString()).toBe(
      '2026-03-29T02:00:00.000Z',
    );
  });

  it('lasts four real hours on the night clocks go back (01:00 CEST to 04:00 CET)', () => {
    expect(isActive(earlySunday, '2026-10-24T22:59:59Z')).toBe(false);
    expect(isActive(earlySunday, '2026-10-24T23:00:00Z')).toBe(true); // 01:00 CEST
    expect(isActive(earlySunday, '2026-10-25T02:30:00Z')).toBe(true); // 03:30 CET
    expect(isActive(earlySunday, '2026-10-25T03:00:00Z')).toBe(false); // 04:00 CET
    expect(freezeEndsAt([earlySunday], at('2026-10-25T00:00:00Z'))?.toISOString()).toBe(
      '2026-10-25T03:00:00.000Z',
    );
  });

  it('crosses midnight into the day the clocks change (sat 22:00 CET to sun 06:00 CEST)', () => {
    const night: WeeklyFreezeWindow = { ...earlySunday, days: ['sat'], from: '22:00', to: '06:00' };
    expect(isActive(night, '2026-03-28T20:59:59Z')).toBe(false);
    expect(isActive(night, '2026-03-28T21:00:00Z')).toBe(true); // 22:00 CET
    expect(isActive(night, '2026-03-29T03:59:59Z')).toBe(true); // 05:59:59 CEST
    expect(isActive(night, '2026-03-29T04:00:00Z')).toBe(false); // 06:00 CEST
  });

  it('reads an end in the skipped hour as that many minutes later (02:30 -> 03:30 CEST)', () => {
    const window: WeeklyFreezeWindow = { ...earlySunday, from: '00:00', to: '02:30' };
    expect(freezeEndsAt([window], at('2026-03-28T23:30:00Z'))?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(isActive(window, '2026-03-29T01:29:59Z')).toBe(true);
    expect(isActive(window, '2026-03-29T01:30:00Z')).toBe(false);
  });

  it('reads a start in the repeated hour as its first occurrence (02:30 CEST)', () => {
    const window: WeeklyFreezeWindow = { ...earlySunday, from: '02:30', to: '05:00' };
    expect(isActive(window, '2026-10-25T00:29:59Z')).toBe(false);
    expect(isActive(window, '2026-10-25T00:30:00Z')).toBe(true); // 02:30 CEST
    expect(isActive(window, '2026-10-25T03:59:59Z')).toBe(true); // 04:59:59 CET
    expect(isActive(window, '2026-10-25T04:00:00Z')).toBe(false); // 05:00 CET
  });

  it('follows each zone’s own rules: New York changes on 8 March 2026', () => {
    const newYork: WeeklyFreezeWindow = {
      kind: 'weekly',
      days: ['mon'],
      from: '09:00',
      to: '10:00',
      timeZone: 'America/New_York',
    };
    expect(isActive(newYork, '2026-03-02T14:00:00Z')).toBe(true); // 09:00 EST
    expect(isActive(newYork, '2026-03-09T13:00:00Z')).toBe(true); // 09:00 EDT
    expect(isActive(newYork, '2026-03-09T14:00:00Z')).toBe(false); // 10:00 EDT
  });
});

describe('activeFreeze: dated windows', () => {
  const holidays: DatedFreezeWindow = {
    kind: 'dated',
    from: '2026-12-20T00:00:00+01:00',
    to: '2027-01-04T00:00:00+01:00',
    reason: 'end of year',
  };
  it.each([
    ['2026-12-19T22:59:59.999Z', false],
    ['2026-12-19T23:00:00Z', true],
    ['2026-12-25T12:00:00Z', true],
    ['2027-01-03T22:59:59.999Z', true],
    ['2027-01-03T23:00:00Z', false],
  ])('at %s: %s (start inclusive, end exclusive, offsets honoured)', (iso, expected) => {
    expect(isActive(holidays, iso)).toBe(expected);
  });

  it('describes the end in the offset it was written with', () => {
    const freeze = currentFreeze([holidays], at('2026-12-25T12:00:00Z'));
    expect(freeze?.endsAt.toISOString()).toBe('2027-01-03T23:00:00.000Z');
    expect(freeze?.description).toBe(
      "freeze window '2026-12-20T00:00:00+01:00 to 2027-01-04T00:00:00+01:00' (reason: end of year), " +
        'until Mon 2027-01-04 00:00 (UTC+01:00)',
    );
  });
});

describe('several windows', () => {
  const evening: WeeklyFreezeWindow = {
    kind: 'weekly',
    days: ['fri'],
    from: '18:00',
    to: '24:00',
    timeZone: 'UTC',
    reason: 'weekend',
  };
  const weekend: WeeklyFreezeWindow = {
    kind: 'weekly',
    days: ['sat', 'sun'],
    from: '00:00',
    to: '24:00',
    timeZone: 'UTC',
  };

  it('returns the first active window of the list, and undefined when none is active', () => {
    const overlapping: WeeklyFreezeWindow = { ...evening, from: '17:00', reason: 'overlap' };
    expect(activeFreeze([evening, overlapping], at('2026-01-09T19:00:00Z'))).toBe(evening);
    expect(activeFreeze([overlapping, evening], at('2026-01-09T19:00:00Z'))).toBe(overlapping);
    expect(activeFreeze([evening, weekend], at('2026-01-12T10:00:00Z'))).toBeUndefined();
    expect(activeFreeze([], at('2026-01-09T19:00:00Z'))).toBeUndefined();
    expect(freezeEndsAt([evening, weekend], at('2026-01-12T10:00:00Z'))).toBeUndefined();
    expect(currentFreeze([evening, weekend], at('2026-01-12T10:00:00Z'))).toBeUndefined();
  });

  it('ends the freeze when no window follows on: Friday evening then the weekend ends on Monday', () => {
    const freeze = currentFreeze([evening, weekend], at('2026-01-09T20:00:00Z'));
    expect(freeze?.window).toBe(evening);
    expect(freeze?.endsAt.toISOString()).toBe('2026-01-12T00:00:00.000Z');
    expect(freeze?.description).toBe(
      "freeze window 'fri 18:00-24:00 UTC' (reason: weekend), until Mon 2026-01-12 00:00 UTC (UTC+00:00)",
    );
  });

  it('shows the end in the zone and offset of the window, after a change of time', () => {
    const freeze = currentFreeze([fridayEveningParis], at('2026-07-03T15:00:00Z'));
    expect(freeze?.description).toBe(
      "freeze window 'fri 16:00-23:59 Europe/Paris', until Fri 2026-07-03 23:59 Europe/Paris (UTC+02:00)",
    );
  });

  it('stops following a freeze that never ends', () => {
    const always: WeeklyFreezeWindow = {
      kind: 'weekly',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      from: '00:00',
      to: '24:00',
      timeZone: 'UTC',
    };
    const end = freezeEndsAt([always], at('2026-01-01T12:00:00Z'));
    expect(end?.getTime()).toBeGreaterThan(at('2027-01-01T00:00:00Z').getTime());
  });
});

describe('messages', () => {
  it('describes windows crossing midnight', () => {
    expect(
      describeFreezeWindow({
        kind: 'weekly',
        days: ['sat', 'sun'],
        from: '22:00',
        to: '06:00',
        timeZone: 'UTC',
      }),
    ).toBe("'sat, sun 22:00-06:00 (next day) UTC'");
  });

  it('refuses naming the environment, the window, its end and how to override', () => {
    const freeze = currentFreeze([fridayEveningParis], at('2026-01-09T16:00:00Z'));
    if (!freeze) throw new Error('expected a freeze');
    expect(freezeRefusal('production', 'accept', freeze)).toBe(
      "'production' is frozen: freeze window 'fri 16:00-23:59 Europe/Paris', until Fri 2026-01-09 23:59 " +
        "Europe/Paris (UTC+01:00). accept makes no change to 'production' during a freeze ('freeze' of the " +
        "environment in the configuration). Run it again after the freeze, or set 'force: true' with a 'reason' " +
        'to override the freeze; the override is recorded on the deployment.',
    );
  });

  it('notes an override on one line, cutting a long reason', () => {
    expect(freezeOverrideNote('hotfix\nfor incident 42')).toBe('; freeze overridden: hotfix for incident 42');
    expect(freezeOverrideNote(undefined)).toBe('; freeze overridden: no reason given');
    const long = freezeOverrideNote('x'.repeat(100));
    expect(long).toBe(`; freeze overridden: ${'x'.repeat(59)}…`);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-12-20T00:00:00+01:00', '2026-12-19T23:00:00.000Z', 60],
    ['2026-12-20T00:00Z', '2026-12-20T00:00:00.000Z', 0],
    ['2026-06-01T08:30:15.5-05:30', '2026-06-01T14:00:15.500Z', -330],
    ['0099-01-01T00:00Z', '0099-01-01T00:00:00.000Z', 0],
  ])('reads %s as %s (offset %i minutes)', (text, iso, offset) => {
    const parsed = parseDateTime(text);
    expect(parsed && new Date(parsed.epochMs).toISOString()).toBe(iso);
    expect(parsed?.offsetMinutes).toBe(offset);
  });

  it.each(['2026-02-29T00:00Z', '2026-12-20', '2026-12-20T00:00:00', 'tomorrow'])('refuses %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});
