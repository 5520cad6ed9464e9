/**
 * verify's rules as pure functions, a row per situation: which checks run (the step's, else the environment's),
 * a step with none refused before anything is read, a deployment refused before any check runs, and the status
 * the outcome is recorded with — no emulator, no request, no check run.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { CheckSpec } from '../src/checks/check-spec.js';
import { DEFAULT_VERIFICATION_OPTIONS } from '../src/checks/verification-options.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import {
  decideVerify,
  verificationDescription,
  verifyChecks,
  verifyUseCase,
  type VerifyRequest,
} from '../src/use-cases/verify.js';
import { isRefusal } from '../src/rules/decision.js';
import { deployment as suiteDeployment, releaseStatuses, runContext } from './support/fixtures.js';

const config = parsePromotionConfig(
  `environments:
  - integration
  - name: production
    verify: [{url: "https://shop.example/healthz"}]
`,
  '.github/promotion.yml',
);
const context = runContext({ owner: 'o', repo: 'r', runId: 1 });
const NOW = new Date('2026-07-01T10:00:00Z');
const stepCheck: CheckSpec = { kind: 'http', name: 'step', url: 'https://pr.example/healthz' } as CheckSpec;

function request(environment: string, checks: CheckSpec[] = []): VerifyRequest {
  return {
    environment,
    deploymentId: undefined,
    checks,
    options: { ...DEFAULT_VERIFICATION_OPTIONS },
    dryRun: false,
  };
}

/** Deployment `id` of version `1.<id>.0` in production, its statuses `written` from `id` o'clock on. */
const deployment = (id: number, written: readonly string[]) =>
  suiteDeployment(id, written, { firstStatusId: id * 10, hour: id });

const { prepared, deployed, deployFailed } = releaseStatuses({ version: '1.2.0', run: 72 });

describe('verifyChecks: the step’s checks, else the environment’s', () => {
  it.each<[string, string, CheckSpec[], number, string]>([
    ['checks given in the step', 'integration', [stepCheck], 1, "the step's inputs"],
    [
      'checks given, the configured ones too: the step wins',
      'production',
      [stepCheck],
      1,
      "the step's inputs",
    ],
    [
      'none given: the configured ones',
      'production',
      [],
      1,
      'environments.production.verify in .github/promotion.yml',
    ],
    [
      'none given, none configured',
      'integration',
      [],
      0,
      'environments.integration.verify in .github/promotion.yml',
    ],
  ])('%s', (_situation, environment, checks, count, source) => {
    const chosen = verifyChecks(config, request(environment, checks));
    expect(chosen.checks).toHaveLength(count);
    expect(chosen.source).toBe(source);
  });

  it.each<[string, string, CheckSpec[], boolean]>([
    ['none given, none configured: refused before anything is read', 'integration', [], true],
    ['none given, configured ones', 'production', [], false],
    ['given in the step', 'integration', [stepCheck], false],
  ])('%s', (_situation, environment, checks, refused) => {
    const refusal = verifyUseCase.admit?.(config, request(environment, checks), NOW);
    if (!refused) return expect(refusal).toBeUndefined();
    expect(refusal?.refused).toBe(
      `verify has no checks for '${environment}'. Give 'url' (a health URL expecting 2xx) or 'checks', ` +
        `or add 'verify:' to the environment in the configuration file.`,
    );
  });
});

describe('decideVerify: only a deployment that deployed and still runs there', () => {
  it.each<[string, DeploymentWithProgress, DeploymentWithProgress[], RegExp | undefined]>([
    ['deployed, the newest there', deployment(2, deployed), [], undefined],
    [
      'never deployed',
      deployment(2, prepared),
      [],
      /^Deployment 2 \(1\.2\.0\) in 'production' was never deployed successfully \(its latest status is 'queued'/,
    ],
    [
      'its deploy failed',
      deployment(2, deployFailed),
      [],
      /was never deployed successfully \(its latest status is 'failure'/,
    ],
    [
      'a newer release deployed after it',
      deployment(2, deployed),
      [deployment(3, deployed)],
      /^Deployment 2 \(1\.2\.0\) in 'production' is superseded: deployment 3 \(1\.3\.0\), run 73/,
    ],
    [
      'a newer release only prepared: still the one running',
      deployment(2, deployed),
      [deployment(3, prepared)],
      undefined,
    ],
  ])('%s', (_situation, target, newer, refusal) => {
    const facts = { target: { ...target, recent: [...newer, target], accepted: undefined } };
    const decision = decideVerify({ request: request('production'), facts, config, context, now: NOW });
    if (refusal) return expect(isRefusal(decision) && decision.refused).toMatch(refusal);
    if (isRefusal(decision)) throw new Error(`refused: ${decision.refused}`);
    expect(decision.plan).toMatchObject({
      environment: 'production',
      deployment: { id: 2 },
      source: 'environments.production.verify in .github/promotion.yml',
      dryRun: false,
    });
    expect(decision.plan.checks).toHaveLength(1);
    expect(decision.warnings).toEqual([]);
  });
});

describe('verificationDescription: the status accept reads', () => {
  const check = (name: string, passed: boolean, lastMessage = '') => ({ name, passed, lastMessage });
  it.each<[string, 'passed' | 'failed', ReturnType<typeof check>[], number, string]>([
    [
      'passed, no bake time',
      'passed',
      [check('a', true), check('b', true)],
      0,
      'Verified: 2 check(s) passed',
    ],
    [
      'passed over a bake time',
      'passed',
      [check('a', true)],
      90_400,
      'Verified: 1 check(s) passed over 90 s',
    ],
    [
      'failed: the first failing check',
      'failed',
      [check('a', true), check('b', false, 'HTTP 500')],
      0,
      'Verification failed: b: HTTP 500',
    ],
    [
      'failed in bake time, no check marked',
      'failed',
      [check('a', true)],
      60_000,
      'Verification failed: a check failed',
    ],
  ])('%s', (_situation, result, checks, bakeTimeMs, expected) => {
    const report = { result, checks, bakeTimeMs } as unknown as Parameters<typeof verificationDescription>[0];
    expect(verificationDescription(report)).toBe(expected);
  });
});
