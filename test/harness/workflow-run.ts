import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@release-promotion/emulator';
import type { ActionName } from './action-metadata.js';
import type { ActionResult } from './run-action.js';
import { bundleRunner, type StepRunner } from './step-runners.js';

/** One workflow run: its steps share the run id, commit and actor, as the steps of a job do. */
export interface WorkflowRun {
  id: number;
  step(action: ActionName, inputs: Record<string, string>): Promise<ActionResult>;
}

/**
 * Starts workflow runs against an emulator, each with the next run id after `firstRunId`, their steps run in
 * `workspace` by `run`: the committed bundles by default, or in-process ({@link inProcessRunner}). `target` is
 * read at each step, so a test may switch emulators.
 */
export function workflowRuns(
  target: () => { emulator: Emulator; workspace: string },
  firstRunId: number,
  run: StepRunner = bundleRunner,
): (sha: string, actor?: string) => WorkflowRun {
  let runId = firstRunId;
  return (sha, actor = 'mona') => {
    runId += 1;
    const id = runId;
    return {
      id,
      step: (action, inputs) => {
        const { emulator, workspace } = target();
        return run(action, {
          apiUrl: emulator.url,
          repository: emulator.fullName,
          sha,
          runId: id,
          actor,
          workspace,
          inputs,
        });
      },
    };
  };
}

/** The step's result when it succeeded; else an error with its log, failing the test. */
export function ok(result: ActionResult): ActionResult {
  if (result.exitCode !== 0) {
    throw new Error(`step failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** A scratch workspace holding `.github/promotion.yml` with these lines, as a job that checked out would have. */
export function workspaceWithConfig(lines: string[]): string {
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github', 'promotion.yml'), [...lines, ''].join('\n'));
  return workspace;
}
