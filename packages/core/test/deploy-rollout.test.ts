/**
 * deploy-env's rollout plan (`planRollout`, pure), a row per situation: the environment's rollout, the
 * deployment being rolled out with its statuses, and what else the environment recorded (the accepted release,
 * the newest deployments). The loop and the final status are in `run-rollout.test.ts`.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { isRefusal } from '../src/rules/decision.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import { planRollout, type RolloutPlan } from '../src/use-cases/deploy-rollout.js';
import type { TargetDeployment } from '../src/use-cases/target-deployment.js';
import { deployment } from './support/fixtures.js';

const NOW = Date.parse('2026-07-01T12:00:00Z');
const REQUEST = { environment: 'production', run: './deploy.sh', rollbackRun: undefined };

/** A configuration whose production has `rollout` (a YAML flow mapping) and a health check. */
function configWith(rollout: string | undefined) {
  return parsePromotionConfig(
    `environments:
  - integration
  - name: production
    verify:
      - url: https://shop.example/healthz
${rollout === undefined ? '' : `    rollout: ${rollout}\n`}`,
    'test',
  );
}

const CANARY = '{ strategy: canary, steps: [{ weight: 10, pause: 5m }, { weight: 100 }] }';
const BLUE_GREEN = '{ strategy: blue-green, pause: 2m }';

const PREPARED = ['queued: Prepared by run 75; waiting to be deployed'];

/** A blue-green release that switched traffic to `slot`, then had `more` statuses. */
function switchedTo(id: number, slot: string, more: string[] = []): DeploymentWithProgress {
  return deployment(
    id,
    [
      'in_progress: Deploying',
      `in_progress: Step 1/2: deploy to ${slot} — watching 2m`,
      `in_progress: Step 2/2: switch to ${slot}`,
      'success: Deployed',
      ...more,
    ],
    { hour: id },
  );
}

/** A blue-green release whose switch to `slot` was recorded, the `Deployed` after it never written. */
const switchedUnrecorded = (id: number, slot: string): DeploymentWithProgress =>
  deployment(
    id,
    [
      'in_progress: Deploying',
      `in_progress: Step 1/2: deploy to ${slot} — watching 2m`,
      `in_progress: Step 2/2: switch to ${slot}`,
    ],
    { hour: id },
  );

/** Deployment 5 being rolled out (its statuses `written`), with the environment's other deployments. */
function target(
  written: string[],
  others: { recent?: DeploymentWithProgress[]; accepted?: DeploymentWithProgress } = {},
): TargetDeployment {
  const own = deployment(5, written, { hour: 5 });
  return { ...own, recent: [own, ...(others.recent ?? [])], accepted: others.accepted };
}

/** The plan, failing the test when it is a refusal or there is none. */
function planOf(rollout: string | undefined, of: TargetDeployment): RolloutPlan {
  const plan = planRollout(configWith(rollout), REQUEST, of, NOW);
  if (plan === undefined || isRefusal(plan)) throw new Error(`expected a plan, got ${JSON.stringify(plan)}`);
  return plan;
}

describe('planRollout', () => {
  it.each([
    { label: 'no rollout', rollout: undefined },
    { label: 'all-at-once', rollout: '{ strategy: all-at-once }' },
  ])('$label: no plan (deploy-env deploys at once)', ({ rollout }) => {
    expect(planRollout(configWith(rollout), REQUEST, target(PREPARED), NOW)).toBeUndefined();
  });

  it('canary, fresh: its steps, the checks, the command for both deploy and rollback', () => {
    const plan = planOf(CANARY, target(PREPARED));
    expect(plan.steps.map((step) => step.label)).toEqual(['10%', '100%']);
    expect(plan.start).toEqual({ kind: 'fresh' });
    expect(plan.checks).toEqual([
      expect.objectContaining({ kind: 'http', url: 'https://shop.example/healthz' }),
    ]);
    expect(plan.command).toBe('./deploy.sh');
    expect(plan.rollbackCommand).toBe('./deploy.sh');
    expect(plan.replaced).toBeUndefined();
  });

  it('a rollback-run command is the rollback command', () => {
    const plan = planRollout(
      configWith(CANARY),
      { ...REQUEST, rollbackRun: './undo.sh' },
      target(PREPARED),
      NOW,
    );
    expect(plan !== undefined && !isRefusal(plan) && plan.rollbackCommand).toBe('./undo.sh');
  });

  it('the release accepted there is the one replaced', () => {
    const accepted = deployment(
      2,
      ['in_progress: Deploying', 'success: Deployed', 'success: Accepted by lee'],
      {
        sha: 'b'.repeat(40),
        version: '1.1.0',
      },
    );
    const plan = planOf(CANARY, target(PREPARED, { recent: [accepted], accepted }));
    expect(plan.replaced).toEqual({ sha: 'b'.repeat(40), version: '1.1.0' });
  });

  it('a re-run of the accepted deployment itself replaces nothing', () => {
    const own = deployment(5, ['in_progress: Deploying', 'in_progress: Step 1/2: 10% — watching 5m']);
    const plan = planOf(CANARY, { ...own, recent: [own], accepted: own });
    expect(plan.replaced).toBeUndefined();
    expect(plan.start).toMatchObject({ kind: 'resume', completed: 1 });
  });

  it.each([
    'Rollout failed at step 1/2 (10%), rolled back: healthz: HTTP 500',
    'Rollout failed at step 1/2 (10%), rollback command exit code 1: healthz: HTTP 500',
    'Rollout halted at step 1/2 (10%): healthz: HTTP 500',
  ])('a rollout that ended there ("%s") is refused, the release held', (end) => {
    const failed = target([
      'in_progress: Deploying',
      'in_progress: Step 1/2: 10% — watching 5m',
      // A failed rollout wrote "rolling back" before its rollback ran; a halted one did not.
      ...(end.startsWith('Rollout failed')
        ? ['failure: Rollout failed at step 1/2 (10%), rolling back: healthz: HTTP 500']
        : []),
      `failure: ${end}`,
    ]);
    const plan = planRollout(configWith(CANARY), REQUEST, failed, NOW);
    expect(isRefusal(plan)).toBe(true);
    expect(isRefusal(plan) && plan.refused).toBe(
      `Deployment 5 is not rolled out again: ${end}. The release is held in 'production'.`,
    );
  });

  it('a rollout left rolling back there is planned to finish its rollback (undo), not refused', () => {
    const rollingBack = target([
      'in_progress: Deploying',
      'in_progress: Step 1/2: 10% — watching 5m',
      'failure: Rollout failed at step 1/2 (10%), rolling back: healthz: HTTP 500',
    ]);
    const plan = planOf(CANARY, rollingBack);
    expect(plan.start).toEqual({ kind: 'undo', failed: 1, reason: 'healthz: HTTP 500' });
    expect(plan.rollbackCommand).toBe('./deploy.sh');
  });

  const slotRows: Array<{
    label: string;
    recent: DeploymentWithProgress[];
    accepted: DeploymentWithProgress | undefined;
    idle: string;
  }> = [
    { label: 'no history: to blue', recent: [], accepted: undefined, idle: 'blue' },
    {
      label: 'the accepted release switched to blue: to green',
      recent: [switchedTo(2, 'blue')],
      accepted: switchedTo(2, 'blue'),
      idle: 'green',
    },
    {
      label: 'the accepted release, older than the newest read, switched to blue: to green',
      recent: [],
      accepted: switchedTo(1, 'blue'),
      idle: 'green',
    },
    {
      label: 'a newer release (deployed, not accepted) switched to green after the accepted one: to blue',
      recent: [switchedTo(3, 'green'), switchedTo(2, 'blue')],
      accepted: switchedTo(2, 'blue'),
      idle: 'blue',
    },
    {
      label: 'a newer release switched to green, its Deployed never written: to blue',
      recent: [switchedUnrecorded(3, 'green'), switchedTo(2, 'blue')],
      accepted: switchedTo(2, 'blue'),
      idle: 'blue',
    },
  ];

  it.each(slotRows)('blue-green, $label', ({ recent, accepted, idle }) => {
    const plan = planOf(BLUE_GREEN, target(PREPARED, { recent, accepted }));
    expect(plan.slots.idle).toBe(idle);
    expect(plan.steps.map((step) => step.variables.RELEASE_SLOT)).toEqual([idle, idle]);
  });
});
