import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPOSITORY_ROOT } from './action-metadata.js';

/** How a run of a command-line script ended. */
export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one script many times in one Node process (test/harness/script-host-process.mjs); one run at a time. */
export interface ScriptHost {
  run(...args: string[]): Promise<ScriptResult>;
  close(): Promise<void>;
}

/**
 * Starts a host for `script` (a path from the repository root), under the current Node, without blocking the
 * test's event loop.
 */
export function startScriptHost(script: string): ScriptHost {
  const child = spawn(
    process.execPath,
    [join(REPOSITORY_ROOT, 'test', 'harness', 'script-host-process.mjs'), script],
    {
      cwd: REPOSITORY_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let queue: Promise<unknown> = Promise.resolve();
  const ask = async (args: string[]): Promise<ScriptResult> => {
    child.stdin.write(`${JSON.stringify({ args })}\n`);
    const answer = await answers.next();
    if (answer.done) throw new Error(`the script host of ${script} stopped`);
    return JSON.parse(answer.value) as ScriptResult;
  };
  return {
    run: (...args) => {
      const result = queue.then(() => ask(args));
      queue = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
