import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freezeWindowsOf, loadPromotionConfig, parsePromotionConfig } from '../src/chain/promotion-config.js';
import { UserError } from '../src/errors.js';

const FILE = `environments:
  - integration
  - name: production
    freeze:
      - days: [fri, sat, sun]
        from: "16:00"
        to: "23:59"
        time-zone: Europe/Paris
        reason: no weekend releases
      - {days: [mon], from: "22:00", to: "06:00", time-zone: UTC}
      - from: 2026-12-20T00:00:00+01:00
        to: 2027-01-04T00:00:00+01:00
        reason: end-of-year freeze
`;

/** The message of the UserError that parsing `yaml` throws. */
function problemOf(yaml: string): string {
  try {
    parsePromotionConfig(yaml, '.github/promotion.yml');
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError, but the configuration was accepted');
}

/** A one-environment file whose single freeze window is `window` (a flow mapping). */
const withWindow = (window: string) =>
  `environments:\n  - name: production\n    freeze:\n      - ${window}\n`;

const temporaryDirectories: string[] = [];
afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

describe('freeze windows in the configuration', () => {
  it('reads weekly and dated windows, with their reasons, for the environment that has them', () => {
    const config = parsePromotionConfig(FILE, 'x');
    expect(freezeWindowsOf(config, 'production')).toEqual([
      {
        kind: 'weekly',
        days: ['fri', 'sat', 'sun'],
        from: '16:00',
        to: '23:59',
        timeZone: 'Europe/Paris',
        reason: 'no weekend releases',
      },
      { kind: 'weekly', days: ['mon'], from: '22:00', to: '06:00', timeZone: 'UTC' },
      {
        kind: 'dated',
        from: '2026-12-20T00:00:00+01:00',
        to: '2027-01-04T00:00:00+01:00',
        reason: 'end-of-year freeze',
      },
    ]);
    expect(freezeWindowsOf(config, 'integration')).toEqual([]);
    expect([...config.freezeWindows.keys()]).toEqual(['production']);
    // The chain's settings are unchanged: freeze windows live next to them, in the configuration.
    expect(config.chain.get('production')).toEqual({
      name: 'production',
      approval: 'optional',
      preventSelfApproval: false,
    });
  });

  it('keeps no entry for an empty freeze list', () => {
    const config = parsePromotionConfig('environments: [{name: a, freeze: []}]', 'x');
    expect(config.freezeWindows.size).toBe(0);
    expect(freezeWindowsOf(config, 'a')).toEqual([]);
  });

  it("keeps the windows of the file's environments when the 'environments' input replaces the chain", async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'freeze-config-'));
    temporaryDirectories.push(workspace);
    mkdirSync(path.join(workspace, '.github'));
    writeFileSync(path.join(workspace, '.github/promotion.yml'), FILE);
    const config = await loadPromotionConfig({
      configPath: '',
      environmentsInput: 'integration, Production',
      workspace,
    });
    expect(config.chain.names).toEqual(['integration', 'Production']);
    expect(freezeWindowsOf(config, 'Production').map((window) => window.kind)).toEqual([
      'weekly',
      'weekly',
      'dated',
    ]);
    expect(freezeWindowsOf(config, 'integration')).toEqual([]);
  });

  it('has no windows when only the environments input is given', async () => {
    const config = await loadPromotionConfig({
      configPath: '',
      environmentsInput: 'integration, production',
      workspace: undefined,
    });
    expect(config.freezeWindows.size).toBe(0);
  });
});

describe('freeze window errors: file, line, what is wrong and how to fix it', () => {
  it('names an unknown time zone and the closest known one', () => {
    expect(problemOf(FILE.replace('Europe/Paris', 'Europe/Pari'))).toBe(
      ".github/promotion.yml, line 8: environments[1].freeze[0].time-zone is 'Europe/Pari', which is not a known " +
        "time zone. Did you mean 'Europe/Paris'? Write an IANA time zone name, e.g. 'Europe/Paris', " +
        "'America/New_York' or 'UTC'.",
    );
  });

  it('names an unknown time zone without a guess when none is close', () => {
    expect(problemOf(withWindow('{days: [sat], from: "00:00", to: "24:00", time-zone: CEST}'))).toMatch(
      /^\.github\/promotion\.yml, line 4: environments\[0\]\.freeze\[0\]\.time-zone is 'CEST', which is not a known time zone\. Write an IANA/,
    );
  });

  it('wants HH:MM, in quotes', () => {
    expect(problemOf(FILE.replace('from: "16:00"', 'from: "4pm"'))).toBe(
      ".github/promotion.yml, line 6: environments[1].freeze[0].from is '4pm', not a time of day. Write a time " +
        'of day on the 24-hour clock as "HH:MM" in quotes, e.g. "16:00".',
    );
    expect(problemOf(FILE.replace('to: "23:59"', 'to: "25:00"'))).toBe(
      ".github/promotion.yml, line 7: environments[1].freeze[0].to is '25:00', not a time of day. Write a time " +
        'of day on the 24-hour clock as "HH:MM" in quotes, e.g. "16:00" ("24:00" for the end of the day).',
    );
  });

  it('refuses a dated window that ends before it starts', () => {
    expect(problemOf(FILE.replace('to: 2027-01-04T00:00:00+01:00', 'to: 2026-12-01T00:00:00+01:00'))).toBe(
      '.github/promotion.yml, line 12: environments[1].freeze[2].to (2026-12-01T00:00:00+01:00) is not after ' +
        "'from' (2026-12-20T00:00:00+01:00). Give the end of the window in 'to', later than its start in 'from'.",
    );
  });

  it('refuses a date without its UTC offset, saying how to write it', () => {
    expect(problemOf(FILE.replace('from: 2026-12-20T00:00:00+01:00', 'from: 2026-12-20T00:00:00'))).toBe(
      ".github/promotion.yml, line 11: environments[1].freeze[2].from is '2026-12-20T00:00:00', which has no UTC " +
        'offset. Write the date and time with its UTC offset, e.g. 2026-12-20T00:00:00+01:00 or 2026-12-20T00:00:00Z.',
    );
  });

  it('points at a misspelt key and lists the keys a window takes', () => {
    expect(problemOf(FILE.replace('time-zone: Europe/Paris', 'timezone: Europe/Paris'))).toBe(
      ".github/promotion.yml, line 8: environments[1].freeze[0] has an unknown key 'timezone'. Did you mean " +
        "'time-zone'? Allowed keys: days, from, to, time-zone, reason.",
    );
  });

  it('asks for the missing parts of a window', () => {
    expect(problemOf(withWindow('{days: [sat], to: "24:00", time-zone: UTC}'))).toBe(
      ".github/promotion.yml, line 4: environments[0].freeze[0] has no 'from'. Add the local time it starts, " +
        'e.g. \'from: "16:00"\'.',
    );
    expect(problemOf(withWindow('{days: [sat], from: "10:00", to: "12:00"}'))).toMatch(
      /freeze\[0\] has no 'time-zone'\. Add the IANA time zone of 'from' and 'to', e.g\. 'time-zone: Europe\/Paris'/,
    );
    expect(problemOf(withWindow('{from: "2026-12-20T00:00Z"}'))).toMatch(
      /freeze\[0\] has no 'to'\. Add the moment it ends, e.g\. 'to: 2027-01-04T00:00:00\+01:00'/,
    );
    expect(problemOf(withWindow('{from: "10:00", to: "12:00", time-zone: UTC}'))).toMatch(
      /freeze\[0\] has 'time-zone' but no 'days'\. Add the days of the week it recurs on/,
    );
  });

  it('refuses days that are not days of the week, suggesting the short name', () => {
    expect(problemOf(FILE.replace('days: [fri, sat, sun]', 'days: [fri, Saturday]'))).toBe(
      ".github/promotion.yml, line 5: environments[1].freeze[0].days[1] is 'Saturday', not a day of the week. " +
        "Did you mean 'sat'? Write one of mon, tue, wed, thu, fri, sat, sun.",
    );
    expect(problemOf(FILE.replace('days: [fri, sat, sun]', 'days: weekend'))).toMatch(
      /days is 'weekend', not a list of days\. List the days the window starts on/,
    );
  });

  it('refuses a weekly window whose end is its start, and a time written as a number', () => {
    expect(problemOf(withWindow('{days: [sat], from: "08:00", to: "08:00", time-zone: UTC}'))).toMatch(
      /to is '08:00', the same time as 'from': the window would last a whole day\. For whole days write/,
    );
    expect(problemOf(withWindow('{days: [sat], from: 800, to: "09:00", time-zone: UTC}'))).toMatch(
      /from is the number 800, not a time\. Write a time of day/,
    );
  });

  it('refuses freeze written as something else than a list, and a reason that is not text', () => {
    expect(problemOf('environments:\n  - name: production\n    freeze: weekends\n')).toMatch(
      /^\.github\/promotion\.yml, line 3: environments\[0\]\.freeze is 'weekends', not a list\. List the windows/,
    );
    expect(problemOf(withWindow('{from: "2026-12-20T00:00Z", to: "2026-12-21T00:00Z", reason: 42}'))).toMatch(
      /reason is the number 42, not a string\. Put it in quotes/,
    );
  });
});
