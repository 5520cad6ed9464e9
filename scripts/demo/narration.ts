/**
 * What the demo says about each step, in one line: the workflow step it stands for, the environment, and what
 * happened there as the step's outputs tell it (`✓ production: 1.0.0 accepted, approved by hubot`), or why it
 * was refused. Pure: the demo runs the bundles and hands their results here.
 */
import type { ActionName } from '../../test/harness/action-metadata.js';

/** A step the scenario expects to be refused, and why: `says` must match the step's error for it to count. */
export interface ExpectedRefusal {
  /** What the narration says happened, e.g. `verification failed`. */
  because: string;
  /** The error the step must report; another error is an unexpected outcome. */
  says: RegExp;
}

/** One step as it ran. */
export interface StepRecord {
  /** The workflow trigger or job the step belongs to, e.g. `push`, `promote`. */
  trigger: string;
  action: ActionName;
  /** The `environment` input; '' for status, which reports on all of them. */
  environment: string;
  exitCode: number | null;
  outputs: Record<string, string>;
  errors: string[];
  /** The release the run prepared (its version, else its short sha), for steps whose outputs do not name it. */
  release: string | undefined;
  expected?: ExpectedRefusal | undefined;
}

/** A step's line and whether it went as the scenario expected. */
export interface Narrated {
  line: string;
  asExpected: boolean;
}

/** Width of the step column, so that the results line up (the longest is `rollback · rollback`-sized). */
const STEP_COLUMN = 28;

/**
 * The step's line: `push · prepare-release   ✓ integration: b23a20e prepared (deployment 1)`. A refusal the
 * scenario expected reads `✗ preproduction: verification failed — refused as expected`; anything else that
 * differs from the scenario (a failure it did not expect, another error, a success it expected to fail) is
 * marked `— unexpected` with the step's own error.
 */
export function narrateStep(step: StepRecord): Narrated {
  const label = `${step.trigger} · ${step.action}`.padEnd(STEP_COLUMN);
  const where = step.environment || 'all environments';
  const failed = step.exitCode !== 0;
  const error = firstLine(step.errors[0] ?? `exit code ${String(step.exitCode)}`);
  if (step.expected) {
    if (failed && step.expected.says.test(step.errors[0] ?? '')) {
      const why = `${step.expected.because}${failedCheck(step.outputs.report)}`;
      return { line: `${label}✗ ${where}: ${why} — refused as expected`, asExpected: true };
    }
    const what = failed
      ? error
      : `${succeeded(step)}, but it should have been refused (${step.expected.because})`;
    return { line: `${label}✗ ${where}: ${what} — unexpected`, asExpected: false };
  }
  if (failed) return { line: `${label}✗ ${where}: ${error} — unexpected`, asExpected: false };
  return { line: `${label}✓ ${where}: ${succeeded(step)}`, asExpected: true };
}

/** What a step that succeeded did, from its outputs. */
function succeeded(step: StepRecord): string {
  const { outputs } = step;
  const release = releaseName(outputs) ?? step.release ?? 'the release';
  const deployment = outputs['deployment-id'] ? ` (deployment ${outputs['deployment-id']})` : '';
  switch (step.action) {
    case 'prepare-release':
      return `${release} prepared${deployment}`;
    case 'deploy-env':
      return `${release} deployed${rolloutSteps(outputs['steps-completed'])}${deployment}`;
    case 'verify':
      return `${release} verified${checksPassed(outputs.report)}`;
    case 'accept':
      return `${release} accepted${approvedBy(outputs['approved-by'])}${nextStep(outputs['next-environment'])}`;
    case 'rollback':
      return `back on ${release}, ${shortSha(outputs['rolled-back-sha']) ?? 'the release'} rolled back${deployment}`;
    case 'status':
      return standings(outputs.environments);
  }
}

/** The release the outputs name: its version, else its commit; undefined when they name none. */
function releaseName(outputs: Record<string, string>): string | undefined {
  return outputs.version || shortSha(outputs.sha);
}

function shortSha(sha: string | undefined): string | undefined {
  return sha ? sha.slice(0, 7) : undefined;
}

/** `in 2 rollout steps` for a rollout; nothing for a deployment all at once. */
function rolloutSteps(completed: string | undefined): string {
  const count = Number(completed ?? '');
  return Number.isInteger(count) && count > 1 ? ` in ${count} rollout steps` : '';
}

/** `: 1 of 1 check passed`, from verify's `report` output; nothing when it cannot be read. */
function checksPassed(report: string | undefined): string {
  const checks = parsed<{ checks?: Array<{ passed?: boolean }> }>(report)?.checks;
  if (!Array.isArray(checks)) return '';
  const passed = checks.filter((check) => check.passed === true).length;
  return `: ${passed} of ${checks.length} check${checks.length === 1 ? '' : 's'} passed`;
}

/** ` (got 503 …)`: what the first failed check of verify's `report` output said; nothing when none failed. */
function failedCheck(report: string | undefined): string {
  const checks = parsed<{ checks?: Array<{ passed?: boolean; lastMessage?: string }> }>(report)?.checks;
  const failed = Array.isArray(checks) ? checks.find((check) => check.passed === false) : undefined;
  return failed?.lastMessage ? ` (${failed.lastMessage})` : '';
}

function approvedBy(logins: string | undefined): string {
  return logins ? `, approved by ${logins}` : '';
}

function nextStep(next: string | undefined): string {
  return next ? `; next: ${next}` : '; the last environment: released';
}

/** Where each environment stands, from status's `environments` output: `integration b23a20e, production 1.0.0`. */
function standings(environments: string | undefined): string {
  type Standing = { environment?: string; sha?: string | null; version?: string | null; pending?: unknown };
  const list = parsed<Standing[]>(environments);
  if (!Array.isArray(list)) return 'reported';
  return list
    .map((standing) => {
      const release = standing.version ?? shortSha(standing.sha ?? undefined) ?? 'nothing yet';
      const count = (standing.pending as { count?: unknown } | null | undefined)?.count;
      const waiting =
        typeof count === 'number' && count > 0 ? ` (${count} commit${count === 1 ? '' : 's'} waiting)` : '';
      return `${standing.environment ?? '?'} ${release}${waiting}`;
    })
    .join(', ');
}

/** JSON text parsed, or undefined when it is not JSON. */
function parsed<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
