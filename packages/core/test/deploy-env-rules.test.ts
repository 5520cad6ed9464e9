/**
 * deploy-env's rules as pure functions, a row per situation: which steps start a deployment (the only ones a
 * freeze window refuses), what is refused before anything is read, what the decision records once the
 * deployment is read, and the failure line of a deploy command — no emulator, no request.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { ReleaseStep } from '../src/state/deployment-markers.js';
import {
  admitDeployment,
  decideDeployment,
  deployCommandFailure,
  DEPLOY_NOTHING_ASKED,
  startsDeployment,
  startsDeploymentWhateverItsState,
  type DeployEnvironmentPlan,
  type DeployEnvironmentRequest,
  type DeployStatus,
} from '../src/use-cases/deploy-env.js';
import { isRefusal, type Decided, type Refusal } from '../src/rules/decision.js';
import { deployment as suiteDeployment, runContext, SATURDAY, WEEKDAY } from './support/fixtures.js';

const config = parsePromotionConfig(
  `environments:
  - name: production
    url: https://shop.example
    freeze:
      - {days: [sat, sun], from: "00:00", to: "23:59", time-zone: UTC, reason: weekend}
`,
  'test',
);
const context = runContext();
/** What a step forced with a reason adds to its request. */
const FORCED = { force: true, reason: 'fix' };
const FROZEN = /^'production' is frozen: .*deploy-env makes no change to 'production'/;

function request(asked: Partial<DeployEnvironmentRequest>): DeployEnvironmentRequest {
  return {
    environment: 'production',
    deploymentId: undefined,
    status: undefined,
    run: undefined,
    environmentUrl: undefined,
    dryRun: false,
    ...asked,
  };
}

/** Deployment 12 of commit aaaaaaa, without the suite's record, with its statuses `written`, oldest first. */
const deployment = (written: readonly string[]) =>
  suiteDeployment(12, written, { sha: 'a'.repeat(40), suite: false });

/** decideDeployment on that deployment with its statuses `written`: nothing newer there, nothing accepted. */
function decide(
  asked: Partial<DeployEnvironmentRequest>,
  written: readonly string[],
  now: Date,
): Decided<DeployEnvironmentPlan> | Refusal {
  const target = { ...deployment(written), recent: [], accepted: undefined };
  return decideDeployment({ request: request(asked), facts: { target }, config, context, now });
}

const prepared = ['queued: Prepared aaaaaaa by run 77; waiting to be deployed'];
const deploying = [...prepared, 'in_progress: Deploying aaaaaaa (run 77)'];

describe('startsDeployment: the steps a freeze window refuses', () => {
  it.each<[string, Partial<DeployEnvironmentRequest>, ReleaseStep | undefined, boolean]>([
    ['a deploy command, on a prepared release', { run: './deploy.sh' }, 'prepared', true],
    ['a deploy command, on one already deploying', { run: './deploy.sh' }, 'deploying', true],
    ['a deploy command wins over a status', { run: './deploy.sh', status: 'failure' }, 'deploying', true],
    ['in_progress of a prepared release', { status: 'in_progress' }, 'prepared', true],
    ['in_progress again, on a re-run', { status: 'in_progress' }, 'deploying', true],
    ['success of a prepared release (deployed outside the suite)', { status: 'success' }, 'prepared', true],
    ['success of a release with no status yet', { status: 'success' }, undefined, true],
    ['success of a release recorded as deploying: its outcome', { status: 'success' }, 'deploying', false],
    ['success again, on a re-run of a deployed one', { status: 'success' }, 'deployed', true],
    ['failure of a prepared release', { status: 'failure' }, 'prepared', false],
    ['failure of a release deploying', { status: 'failure' }, 'deploying', false],
  ])('%s', (_situation, asked, lastStep, expected) => {
    expect(startsDeployment(request(asked), { lastStep })).toBe(expected);
  });

  it.each<[Partial<DeployEnvironmentRequest>, boolean]>([
    [{ run: './deploy.sh' }, true],
    [{ status: 'in_progress' }, true],
    [{ status: 'success' }, false],
    [{ status: 'failure' }, false],
  ])('before the state is read, %j starts one: %s', (asked, expected) => {
    expect(startsDeploymentWhateverItsState(request(asked))).toBe(expected);
  });
});

describe('admitDeployment: refused before anything is read', () => {
  it.each<[string, Partial<DeployEnvironmentRequest>, Date, 'admitted' | 'nothing asked' | 'frozen']>([
    ['neither status nor run', {}, WEEKDAY, 'nothing asked'],
    ['neither status nor run, inside the window', {}, SATURDAY, 'nothing asked'],
    ['a deploy command outside the window', { run: './deploy.sh' }, WEEKDAY, 'admitted'],
    ['a deploy command inside the window', { run: './deploy.sh' }, SATURDAY, 'frozen'],
    ['a deploy command inside, forced', { run: './deploy.sh', ...FORCED }, SATURDAY, 'admitted'],
    ['in_progress inside the window', { status: 'in_progress' }, SATURDAY, 'frozen'],
    ['in_progress inside, forced', { status: 'in_progress', ...FORCED }, SATURDAY, 'admitted'],
    ['success inside: decided once the deployment is read', { status: 'success' }, SATURDAY, 'admitted'],
    ['failure inside: always recorded', { status: 'failure' }, SATURDAY, 'admitted'],
  ])('%s: %s', (_situation, asked, now, expected) => {
    const refusal = admitDeployment(config, request(asked), now);
    if (expected === 'admitted') expect(refusal).toBeUndefined();
    if (expected === 'nothing asked') expect(refusal).toEqual({ refused: DEPLOY_NOTHING_ASKED });
    if (expected === 'frozen') expect(refusal?.refused).toMatch(FROZEN);
  });
});

describe('decideDeployment: the freeze rule by the deployment state, and what is recorded', () => {
  interface Row {
    asked: Partial<DeployEnvironmentRequest>;
    written: readonly string[];
    now: Date;
    /** 'refused', or the override note the statuses end with ('' for none). */
    expected: 'refused' | string;
  }
  /** The note the statuses end with when the freeze window was overridden. */
  const OVERRIDDEN = '; freeze overridden: fix';
  it.each<[string, Row]>([
    [
      'success of a prepared release inside the window',
      { asked: { status: 'success' }, written: prepared, now: SATURDAY, expected: 'refused' },
    ],
    [
      'success of one deploying inside the window: its outcome',
      { asked: { status: 'success' }, written: deploying, now: SATURDAY, expected: '' },
    ],
    [
      'success of one deploying, forced: no second override',
      { asked: { status: 'success', ...FORCED }, written: deploying, now: SATURDAY, expected: '' },
    ],
    [
      'success of a prepared release, forced',
      { asked: { status: 'success', ...FORCED }, written: prepared, now: SATURDAY, expected: OVERRIDDEN },
    ],
    [
      'in_progress, forced',
      { asked: { status: 'in_progress', ...FORCED }, written: prepared, now: SATURDAY, expected: OVERRIDDEN },
    ],
    [
      'failure inside the window',
      { asked: { status: 'failure' }, written: deploying, now: SATURDAY, expected: '' },
    ],
    [
      'success outside every window',
      { asked: { status: 'success' }, written: prepared, now: WEEKDAY, expected: '' },
    ],
    [
      'forced outside every window: nothing overridden',
      { asked: { run: './deploy.sh', ...FORCED }, written: prepared, now: WEEKDAY, expected: '' },
    ],
  ])('%s', (_situation, { asked, written, now, expected }) => {
    const decision = decide(asked, written, now);
    if (expected === 'refused') {
      expect(isRefusal(decision) && decision.refused).toMatch(FROZEN);
      return;
    }
    if (isRefusal(decision)) throw new Error(`refused: ${decision.refused}`);
    expect(decision.plan.note).toBe(expected);
    expect(decision.warnings).toHaveLength(expected ? 1 : 0);
    expect(decision.plan.result.freezeOverride !== undefined).toBe(expected !== '');
  });

  it.each<[string, Partial<DeployEnvironmentRequest>, DeployStatus, string]>([
    ['a status: that status, the configured URL', { status: 'failure' }, 'failure', 'https://shop.example'],
    ['a deploy command: success unless it fails', { run: './deploy.sh' }, 'success', 'https://shop.example'],
    [
      'an environment-url input wins',
      { status: 'success', environmentUrl: 'https://pr.example' },
      'success',
      'https://pr.example',
    ],
  ])('the result of %s', (_situation, asked, status, url) => {
    const decision = decide(asked, deploying, WEEKDAY);
    if (isRefusal(decision)) throw new Error(`refused: ${decision.refused}`);
    expect(decision.plan.result).toMatchObject({
      status,
      environmentUrl: url,
      deployment: { id: 12 },
      replaced: [],
    });
    expect(decision.plan.result.runUrl).toBe('https://github.com/octo-org/shop/actions/runs/77/attempts/1');
  });
});

describe('deployCommandFailure: the step fails when the deploy command did', () => {
  it.each<[string, number | null | 'none', string | undefined]>([
    ['no command run (a status)', 'none', undefined],
    ['exit code 0', 0, undefined],
    ['exit code 3', 3, 'The deploy command exited with 3; the deployment is marked failed.'],
    [
      'killed',
      null,
      'The deploy command exited with no exit code (killed); the deployment is marked failed.',
    ],
  ])('%s', (_situation, exitCode, expected) => {
    const command = exitCode === 'none' ? undefined : { exitCode, timedOut: false, tail: [], durationMs: 5 };
    expect(deployCommandFailure({ command })).toBe(expected);
  });
});

describe('decideDeployment with a rollout: the warnings about inputs it reads', () => {
  const withRollout = parsePromotionConfig(
    `environments:
  - name: staging
  - name: production
    rollout:
      strategy: canary
      steps: [{weight: 50}, {weight: 100}]
`,
    'test',
  );
  const decideIn = (environment: string, asked: Partial<DeployEnvironmentRequest>) => {
    const target = { ...deployment([]), recent: [], accepted: undefined };
    const decision = decideDeployment({
      request: request({ environment, ...asked }),
      facts: { target },
      config: withRollout,
      context,
      now: WEEKDAY,
    });
    if (isRefusal(decision)) throw new Error(decision.refused);
    return decision;
  };
  it.each([
    {
      label: 'run in a canary environment: planned, no warning',
      environment: 'production',
      asked: { run: './deploy.sh' },
      warning: undefined,
      planned: 2,
    },
    {
      label: 'a status where a rollout needs run',
      environment: 'production',
      asked: { status: 'success' as DeployStatus },
      warning: /has a canary rollout, which deploy-env carries out only with 'run'/,
      planned: undefined,
    },
    {
      label: 'rollback-run without run',
      environment: 'production',
      asked: { status: 'success' as DeployStatus, rollbackRun: './undo.sh' },
      warning: /'rollback-run' is used only when a rollout run by 'run' fails/,
      planned: undefined,
    },
    {
      label: 'rollback-run where the environment deploys all at once',
      environment: 'staging',
      asked: { run: './deploy.sh', rollbackRun: './undo.sh' },
      warning: /'staging' deploys all at once: it is ignored/,
      planned: undefined,
    },
    {
      label: 'run where the environment deploys all at once: no warning, no plan',
      environment: 'staging',
      asked: { run: './deploy.sh' },
      warning: undefined,
      planned: undefined,
    },
  ])('$label', ({ environment, asked, warning, planned }) => {
    const decision = decideIn(environment, asked);
    if (warning) expect(decision.warnings).toEqual([expect.stringMatching(warning)]);
    else expect(decision.warnings).toEqual([]);
    expect(decision.plan.rollout?.steps.length).toBe(planned);
  });
});
