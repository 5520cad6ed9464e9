/**
 * Runs one committed action bundle (`dist/<action>/index.js`) as the GitHub runner does, for a person at a
 * terminal: inputs from `action.yml` defaults and `--with`, the `GITHUB_*` variables, the step's log streamed as it
 * comes (without the `::add-mask::` lines the runner hides), then its outputs and job summary read back.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionMetadata, type ActionName } from '../../test/harness/action-metadata.js';
import { nodeRuntime } from '../../test/harness/node-runtime.js';
import { parseOutputFile, runnerEnvironment } from '../../test/harness/run-action.js';

/** Everything a step needs. */
export interface StepRequest {
  action: ActionName;
  inputs: Record<string, string>;
  apiUrl: string;
  repository: string;
  /** Used for `${{ github.token }}` in input defaults (any value: the emulator accepts every token). */
  token: string;
  sha: string;
  /** The branch `GITHUB_REF` names. */
  branch: string;
  workspace: string;
  runId: number;
  runAttempt: number;
  actor: string;
}

/** What the step left behind. */
export interface StepResult {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
}

/** The runner's variables for the step (files in `scratch`), inputs included. */
export function stepEnvironment(request: StepRequest, scratch: string): Record<string, string> {
  return runnerEnvironment(
    {
      ...request,
      ref: `refs/heads/${request.branch}`,
      runNumber: request.runId,
      eventName: 'workflow_dispatch',
    },
    scratch,
  );
}

/** Copies `stream` to `out` line by line, leaving out the `::add-mask::` lines. */
function streamLog(stream: NodeJS.ReadableStream, out: NodeJS.WritableStream): Promise<void> {
  let pending = '';
  const write = (line: string) => {
    if (!line.startsWith('::add-mask::')) out.write(`${line}\n`);
  };
  stream.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(write);
  });
  return new Promise((resolve) =>
    stream.on('end', () => {
      if (pending) write(pending);
      resolve();
    }),
  );
}

/** Runs the step under the runner's Node (24) in the workspace, streaming its log to this process's. */
export async function runStep(request: StepRequest): Promise<StepResult> {
  const scratch = mkdtempSync(join(tmpdir(), `action-${request.action}-`));
  try {
    const env = stepEnvironment(request, scratch);
    writeFileSync(env.GITHUB_OUTPUT ?? '', '');
    writeFileSync(env.GITHUB_STEP_SUMMARY ?? '', '');
    writeFileSync(env.GITHUB_EVENT_PATH ?? '', '{}');
    const child = spawn(nodeRuntime().path, [readActionMetadata(request.action).mainPath], {
      cwd: request.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs = [streamLog(child.stdout, process.stdout), streamLog(child.stderr, process.stderr)];
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
    await Promise.all(logs);
    return {
      exitCode,
      outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT ?? '', 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY ?? '', 'utf8'),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The outputs as lines: `name=value`, or for a value of several lines the `GITHUB_OUTPUT` block form
 * (`name<<EOF`, the lines, `EOF`, with a delimiter the value does not contain).
 */
export function formatOutputs(outputs: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(outputs)) {
    if (!value.includes('\n')) {
      lines.push(`${name}=${value}`);
      continue;
    }
    let delimiter = 'EOF';
    while (value.split('\n').includes(delimiter)) delimiter += '_';
    lines.push(`${name}<<${delimiter}`, ...value.split('\n'), delimiter);
  }
  return lines;
}
