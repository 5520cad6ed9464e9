/**
 * Each kind of error is reported its own way, from the one runner: what to fix (user), what a re-run completes
 * (transient), who won (conflict), and a bug as a bug — its stack in the log, where to report it — never as the
 * workflow's mistake. Run in-process through `runAction` with a definition whose use-case throws.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { ConflictError, TransientError, UserError } from '../packages/core/src/errors.js';
import type { ActionDefinition } from '../packages/core/src/runtime/action-definition.js';
import type { BaseRequest } from '../packages/core/src/use-cases/use-case.js';
import { runActionInProcess } from './harness/in-process-action.js';

let emulator: Emulator;
let sha: string;

beforeAll(async () => {
  emulator = await startEmulator();
  sha = emulator.git.commit('feat: first');
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

/** The status action's definition, with a use-case that throws `error` when it decides. */
function throwing(error: Error): ActionDefinition<BaseRequest, never> {
  return {
    name: 'status',
    environmentRequired: false,
    parse: (_input, common) => ({ environment: '', dryRun: common.dryRun }),
    useCase: {
      plan: () => ({}),
      gather: async () => undefined,
      decide: () => {
        throw error;
      },
      apply: async () => {
        throw new Error('never applied');
      },
    },
    report: () => ({ outputs: {}, summary: '' }),
  };
}

describe('errors by kind', () => {
  it.each([
    ['user', new UserError('Set the input.'), /^status: Set the input\.$/, '### ❌ `status` was refused'],
    [
      'transient',
      new TransientError('Re-run the job.'),
      /^status: Re-run the job\.$/,
      '### ❌ `status` failed',
    ],
    [
      'conflict',
      new ConflictError('Another run changed it first.'),
      /^status: Another run changed it first\.$/,
      '### ❌ `status` stopped: another run changed the environment first',
    ],
    [
      'bug',
      new TypeError("Cannot read properties of undefined (reading 'sha')"),
      /^status: Cannot read properties of undefined \(reading 'sha'\)\nThis is a bug in release-promotion, not a mistake in the workflow: please report it at https:\/\/github\.com\/octo-org\/release-promotion\/issues/,
      '**This is a bug in release-promotion**',
    ],
  ])('%s', async (kind, error, line, summary) => {
    const result = await runActionInProcess(throwing(error), {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      inputs: { environments: 'integration, production' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(line);
    expect(result.summary).toContain(summary);
    // Only a bug prints its stack where everyone sees it (the others keep it for debug logs).
    expect(result.stdout.includes(error.stack ?? 'no stack')).toBe(kind === 'bug');
  });
});
