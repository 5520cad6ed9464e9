/**
 * The demo's one line per step (`scripts/demo/narration.ts`): a row per situation — each action's success as
 * its outputs tell it, a refusal the scenario expects, and the outcomes that must count as unexpected.
 */
import { describe, expect, it } from '@jest/globals';
import { narrateStep, type StepRecord } from '../scripts/demo/narration.js';

const SHA = 'b23a20ee72c31adfb6f99715a5c220d95bc71de8';
const OTHER = '67e7af9bf8e24b5ad688c497257725a8635e4128';
const passedReport = JSON.stringify({ result: 'passed', checks: [{ passed: true }, { passed: true }] });
const failedReport = JSON.stringify({
  result: 'failed',
  checks: [{ passed: true }, { passed: false, lastMessage: 'expected a 2xx status, got 503' }],
});

/** A step that succeeded, with `overrides`. */
function step(overrides: Partial<StepRecord>): StepRecord {
  return {
    trigger: 'promote',
    action: 'prepare-release',
    environment: 'preproduction',
    exitCode: 0,
    outputs: {},
    errors: [],
    release: undefined,
    ...overrides,
  };
}

describe('narrateStep', () => {
  it.each<[string, Partial<StepRecord>, string]>([
    [
      'prepare-release with a version',
      { outputs: { sha: SHA, version: '1.0.0', 'deployment-id': '3' } },
      '✓ preproduction: 1.0.0 prepared (deployment 3)',
    ],
    [
      'prepare-release without a version: the short sha',
      {
        trigger: 'push',
        environment: 'integration',
        outputs: { sha: SHA, version: '', 'deployment-id': '1' },
      },
      '✓ integration: b23a20e prepared (deployment 1)',
    ],
    [
      'deploy-env all at once: the release the run prepared',
      { action: 'deploy-env', release: '1.1.0', outputs: { 'deployment-id': '5', 'steps-completed': '1' } },
      '✓ preproduction: 1.1.0 deployed (deployment 5)',
    ],
    [
      'deploy-env rolled out in steps',
      {
        action: 'deploy-env',
        environment: 'production',
        release: '1.0.0',
        outputs: { 'deployment-id': '3', 'steps-completed': '2' },
      },
      '✓ production: 1.0.0 deployed in 2 rollout steps (deployment 3)',
    ],
    [
      'verify: the checks that passed',
      { action: 'verify', release: '1.0.0', outputs: { result: 'passed', report: passedReport } },
      '✓ preproduction: 1.0.0 verified: 2 of 2 checks passed',
    ],
    [
      'verify with a report that is not JSON',
      { action: 'verify', release: '1.0.0', outputs: { result: 'passed', report: '{' } },
      '✓ preproduction: 1.0.0 verified',
    ],
    [
      'accept, approved, in the last environment',
      {
        action: 'accept',
        environment: 'production',
        outputs: { sha: SHA, version: '1.0.0', 'next-environment': '', 'approved-by': 'hubot' },
      },
      '✓ production: 1.0.0 accepted, approved by hubot; the last environment: released',
    ],
    [
      'accept with an environment above',
      { action: 'accept', outputs: { sha: SHA, version: '1.0.0', 'next-environment': 'production' } },
      '✓ preproduction: 1.0.0 accepted; next: production',
    ],
    [
      'rollback',
      {
        action: 'rollback',
        trigger: 'on failure',
        outputs: { sha: SHA, version: '1.0.0', 'deployment-id': '6', 'rolled-back-sha': OTHER },
      },
      '✓ preproduction: back on 1.0.0, 67e7af9 rolled back (deployment 6)',
    ],
    [
      'status: every environment, and what waits',
      {
        action: 'status',
        trigger: 'schedule',
        environment: '',
        outputs: {
          environments: JSON.stringify([
            { environment: 'integration', sha: OTHER, version: null, pending: null },
            { environment: 'preproduction', sha: SHA, version: '1.0.0', pending: { count: 2 } },
            { environment: 'production', sha: null, version: null, pending: { count: 1 } },
          ]),
        },
      },
      '✓ all environments: integration 67e7af9, preproduction 1.0.0 (2 commits waiting), production nothing yet (1 commit waiting)',
    ],
  ])('%s', (_situation, overrides, result) => {
    const narrated = narrateStep(step(overrides));
    expect(narrated).toEqual({ line: expect.stringMatching(/ · /), asExpected: true });
    expect(narrated.line.slice(narrated.line.indexOf('✓'))).toBe(result);
  });

  it('puts the workflow step first, in a column', () => {
    const { line } = narrateStep(step({ trigger: 'push', outputs: { sha: SHA, 'deployment-id': '1' } }));
    expect(line).toBe('push · prepare-release      ✓ preproduction: b23a20e prepared (deployment 1)');
  });

  const refusal = {
    because: 'verification failed',
    says: /Verification of deployment \d+ in preproduction failed/,
  };
  it.each<[string, Partial<StepRecord>, string, boolean]>([
    [
      'the refusal expected, with what the failed check said',
      {
        action: 'verify',
        exitCode: 1,
        outputs: { result: 'failed', report: failedReport },
        errors: ['verify: Verification of deployment 5 in preproduction failed; accept will refuse it.'],
        expected: refusal,
      },
      '✗ preproduction: verification failed (expected a 2xx status, got 503) — refused as expected',
      true,
    ],
    [
      'refused, but with another error',
      {
        action: 'verify',
        exitCode: 1,
        errors: ["verify: Input 'attempts' is '-1'.\nmore"],
        expected: refusal,
      },
      "✗ preproduction: verify: Input 'attempts' is '-1'. — unexpected",
      false,
    ],
    [
      'a success where a refusal was expected',
      { action: 'verify', release: '1.1.0', outputs: { report: passedReport }, expected: refusal },
      '✗ preproduction: 1.1.0 verified: 2 of 2 checks passed, but it should have been refused (verification failed) — unexpected',
      false,
    ],
    [
      'a failure nobody expected',
      { action: 'accept', exitCode: 1, errors: ['accept: GitHub answered 500'] },
      '✗ preproduction: accept: GitHub answered 500 — unexpected',
      false,
    ],
    [
      'a step killed without an error line',
      { action: 'deploy-env', exitCode: null },
      '✗ preproduction: exit code null — unexpected',
      false,
    ],
  ])('%s', (_situation, overrides, result, asExpected) => {
    const narrated = narrateStep(step(overrides));
    expect(narrated.asExpected).toBe(asExpected);
    expect(narrated.line.slice(narrated.line.indexOf('✗'))).toBe(result);
  });
});
