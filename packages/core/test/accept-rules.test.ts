/**
 * accept's rules as one pure decision (`decideAccept`), a row per situation: what deployed and still runs there,
 * what passed verification, who approved, and the freeze windows — no emulator, no request.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { RunContext } from '../src/run-context.js';
import { releaseProgress, type StatusRecord } from '../src/state/deployment-markers.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import type { RepositorySnapshot } from '../src/state/repository-snapshot.js';
import type { RunApproval } from '../src/state/run-approvals.js';
import { decideAccept, type AcceptPlan, type AcceptRequest } from '../src/use-cases/accept.js';
import { isRefusal, type Decided, type Refusal } from '../src/use-cases/use-case.js';

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
const context: RunContext = {
  owner: 'octo-org',
  repo: 'shop',
  sha: 'c'.repeat(40),
  ref: 'refs/heads/main',
  runId: 77,
  runAttempt: 1,
  actor: 'lee',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  workflow: 'Promote',
  job: 'promote',
  workspace: undefined,
};
const WEEKDAY = new Date('2026-07-01T10:00:00Z');
const SATURDAY = new Date('2026-07-04T10:00:00Z');

/** Statuses written oldest first as `state: Description`. */
function statuses(written: readonly string[]): StatusRecord[] {
  return written
    .map((entry, index) => {
      const at = entry.indexOf(': ');
      return {
        id: index + 1,
        state: entry.slice(0, at),
        description: entry.slice(at + 2),
        createdAt: `2026-07-01T00:00:0${index}Z`,
        creator: 'github-actions[bot]',
        environmentUrl: '',
        logUrl: '',
      };
    })
    .reverse();
}

function deployment(id: number, written: readonly string[]): DeploymentWithProgress {
  const sha = `${id}`.padStart(40, 'a');
  return {
    deployment: {
      id,
      sha,
      environment: 'production',
      url: '',
      createdAt: '2026-07-01T00:00:00Z',
      creator: 'github-actions[bot]',
      release: {
        schema: 1,
        kind: 'release',
        environment: 'production',
        sha,
        version: `1.${id}.0`,
        previous: { sha: 'b'.repeat(40), version: '1.0.0' },
        run: { id: 70 + id, attempt: 1, url: '' },
        actor: 'mona',
        forced: null,
        rollback: null,
      },
    },
    progress: releaseProgress(statuses(written)),
  };
}

const prepared = ['queued: Prepared 1.2.0 by run 72; waiting to be deployed'];
const deployed = [...prepared, 'in_progress: Deploying 1.2.0', 'success: Deployed 1.2.0'];
const deployFailed = [...prepared, 'in_progress: Deploying 1.2.0', 'failure: Deploy failed: exit code 1'];
const verified = [...deployed, 'success: Verified: 1 check(s) passed'];
const verificationFailed = [...deployed, 'failure: Verification failed: healthz: 500'];

const approvedBy = (user: string): RunApproval => ({
  user,
  state: 'approved',
  environments: ['production'],
  comment: '',
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
  const snapshot = {
    repositoryId: 'R_1',
    tags: new Map(),
    recent: new Map([['production', recent]]),
    commits: new Map(),
    releases: [],
  } as unknown as RepositorySnapshot;
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
