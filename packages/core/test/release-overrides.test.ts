import { describe, expect, it } from '@jest/globals';
import { forceOverrides, type BrokenRule } from '../src/rules/release-overrides.js';

const FROZEN: BrokenRule = {
  kind: 'freeze',
  description: "'production' is frozen (freeze window 'sat, sun')",
  refusal: "'production' is frozen: ...",
};
const NOT_ACCEPTED: BrokenRule = {
  kind: 'gate',
  description: 'commit ccccccc was not accepted in preproduction',
  refusal: 'Commit ccccccc was never accepted ...',
};
const ROLLED_BACK: BrokenRule = {
  kind: 'gate',
  description: 'commit ccccccc was rolled back in production',
  refusal: 'Commit ccccccc was rolled back ...',
};

describe('forceOverrides: broken rules refused without force, recorded and warned about in order with it', () => {
  it.each<[string, BrokenRule[], boolean, unknown]>([
    ['nothing broken, no force', [], false, { overrides: [], warnings: [] }],
    ['nothing broken, force: nothing recorded', [], true, { overrides: [], warnings: [] }],
    ['the gate broken, no force: its refusal', [NOT_ACCEPTED], false, { refused: NOT_ACCEPTED.refusal }],
    [
      'gate and hold broken, no force: the first refusal',
      [NOT_ACCEPTED, ROLLED_BACK],
      false,
      { refused: NOT_ACCEPTED.refusal },
    ],
    [
      'freeze, gate and hold broken, force: all three, in that order',
      [FROZEN, NOT_ACCEPTED, ROLLED_BACK],
      true,
      {
        overrides: [
          { kind: 'freeze', description: FROZEN.description },
          { kind: 'gate', description: NOT_ACCEPTED.description },
          { kind: 'gate', description: ROLLED_BACK.description },
        ],
        warnings: [
          `Freeze overridden with force (hotfix 42): ${FROZEN.description}`,
          `Gate overridden with force (hotfix 42): ${NOT_ACCEPTED.description}`,
          `Gate overridden with force (hotfix 42): ${ROLLED_BACK.description}`,
        ],
      },
    ],
  ])('%s', (_situation, broken, force, expected) => {
    expect(forceOverrides(broken, force, 'hotfix 42')).toEqual(expected);
  });
});
