/** The freeze rule as pure functions, a row per situation: admitted, refused, overridden with force. */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { freezeAdmission, freezeOverride } from '../src/rules/freeze-gate.js';

const config = parsePromotionConfig(
  `environments:
  - integration
  - name: production
    freeze:
      - {days: [fri], from: "16:00", to: "23:59", time-zone: Europe/Paris, reason: weekend}
      - {from: 2026-12-20T00:00:00+01:00, to: 2027-01-04T00:00:00+01:00, reason: end of year}
`,
  'test',
);
const FRIDAY_EVENING = new Date('2026-07-03T15:00:00Z');
const WEDNESDAY = new Date('2026-07-01T10:00:00Z');
const CHRISTMAS = new Date('2026-12-24T12:00:00Z');

describe('freeze windows: refused inside unless forced, the override recorded', () => {
  it.each([
    ['outside every window', 'production', WEDNESDAY, false, 'admitted'],
    ['an environment without windows', 'integration', FRIDAY_EVENING, false, 'admitted'],
    ['inside the weekly window', 'production', FRIDAY_EVENING, false, 'refused'],
    ['inside the dated window', 'production', CHRISTMAS, false, 'refused'],
    ['inside the weekly window, forced', 'production', FRIDAY_EVENING, true, 'overridden'],
    ['inside the dated window, forced', 'production', CHRISTMAS, true, 'overridden'],
    ['outside every window, forced: nothing to override', 'production', WEDNESDAY, true, 'admitted'],
  ] as const)('%s: %s', (_name, environment, now, force, expected) => {
    const request = { environment, force, reason: force ? 'hotfix' : undefined };
    const refusal = freezeAdmission(config, 'accept', request, now);
    const override = freezeOverride(config, request, now);
    if (expected === 'refused') {
      expect(refusal?.refused).toMatch(
        new RegExp(`^'${environment}' is frozen: freeze window .*accept makes no change`),
      );
      expect(override).toBeUndefined();
    } else if (expected === 'overridden') {
      expect(refusal).toBeUndefined();
      expect(override?.warning).toMatch(
        /^Freeze overridden with force \(hotfix\): 'production' is frozen \(freeze window/,
      );
    } else {
      expect(refusal).toBeUndefined();
      expect(override).toBeUndefined();
    }
  });
});
