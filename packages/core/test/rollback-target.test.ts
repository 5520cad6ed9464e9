/**
 * The rollback target rule as one pure decision (`decideRollback`), a row per situation: what runs in the
 * environment, what went out there since, what `to` names, and whether this run already started the rollback.
 * No emulator, no request: the snapshot is built as plain objects.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { ReleaseRef } from '../src/state/deployment-payload.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import type { CommitState } from '../src/state/repository-snapshot.js';
import { decideRollback, type RollbackRequest } from '../src/use-cases/rollback.js';
import { isRefusal } from '../src/rules/decision.js';
import {
  commitState as read,
  deployment as suiteDeployment,
  releaseStatuses,
  repositorySnapshot,
  runContext,
} from './support/fixtures.js';

const config = parsePromotionConfig(
  `environments:
  - integration
  - name: production
    url: https://shop.example
`,
  'test',
);
const RUN = 77;
const context = runContext({ sha: 'f'.repeat(40), runId: RUN });

/** Three releases: 1.0.0 (old), 1.1.0 (accepted now), 1.2.0 (newer). */
const OLD: ReleaseRef = { sha: 'b'.repeat(40), version: '1.0.0' };
const GOOD: ReleaseRef = { sha: 'a'.repeat(40), version: '1.1.0' };
const NEW: ReleaseRef = { sha: 'c'.repeat(40), version: '1.2.0' };
const UNKNOWN_SHA = 'd'.repeat(40);

const { prepared, deployFailed, verified, verificationFailed } = releaseStatuses({ run: 70 });
const accepted = [...verified, 'success: Accepted by lee'];
const rolledBack = [...verificationFailed, 'error: Rolled back to 1.1.0: error rate'];
/** A canary rollout of 3 steps that got to step 2, then `end` (the statuses after it). */
const rolledOutTo2 = (...end: string[]) => [
  ...prepared,
  'in_progress: Deploying 1.2.0',
  'in_progress: Step 1/3: 10% — watching 5m',
  'in_progress: Step 2/3: 50% — watching 10m',
  ...end,
];
const ROLLING_BACK = 'failure: Rollout failed at step 2/3 (50%), rolling back: errors: 0.2 (not below 0.01)';

interface Shape {
  kind?: 'release' | 'rollback';
  previous?: ReleaseRef | null;
  run?: number;
  /** A rollback deployment's bad release. */
  from?: ReleaseRef;
}

/** The suite's deployment `id` of `release` in production, with its statuses. */
function deployment(
  id: number,
  release: ReleaseRef,
  written: readonly string[],
  shape: Shape = {},
): DeploymentWithProgress {
  const { from, ...recorded } = shape;
  return suiteDeployment(id, written, {
    ...recorded,
    sha: release.sha,
    version: release.version,
    url: `https://api.github.com/repos/octo-org/shop/deployments/${id}`,
    rollback: from ? { from, reason: 'error rate' } : null,
  });
}

const goodAccepted = deployment(2, GOOD, accepted, { previous: OLD });
const oldAccepted = deployment(1, OLD, accepted);
/** 1.2.0 prepared over the accepted 1.1.0 as deployment 3, with its statuses `written`. */
const newerOverGood = (written: readonly string[]) => deployment(3, NEW, written, { previous: GOOD });
/** This run's rollback deployment 4 taking 1.1.0 out for 1.0.0, with its statuses `written`. */
const ownRollback = (written: readonly string[]) =>
  deployment(4, OLD, written, { kind: 'rollback', run: RUN, from: GOOD, previous: GOOD });

interface Situation {
  /** What `env/production` points at, with its commit's deployment there. */
  environmentTag?: CommitState;
  /** Production's newest deployments, newest first. */
  recent?: DeploymentWithProgress[];
  /** Version tags and commits `to` named. */
  tags?: Record<string, CommitState>;
  commits?: Record<string, CommitState>;
  to?: string;
  /** What the REST read found for a resumed rollback's bad release. */
  resumedBadDeployment?: DeploymentWithProgress;
}

/** Another run's rollback deployment 4, accepted: 1.0.0 back in place of 1.1.0. */
const otherRunsRollback = deployment(4, OLD, accepted, {
  kind: 'rollback',
  run: 60,
  from: GOOD,
  previous: GOOD,
});

/** Production with the tag on the accepted 1.1.0 and the deployments `newer` (newest first) made after it. */
const goodRuns = (...newer: DeploymentWithProgress[]): Situation => ({
  environmentTag: read(GOOD.sha, goodAccepted),
  recent: [...newer, goodAccepted],
});

function decide(situation: Situation) {
  const snapshot = repositorySnapshot({
    tags: new Map([
      ...(situation.environmentTag ? [['env/production', situation.environmentTag] as const] : []),
      ...Object.entries(situation.tags ?? {}),
    ]),
    commits: new Map(Object.entries(situation.commits ?? {})),
    recent: new Map([['production', situation.recent ?? []]]),
  });
  const request: RollbackRequest = {
    environment: 'production',
    to: situation.to,
    reason: 'error rate',
    run: undefined,
    dryRun: false,
  };
  return decideRollback({
    request,
    facts: { snapshot, resumedBadDeployment: situation.resumedBadDeployment?.deployment },
    config,
    context,
    now: new Date('2026-07-01T10:00:00Z'),
  });
}

/** What the rule decided, as a plain object: what goes back where, or the refusal's text. */
function outcome(situation: Situation) {
  const decision = decide(situation);
  if (isRefusal(decision)) return { refused: decision.refused };
  const { plan, warnings } = decision;
  const short = (release: ReleaseRef) => `${release.version ?? '-'}@${release.sha.slice(0, 7)}`;
  return {
    target: short(plan.target),
    rolledBack: short(plan.rolledBack),
    badDeployment: plan.badDeployment?.id,
    resumed: plan.resumed?.deployment.id,
    warnings,
  };
}

const back = (target: ReleaseRef, from: ReleaseRef, badDeployment: number | undefined, resumed?: number) => ({
  target: `${target.version ?? '-'}@${target.sha.slice(0, 7)}`,
  rolledBack: `${from.version ?? '-'}@${from.sha.slice(0, 7)}`,
  badDeployment,
  resumed,
  warnings: [],
});

describe('the rollback target rule: what goes back where', () => {
  it.each<[string, Situation, ReturnType<typeof outcome>]>([
    [
      'the accepted release goes back to the one it replaced',
      { environmentTag: read(GOOD.sha, goodAccepted), recent: [goodAccepted, oldAccepted] },
      back(OLD, GOOD, 2),
    ],
    [
      'a newest release whose verification failed goes back to the accepted one',
      goodRuns(newerOverGood(verificationFailed)),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release whose deploy failed goes back to the accepted one',
      goodRuns(newerOverGood(deployFailed)),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release only prepared (never went out) leaves the accepted one as the bad release',
      goodRuns(newerOverGood(prepared)),
      back(OLD, GOOD, 2),
    ],
    [
      'a newest release already rolled back is not taken out twice',
      goodRuns(newerOverGood(rolledBack)),
      back(OLD, GOOD, 2),
    ],
    [
      'a newest release whose rollout halted (still out there) goes back to the accepted one',
      goodRuns(
        newerOverGood(
          rolledOutTo2('failure: Rollout halted at step 2/3 (50%): errors: 0.2 (not below 0.01)'),
        ),
      ),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release whose rollout failed to roll back goes back to the accepted one',
      goodRuns(
        newerOverGood(
          rolledOutTo2(
            ROLLING_BACK,
            'failure: Rollout failed at step 2/3 (50%), rollback command exit code 1: errors: 0.2 (not below 0.01)',
          ),
        ),
      ),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release whose rollout is still rolling back goes back to the accepted one',
      goodRuns(newerOverGood(rolledOutTo2(ROLLING_BACK))),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release left part-way through its rollout (Step 2/3 newest) goes back to the accepted one',
      goodRuns(newerOverGood(rolledOutTo2())),
      back(GOOD, NEW, 3),
    ],
    [
      'a newest release its rollout rolled back is not taken out twice: the accepted one goes',
      goodRuns(
        newerOverGood(
          rolledOutTo2(
            ROLLING_BACK,
            'failure: Rollout failed at step 2/3 (50%), rolled back: errors: 0.2 (not below 0.01)',
          ),
        ),
      ),
      back(OLD, GOOD, 2),
    ],
    [
      "`to` a version accepted there (through its tag, the deployment's version)",
      { ...goodRuns(), tags: { 'v1.0.0': read(OLD.sha, oldAccepted) }, to: 'v1.0.0' },
      back(OLD, GOOD, 2),
    ],
    [
      '`to` a version written without the tag prefix',
      { ...goodRuns(), tags: { 'v1.0.0': read(OLD.sha, oldAccepted) }, to: '1.0.0' },
      back(OLD, GOOD, 2),
    ],
    [
      '`to` a sha accepted there',
      { ...goodRuns(), commits: { [OLD.sha]: read(OLD.sha, oldAccepted) }, to: OLD.sha },
      back(OLD, GOOD, 2),
    ],
    [
      '`to` the accepted release while a failed newer one is newest: back to what the tag holds',
      {
        ...goodRuns(newerOverGood(verificationFailed)),
        commits: { [GOOD.sha]: read(GOOD.sha, goodAccepted) },
        to: GOOD.sha,
      },
      back(GOOD, NEW, 3),
    ],
    [
      '`to` the version the environment tag holds, while a failed newer one is newest',
      {
        ...goodRuns(newerOverGood(verificationFailed)),
        tags: { 'v1.1.0': read(GOOD.sha, undefined) },
        to: 'v1.1.0',
      },
      back(GOOD, NEW, 3),
    ],
    [
      'a re-run of the same run completes its own rollback deployment',
      {
        ...goodRuns(ownRollback(['in_progress: Deploying rollback to 1.0.0 (run 77)'])),
        resumedBadDeployment: goodAccepted,
      },
      back(OLD, GOOD, 2, 4),
    ],
    [
      'a re-run after the tag moved still completes it (its target, its bad release)',
      {
        environmentTag: read(OLD.sha, oldAccepted),
        recent: [
          ownRollback(['in_progress: Deploying rollback to 1.0.0 (run 77)', 'success: Deployed rollback']),
          goodAccepted,
        ],
        resumedBadDeployment: goodAccepted,
      },
      back(OLD, GOOD, 2, 4),
    ],
    [
      "another run's rollback as the newest is not resumed: the release it put back is what goes",
      { environmentTag: read(OLD.sha, otherRunsRollback), recent: [otherRunsRollback, goodAccepted] },
      back(GOOD, OLD, 4),
    ],
  ])('%s', (_situation, situation, expected) => {
    expect(outcome(situation)).toEqual(expected);
  });
});

describe('the rollback target rule: refusals, with their texts', () => {
  it.each<[string, Situation, string]>([
    [
      'nothing accepted there and nothing being deployed',
      { recent: [] },
      "'production' has no release to roll back: nothing was accepted there (tag env/production does not exist) " +
        'and no release is being deployed.',
    ],
    [
      'only a prepared release, never deployed, and no tag',
      { recent: [deployment(3, NEW, prepared)] },
      "'production' has no release to roll back: nothing was accepted there (tag env/production does not exist) " +
        'and no release is being deployed.',
    ],
    [
      'the accepted release records no previous one',
      { environmentTag: read(OLD.sha, oldAccepted), recent: [oldAccepted] },
      "The release in 'production' (bbbbbbb) records no previous release to go back to. Name one with the 'to' " +
        'input (a version or sha accepted there before).',
    ],
    [
      'the tag points at a commit without a deployment there',
      { environmentTag: read(GOOD.sha, undefined), recent: [] },
      "The release in 'production' (aaaaaaa) records no previous release to go back to. Name one with the 'to' " +
        'input (a version or sha accepted there before).',
    ],
    [
      '`to` a version never tagged',
      { ...goodRuns(), tags: { 'v9.9.9': read(undefined) }, to: 'v9.9.9' },
      "Version v9.9.9 (input 'to') has no tag v9.9.9. Give a version or sha that was accepted in 'production' before.",
    ],
    [
      '`to` not a commit of the repository',
      { ...goodRuns(), commits: { 'no-such-branch': read(undefined) }, to: 'no-such-branch' },
      "'no-such-branch' (input 'to') is not a commit, branch or tag of octo-org/shop. Give a sha, branch or tag " +
        'that exists there.',
    ],
    [
      '`to` a commit never deployed there',
      { ...goodRuns(), commits: { [UNKNOWN_SHA]: read(UNKNOWN_SHA, undefined) }, to: UNKNOWN_SHA },
      `${UNKNOWN_SHA} (input 'to') was never accepted in 'production', so it is not a known good release there. ` +
        "Give a version or sha accepted there before, or leave 'to' empty for the previous release.",
    ],
    [
      '`to` a release deployed there but never accepted',
      {
        ...goodRuns(),
        tags: { 'v1.2.0': read(NEW.sha, deployment(3, NEW, verificationFailed)) },
        to: 'v1.2.0',
      },
      "v1.2.0 (input 'to') was never accepted in 'production', so it is not a known good release there. " +
        "Give a version or sha accepted there before, or leave 'to' empty for the previous release.",
    ],
    [
      '`to` the release that runs there now',
      { ...goodRuns(), tags: { 'v1.1.0': read(GOOD.sha, goodAccepted) }, to: 'v1.1.0' },
      "'production' already runs 1.1.0; nothing to roll back. Name another release with 'to'.",
    ],
  ])('%s', (_situation, situation, refused) => {
    expect(outcome(situation)).toEqual({ refused });
  });
});

describe('the writes a rollback plans', () => {
  it('carries the tag, the url, the production flag, the deployments read and the result to report', () => {
    const failed = deployment(3, NEW, verificationFailed, { previous: GOOD });
    const decision = decide(goodRuns(failed));
    if (isRefusal(decision)) throw new Error(decision.refused);
    const { plan } = decision;
    expect({
      environmentTag: plan.environmentTag,
      environmentUrl: plan.environmentUrl,
      production: plan.production,
      repositoryId: plan.repositoryId,
      currentSha: plan.currentSha,
      known: plan.known.map((entry) => entry?.deployment.id),
      result: plan.result,
    }).toEqual({
      environmentTag: 'env/production',
      environmentUrl: 'https://shop.example',
      production: true,
      repositoryId: 'R_1',
      currentSha: GOOD.sha,
      known: [3, 2, 2],
      result: {
        environment: 'production',
        target: GOOD,
        rolledBack: NEW,
        reason: 'error rate',
        deploymentId: undefined,
        rolledBackDeploymentId: 3,
        command: undefined,
        runUrl: 'https://github.com/octo-org/shop/actions/runs/77/attempts/1',
        dryRun: false,
      },
    });
  });
});
