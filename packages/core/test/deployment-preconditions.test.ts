import { describe, expect, it } from '@jest/globals';
import { activeDeployments, supersedingDeployment } from '../src/state/environment-occupancy.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import { deploymentStandingRefusal, verificationDecision } from '../src/rules/deployment-preconditions.js';
import { approvalRefusal } from '../src/rules/approval.js';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import {
  approval,
  deployment as suiteDeployment,
  releaseStatuses,
  type DeploymentOptions,
} from './support/fixtures.js';

/** Deployment `id` of version `1.<id>.0` in production, prepared by run 100 + `id`, with statuses `written`. */
const deployment = (id: number, written: string[], options: DeploymentOptions = {}): DeploymentWithProgress =>
  suiteDeployment(id, written, { day: '2026-01-01', run: 100 + id, ...options });

const { prepared, deployed, deployFailed, verified, verificationFailed } = releaseStatuses({
  version: '1.0.0',
  run: 1,
});
const accepted = [...verified, 'success: Accepted by mona; prepared by mona'];
const replaced = [...accepted, 'inactive: Replaced by 1.3.0 (deployment 3, run 9)'];
const superseded = [...prepared, 'inactive: Superseded: never deployed; run 9 prepared a newer release'];

describe('supersedingDeployment: the newer release that reached the environment', () => {
  it.each([
    ['no newer deployment', [deployment(2, deployed)], undefined],
    ['a newer one only prepared', [deployment(3, prepared), deployment(2, deployed)], undefined],
    [
      'a newer one superseded before it deployed',
      [deployment(3, superseded), deployment(2, deployed)],
      undefined,
    ],
    ['a newer one deploying', [deployment(3, [...prepared, 'in_progress: Deploying 1.3.0'])], 3],
    ['a newer one whose deploy failed', [deployment(3, deployFailed)], 3],
    ['a newer one deployed', [deployment(4, prepared), deployment(3, deployed), deployment(2, deployed)], 3],
    ['a newer one replaced since by a third', [deployment(4, deployed), deployment(3, replaced)], 4],
    [
      'a newer deployment GitHub made for a job (no release record)',
      [deployment(3, deployed, { suite: false })],
      undefined,
    ],
    ['only older ones', [deployment(1, accepted)], undefined],
  ])('%s', (_name, recent, expected) => {
    expect(supersedingDeployment(2, recent)?.deployment.id).toBe(expected);
  });
});

describe('activeDeployments: what GitHub shows as active (newest status success)', () => {
  it.each([
    ['an accepted one', [deployment(1, accepted)], [], [1]],
    ['a replaced one is not', [deployment(1, replaced)], [], []],
    ['a failed verification is not', [deployment(1, verificationFailed)], [], []],
    [
      'a deployed one, and the same one twice (tag and list)',
      [deployment(1, deployed), deployment(1, deployed)],
      [],
      [1],
    ],
    ['except the replacement itself', [deployment(2, deployed), deployment(1, accepted)], [2], [1]],
    ['a job deployment of GitHub is left alone', [deployment(1, deployed, { suite: false })], [], []],
    ['nothing read', [undefined], [], []],
  ])('%s', (_name, candidates, except, expected) => {
    expect(activeDeployments(candidates, except).map((entry) => entry.deployment.id)).toEqual(expected);
  });
});

describe('deploymentStandingRefusal: verify and accept need a deployment that deployed and still runs there', () => {
  it.each([
    ['deployed', deployment(2, deployed), [], undefined],
    ['verified', deployment(2, verified), [], undefined],
    [
      'a rollback accepted without a separate deploy step',
      deployment(2, [
        ...prepared,
        'in_progress: Deploying rollback',
        'success: Accepted as rollback from 1.3.0: bad',
      ]),
      [],
      undefined,
    ],
    [
      'only prepared',
      deployment(2, prepared),
      [],
      /never deployed successfully \(its latest status is 'queued'/,
    ],
    [
      'deploy failed',
      deployment(2, deployFailed),
      [],
      /never deployed successfully.*Deploy failed: exit code 1/,
    ],
    [
      'redeployed after a failure',
      deployment(2, [...deployFailed, 'success: Deployed 1.0.0']),
      [],
      undefined,
    ],
    [
      'superseded by a newer deployed release',
      deployment(2, deployed),
      [deployment(3, deployed)],
      /superseded: deployment 3 \(1\.3\.0\), run 103 was deployed there after it.*deployment 3 instead/,
    ],
  ])('%s', (_name, target, newer, expected) => {
    const recent = [...newer, target];
    const refusal = deploymentStandingRefusal('accept', 'production', target, recent);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(expected);
  });

  it('names the action that refuses', () => {
    expect(deploymentStandingRefusal('verify', 'production', deployment(2, prepared), [])).toContain(
      'so verify records nothing',
    );
  });
});

describe('verificationDecision: accept and verification', () => {
  const required = 'environments.production.verify in .github/promotion.yml';
  it.each([
    ['passed, required', verified, required, false, {}],
    ['never ran, not required', deployed, undefined, false, {}],
    [
      'never ran, required',
      deployed,
      required,
      false,
      { refusal: expect.stringMatching(/requires a passed verification.*force: true/) },
    ],
    [
      'never ran, required, forced',
      deployed,
      required,
      true,
      { override: expect.stringContaining('no passed verification of deployment 2') },
    ],
    [
      'failed, not required',
      verificationFailed,
      undefined,
      false,
      {
        refusal: expect.stringMatching(
          /failed verification \(Verification failed: healthz: 500\).*even with force/,
        ),
      },
    ],
    [
      'failed, forced: still refused',
      verificationFailed,
      required,
      true,
      { refusal: expect.stringContaining('even with force') },
    ],
    [
      'failed then passed on a second run',
      [...verificationFailed, 'success: Verified: 1 check(s) passed'],
      required,
      false,
      {},
    ],
  ])('%s', (_name, written, requiredBy, force, expected) => {
    const { deployment: record, progress } = deployment(2, written);
    expect(
      verificationDecision({ environment: 'production', deployment: record, progress, requiredBy, force }),
    ).toEqual(expected);
  });
});

describe('approvalRefusal', () => {
  it.each([
    ['optional, none', { approval: 'optional' as const, preventSelfApproval: false }, [], undefined],
    [
      'required, none',
      { approval: 'required' as const, preventSelfApproval: false },
      [],
      /requires an approval/,
    ],
    [
      'required, by another',
      { approval: 'required' as const, preventSelfApproval: true },
      [approval('lee')],
      undefined,
    ],
    [
      'self-approval forbidden',
      { approval: 'required' as const, preventSelfApproval: true },
      [approval('mona')],
      /forbids self-approval/,
    ],
    [
      'self-approval allowed',
      { approval: 'required' as const, preventSelfApproval: false },
      [approval('mona')],
      undefined,
    ],
  ])('%s', (_name, settings, approvals, expected) => {
    const refusal = approvalRefusal('production', settings, approvals, 'mona', 7);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(expected);
  });
});

describe('environment names ignore case, as on GitHub', () => {
  const config = parsePromotionConfig(
    'environments: [integration, preproduction, production]\nversioning:\n  starts-at: PreProduction\n',
    'test',
  );
  it.each(['production', 'Production', 'PRODUCTION'])('%s is the chain’s production', (name) => {
    expect(config.chain.get(name).name).toBe('production');
    expect(config.chain.isLast(name)).toBe(true);
  });
  it('starts-at takes the chain’s spelling', () => {
    expect(config.versioning.startsAt).toBe('preproduction');
  });
});
