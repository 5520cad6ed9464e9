import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandCheckSpec } from '../src/checks/check-spec.js';
import { KEPT_OUTPUT_LINES, runCommandCheck } from '../src/checks/command-check.js';

function command(run: string): CommandCheckSpec {
  return { kind: 'command', run };
}

describe('runCommandCheck', () => {
  it('passes when the command exits 0 and streams its output to log', async () => {
    const lines: string[] = [];
    const result = await runCommandCheck(command('echo one; echo two >&2; printf "no newline"'), {
      timeoutMs: 10_000,
      log: (line) => lines.push(line),
    });
    expect(result.passed).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.message).toBe('exited with code 0');
    expect([...lines].sort()).toEqual(['no newline', 'one', 'two']);
    expect([...result.output].sort()).toEqual(['no newline', 'one', 'two']);
  });

  it('fails with the exit code and the last line of output', async () => {
    const result = await runCommandCheck(
      command('echo "checking"; echo "database unreachable" >&2; exit 3'),
      {
        timeoutMs: 10_000,
        log: () => undefined,
      },
    );
    expect(result).toMatchObject({
      passed: false,
      exitCode: 3,
      message: 'exited with code 3: database unreachable',
    });
  });

  it('fails with exit 1 and no output', async () => {
    const result = await runCommandCheck(command('false'), { timeoutMs: 10_000, log: () => undefined });
    expect(result).toMatchObject({ passed: false, exitCode: 1, message: 'exited with code 1', output: [] });
  });

  it(`keeps the last ${KEPT_OUTPUT_LINES} lines`, async () => {
    const lines: string[] = [];
    const result = await runCommandCheck(command('for i in $(seq 1 50); do echo "line $i"; done'), {
      timeoutMs: 10_000,
      log: (line) => lines.push(line),
    });
    expect(lines).toHaveLength(50);
    expect(result.output).toHaveLength(20);
    expect(result.output[0]).toBe('line 31');
    expect(result.output[19]).toBe('line 50');
  });

  it('kills the command and what it started when it times out', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'command-check-'));
    const marker = join(directory, 'finished');
    try {
      const started = Date.now();
      const result = await runCommandCheck(command(`echo started; sleep 3 & wait; touch ${marker}`), {
        timeoutMs: 300,
        log: () => undefined,
      });
      expect(result).toMatchObject({ passed: false, message: 'timed out after 300 ms' });
      expect(result.exitCode).toBeUndefined();
      expect(result.output).toEqual(['started']);
      expect(Date.now() - started).toBeLessThan(2500);
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('kills a command that ignores SIGTERM', async () => {
    const started = Date.now();
    const result = await runCommandCheck(command("trap '' TERM; sleep 5"), {
      timeoutMs: 200,
      killGraceMs: 200,
      log: () => undefined,
    });
    expect(result).toMatchObject({ passed: false, message: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('does not wait for a background process that keeps the output open', async () => {
    const started = Date.now();
    const result = await runCommandCheck(command('sleep 4 & echo done'), {
      timeoutMs: 10_000,
      log: () => undefined,
    });
    expect(result).toMatchObject({ passed: true, output: ['done'] });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('runs without the action inputs in its environment', async () => {
    const result = await runCommandCheck(
      command('echo "token=${INPUT_TOKEN:-none} other=${INPUT_OTHER:-none} keep=${KEEP_ME:-none}"'),
      {
        timeoutMs: 10_000,
        log: () => undefined,
        env: { PATH: process.env.PATH, INPUT_TOKEN: 'ghs_secret', INPUT_OTHER: 'x', KEEP_ME: 'yes' },
      },
    );
    expect(result.output).toEqual(['token=none other=none keep=yes']);
  });

  it('runs like a workflow run: step, with -e and -o pipefail', async () => {
    const stopped = await runCommandCheck(command('echo before; false; echo after'), {
      timeoutMs: 10_000,
      log: () => undefined,
    });
    expect(stopped).toMatchObject({ passed: false, exitCode: 1, message: 'exited with code 1: before' });
    expect(stopped.output).toEqual(['before']);
    const piped = await runCommandCheck(command('false | true'), { timeoutMs: 10_000, log: () => undefined });
    expect(piped).toMatchObject({ passed: false, exitCode: 1 });
  });

  it('reports a command that cannot start as a failed attempt', async () => {
    const cwd = join(tmpdir(), 'command-check-missing-directory-for-test');
    const result = await runCommandCheck(command('true'), { timeoutMs: 10_000, log: () => undefined, cwd });
    expect(result).toEqual({
      passed: false,
      latencyMs: expect.any(Number),
      message: `could not start bash: the working directory ${cwd} does not exist`,
      output: [],
    });
  });

  it('reports a command stopped by a signal', async () => {
    const result = await runCommandCheck(command('echo going; kill -KILL $$'), {
      timeoutMs: 10_000,
      log: () => undefined,
    });
    expect(result).toMatchObject({ passed: false, message: 'was stopped by SIGKILL: going' });
    expect(result.exitCode).toBeUndefined();
  });

  it('measures the duration with the injected clock', async () => {
    let nowMs = 0;
    const result = await runCommandCheck(command('true'), {
      timeoutMs: 10_000,
      log: () => undefined,
      clock: { now: () => (nowMs += 250), sleep: async () => undefined },
    });
    expect(result.latencyMs).toBe(250);
  });
});
