import { describe, expect, it } from '@jest/globals';
import { releaseGate, type GateSituation } from '../src/rules/release-gate.js';

const CANDIDATE = 'c'.repeat(40);
const TAGGED_BELOW = 'b'.repeat(40);

/** The candidate prepared for production, with preproduction below. */
function situation(overrides: Partial<GateSituation>): GateSituation {
  return {
    environment: 'production',
    below: 'preproduction',
    belowSha: TAGGED_BELOW,
    sha: CANDIDATE,
    acceptedBelow: false,
    ...overrides,
  };
}

describe('releaseGate: only a commit accepted below, unless forced', () => {
  it.each<[string, Partial<GateSituation>, string | undefined]>([
    ['the first environment has no gate', { environment: 'integration', below: undefined }, undefined],
    ['the commit the tag below names passes', { belowSha: CANDIDATE }, undefined],
    ['a commit accepted below once (the tag moved on since) passes', { acceptedBelow: true }, undefined],
    [
      'a commit never accepted below is refused, naming what is accepted there',
      {},
      "Commit ccccccc was never accepted in 'preproduction', so it cannot be prepared for 'production'. " +
        "Promote what 'preproduction' accepted (leave 'ref' empty), currently bbbbbbb, " +
        "or override the gate with 'force: true' and a 'reason'.",
    ],
    [
      'nothing accepted below at all: the refusal names no commit there',
      { belowSha: undefined },
      "Commit ccccccc was never accepted in 'preproduction', so it cannot be prepared for 'production'. " +
        "Promote what 'preproduction' accepted (leave 'ref' empty), " +
        "or override the gate with 'force: true' and a 'reason'.",
    ],
  ])('%s', (_situation, overrides, refusal) => {
    const broken = releaseGate(situation(overrides));
    expect(broken?.refusal).toBe(refusal);
    if (refusal) {
      expect(broken).toMatchObject({
        kind: 'gate',
        description: 'commit ccccccc was not accepted in preproduction',
      });
    }
  });
});
