import { describe, expect, it } from '@jest/globals';
import type { DeploymentRecord } from '../src/state/deployments.js';
import type { ReleasePayload } from '../src/state/deployment-payload.js';
import { ownEarlierRelease, rollbackHold, type HoldSituation } from '../src/rules/rollback-hold.js';
import { deploymentRecord } from './support/fixtures.js';

const CANDIDATE = 'c'.repeat(40);
const ROLLED_BACK = { description: 'Rolled back by mona (run 41): checkout errors' };

describe('rollbackHold: a commit rolled back in the environment is not released there again without force', () => {
  it.each<[string, Partial<HoldSituation>, boolean]>([
    ['never rolled back here: not held', { rolledBack: undefined }, false],
    ['rolled back here: held', { rolledBack: ROLLED_BACK }, true],
    [
      'rolled back here, but this run prepared it (a re-run): not held',
      { rolledBack: ROLLED_BACK, resumed: true },
      false,
    ],
  ])('%s', (_situation, overrides, held) => {
    const broken = rollbackHold({
      environment: 'production',
      sha: CANDIDATE,
      rolledBack: undefined,
      resumed: false,
      ...overrides,
    });
    expect(broken).toEqual(
      held
        ? {
            kind: 'gate',
            description: 'commit ccccccc was rolled back in production',
            refusal:
              "Commit ccccccc was rolled back in 'production' (Rolled back by mona (run 41): checkout errors). " +
              "Prepare a newer commit, or set 'force: true' with a 'reason' to release it there again.",
          }
        : undefined,
    );
  });
});

/** A deployment of the candidate prepared by run `runId` (a rollback's when `kind` says so; none without). */
function deployment(runId: number, kind: ReleasePayload['kind'] | undefined): DeploymentRecord {
  return deploymentRecord(5, {
    sha: CANDIDATE,
    version: '1.2.0',
    run: runId,
    day: '2026-01-01',
    suite: kind !== undefined,
    kind,
  });
}

describe("ownEarlierRelease: this run's own earlier release deployment (a re-run)", () => {
  it.each<[string, DeploymentRecord | undefined, boolean]>([
    ['no deployment of the candidate here', undefined, false],
    ['a release prepared by this run', deployment(7001, 'release'), true],
    ['a release prepared by another run', deployment(6999, 'release'), false],
    ['a rollback deployment made by this run', deployment(7001, 'rollback'), false],
    ['a deployment the suite did not make', deployment(7001, undefined), false],
  ])('%s', (_situation, earlier, own) => {
    expect(ownEarlierRelease(earlier, 7001)).toBe(own ? earlier : undefined);
  });
});
