import { describe, expect, it } from '@jest/globals';
import { DURATION_PATTERN } from '../src/chain/config-values.js';
import { durationText, parseDuration } from '../src/chain/duration.js';

describe('parseDuration', () => {
  it.each<[string, unknown, number]>([
    ['seconds', '30s', 30_000],
    ['minutes', '5m', 300_000],
    ['hours', '1h', 3_600_000],
    ['hours and minutes', '1h30m', 5_400_000],
    ['minutes and seconds', '2m5s', 125_000],
    ['all three units', '1h2m3s', 3_723_000],
    ['more seconds than a minute', '90s', 90_000],
    ['a number of seconds', 90, 90_000],
    ['zero', 0, 0],
    ['zero with a unit', '0s', 0],
    ['a fraction of a second as a number', 1.5, 1500],
    ['a number of seconds as text', '90', 90_000],
    ['leading zeros', '05m', 300_000],
  ])('reads %s (%j) as %d ms', (_label, value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each<[string, unknown]>([
    ['words', '5 minutes'],
    ['a space before the unit', '5 m'],
    ['a negative number', -1],
    ['a negative text', '-5s'],
    ['units out of order', '1m1h'],
    ['a unit twice', '1m2m'],
    ['an upper-case unit', '5M'],
    ['milliseconds', '500ms'],
    ['days', '1d'],
    ['a unit without a number', 'm'],
    ['a number after the last unit', '1h30'],
    ['a decimal as text', '1.5s'],
    ['empty text', ''],
    ['white space around it', ' 5m '],
    ['not a number', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a boolean', true],
    ['nothing', null],
    ['a list', ['5m']],
    ['a mapping', { minutes: 5 }],
  ])('refuses %s (%j)', (_label, value) => {
    expect(parseDuration(value)).toBeUndefined();
  });

  // The schema's pattern is the one parseDuration reads text with: both accept the same strings.
  it.each(['30s', '1h30m', '90', '0', '5 minutes', '1m1h', '', 'h', '1h30', '500ms'])(
    'the pattern and parseDuration agree on %j',
    (text) => {
      expect(new RegExp(DURATION_PATTERN, 'u').test(text)).toBe(parseDuration(text) !== undefined);
    },
  );
});

describe('durationText', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [600_000, '10m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3_723_000, '1h2m3s'],
    [3_601_000, '1h1s'],
    [21_600_000, '6h'],
    [90_000_000, '25h'],
    [1500, '1.5s'],
    [250, '0.25s'],
    [-5000, '0s'],
    [Number.NaN, '0s'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });

  it.each(['30s', '5m', '1h', '1h30m', '1m30s', '1h2m3s', '0s'])(
    'gives back %j, as written, from what parseDuration reads',
    (text) => {
      expect(durationText(parseDuration(text) ?? Number.NaN)).toBe(text);
    },
  );
});
