/**
 * accept's rules as one pure decision (`decideAccept`), a row per situation: what deployed and still runs there,
 * what passed verification, who approved, and the freeze windows — no emulator, no request.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import type { RunApproval } from '../src/state/run-approvals.js';
import {
  decideAccept,
  verificationRequiredBy,
  type AcceptPlan,
  type AcceptRequest,
} from '../src/use-cases/accept.js';
import { isRefusal, type Decided, type Refusal } from '../src/rules/decision.js';
import {
  approval as approvedBy,
  deployment as suiteDeployment,
  releaseStatuses,
  repositorySnapshot,
  runContext,
  SATURDAY,
  WEEKDAY,
} from './support/fixtures.js';

const config = parsePromotionConfig(
  `environments:
  - integration
  - name: production
    approval: required
    prevent-self-approval: true
    verify: [{url: "https://shop.example/healthz"}]
    freeze:
      - {days: [sat, sun], from: "00:00", to: "23:59", time-zone: UTC, reason: weekend}
`,
  'test',
);
const context = runContext();

/** Deployment `id` of version `1.<id>.0` in production, prepared with 1.0.0 running there. */
const deployment = (id: number, written: readonly string[]) =>
  suiteDeployment(id, written, { previous: { sha: 'b'.repeat(40), version: '1.0.0' } });

const { prepared, deployed, deployFailed, verified, verificationFailed } = releaseStatuses({
  version: '1.2.0',
  run: 72,
});

interface Situation {
  target: DeploymentWithProgress;
  newer?: DeploymentWithProgress;
  approvals?: RunApproval[];
  force?: boolean;
  now?: Date;
}

function decide(situation: Situation): Decided<AcceptPlan> | Refusal {
  const recent = [...(situation.newer ? [situation.newer] : []), situation.target];
  const snapshot = repositorySnapshot({ recent: new Map([['production', recent]]) });
  const request: AcceptRequest = {
    environment: 'production',
    deploymentId: undefined,
    approval: 'run',
    force: situation.force ?? false,
    reason: situation.force ? 'incident 42' : undefined,
    dryRun: false,
  };
  return decideAccept({
    request,
    facts: { snapshot, target: situation.target, approvals: situation.approvals ?? [approvedBy('lee')] },
    config,
    context,
    now: situation.now ?? WEEKDAY,
  });
}

describe('accept preconditions: deployed, still running there, verified, approved', () => {
  it.each<[string, Situation, RegExp]>([
    ['never deployed', { target: deployment(2, prepared) }, /was never deployed successfully/],
    ['deploy failed', { target: deployment(2, deployFailed) }, /was never deployed successfully/],
    [
      'a newer release deployed since',
      { target: deployment(2, verified), newer: deployment(3, deployed) },
      /is superseded: deployment 3 \(1\.3\.0\)/,
    ],
    ['verification failed', { target: deployment(2, verificationFailed) }, /failed verification/],
    [
      'verification failed, even with force',
      { target: deployment(2, verificationFailed), force: true },
      /cannot be accepted, even with force/,
    ],
    [
      'checks configured, never verified',
      { target: deployment(2, deployed) },
      /requires a passed verification before accept/,
    ],
    [
      'approval required, none recorded',
      { target: deployment(2, verified), approvals: [] },
      /requires an approval \(approval: required\)/,
    ],
    [
      'four eyes: only the preparer approved',
      { target: deployment(2, verified), approvals: [approvedBy('mona')] },
      /forbids self-approval/,
    ],
  ])('%s: refused', (_name, situation, message) => {
    const decision = decide(situation);
    expect(isRefusal(decision) && decision.refused).toMatch(message);
  });

  it.each<
    [string, Situation, { warnings: RegExp[]; verificationOverride: boolean; freezeOverride: boolean }]
  >([
    [
      'deployed, verified, approved by another',
      { target: deployment(2, verified) },
      { warnings: [], verificationOverride: false, freezeOverride: false },
    ],
    [
      'approved by the preparer and another',
      { target: deployment(2, verified), approvals: [approvedBy('mona'), approvedBy('lee')] },
      { warnings: [], verificationOverride: false, freezeOverride: false },
    ],
    [
      'never verified, forced: accepted unverified, recorded',
      { target: deployment(2, deployed), force: true },
      {
        warnings: [/^Verification overridden with force \(incident 42\)/],
        verificationOverride: true,
        freezeOverride: false,
      },
    ],
    [
      'inside a freeze window, forced: the override is recorded',
      { target: deployment(2, verified), force: true, now: SATURDAY },
      {
        warnings: [/^Freeze overridden with force \(incident 42\)/],
        verificationOverride: false,
        freezeOverride: true,
      },
    ],
  ])('%s: accepted', (_name, situation, expected) => {
    const decision = decide(situation);
    if (isRefusal(decision)) throw new Error(`refused: ${decision.refused}`);
    expect(decision.warnings).toHaveLength(expected.warnings.length);
    expected.warnings.forEach((warning, index) => expect(decision.warnings[index]).toMatch(warning));
    const { result, description } = decision.plan;
    expect(result.verificationOverride !== undefined).toBe(expected.verificationOverride);
    expect(result.freezeOverride !== undefined).toBe(expected.freezeOverride);
    expect(result.sha).toBe(situation.target.deployment.sha);
    expect(description).toMatch(/^Accepted by lee/);
    expect(description).toContain('prepared by mona');
  });
});

describe('verificationRequiredBy: what makes accept require a passed verification', () => {
  const config = parsePromotionConfig(
    `environments:
  - name: dev
  - name: staging
    verify: [{url: 'https://staging.example/healthz'}]
  - name: canary
    rollout: {strategy: canary, steps: [{weight: 10}, {weight: 100}]}
  - name: plain
    rollout: {strategy: all-at-once}
`,
    'test.yml',
  );
  it.each([
    ['dev', undefined],
    ['staging', 'environments.staging.verify in test.yml'],
    ['canary', 'the canary rollout of canary in test.yml'],
    ['plain', undefined],
  ])('%s: %s', (environment, requiredBy) => {
    expect(verificationRequiredBy(config, environment)).toBe(requiredBy);
  });
});
