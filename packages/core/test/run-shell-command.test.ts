import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLine, takeLines, tailEntry } from '../src/commands/output-lines.js';
import { commandEnvironment, releaseVariables, runShellCommand } from '../src/commands/run-shell-command.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'run-shell-command-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Whether a process still runs (a zombie left for a reaper that never comes counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  const state = /\)\s+(\S)/.exec(readFileSync(stat, 'utf8'))?.[1];
  return state !== 'Z' && state !== 'X';
}

async function eventually(condition: () => boolean, withinMs = 2000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('runShellCommand', () => {
  it('streams each line in order while the command runs', async () => {
    const directory = temporaryDirectory();
    const go = join(directory, 'go');
    const lines: string[] = [];
    const result = await runShellCommand(
      `for i in 1 2 3; do echo "line $i"; done; while [ ! -e "${go}" ]; do sleep 0.05; done; printf 'last\\r\\nno newline'`,
      {
        timeoutMs: 10_000,
        onLine: (line) => {
          lines.push(line);
          // The command waits for this file: it only finishes if lines arrive before it ends.
          if (line === 'line 3') writeFileSync(go, '');
        },
      },
    );
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.signal).toBeUndefined();
    expect(result.startError).toBeUndefined();
    expect(lines).toEqual(['line 1', 'line 2', 'line 3', 'last', 'no newline']);
    expect(result.tail).toEqual(lines);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps the last lines, 20 unless told, each cut to 500 characters', async () => {
    const lines: string[] = [];
    const many = await runShellCommand('seq 1 50', { onLine: (line) => lines.push(line) });
    expect(lines).toHaveLength(50);
    expect(many.tail).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 31)));

    const few = await runShellCommand('seq 1 50', { onLine: () => undefined, tailLines: 3 });
    expect(few.tail).toEqual(['48', '49', '50']);

    const whole: string[] = [];
    const long = await runShellCommand("printf 'x%.0s' $(seq 1 1000); echo", {
      onLine: (line) => whole.push(line),
    });
    expect(whole).toEqual(['x'.repeat(1000)]);
    expect(long.tail).toEqual([`${'x'.repeat(499)}…`]);
  });

  it('passes on output without a newline in 64 KiB pieces, and multi-byte characters whole', async () => {
    const lines: string[] = [];
    await runShellCommand(
      "head -c 70000 /dev/zero | tr '\\0' y; sleep 0.3; echo; printf 'é%.0s' $(seq 1 40000); echo",
      {
        onLine: (line) => lines.push(line),
      },
    );
    expect(lines.map((line) => line.length)).toEqual([65536, 70000 - 65536, 40000]);
    expect(lines[2]).toBe('é'.repeat(40000));
  });

  it('reports the exit code', async () => {
    const result = await runShellCommand('echo failing >&2; exit 7', { onLine: () => undefined });
    expect(result).toMatchObject({ exitCode: 7, timedOut: false, tail: ['failing'] });
    expect(result.signal).toBeUndefined();
  });

  it('runs with -e and -o pipefail, as a workflow run: step', async () => {
    const lines: string[] = [];
    const stopped = await runShellCommand('echo before; false; echo after', {
      onLine: (line) => lines.push(line),
    });
    expect(stopped.exitCode).toBe(1);
    expect(lines).toEqual(['before']);

    const piped = await runShellCommand('false | true', { onLine: () => undefined });
    expect(piped.exitCode).toBe(1);
    const passing = await runShellCommand('true | true', { onLine: () => undefined });
    expect(passing.exitCode).toBe(0);
  });

  it('stops the command and what it started at the deadline', async () => {
    const directory = temporaryDirectory();
    const marker = join(directory, 'finished');
    const lines: string[] = [];
    const started = Date.now();
    const result = await runShellCommand(`sleep 30 & echo "$!"; (sleep 1; touch "${marker}") & wait`, {
      timeoutMs: 300,
      onLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true });
    expect(Date.now() - started).toBeLessThan(2500);
    const sleeper = Number(lines[0]);
    expect(sleeper).toBeGreaterThan(0);
    expect(await eventually(() => !isRunning(sleeper))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(existsSync(marker)).toBe(false);
  });

  it('kills a command that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const result = await runShellCommand('trap \'\' TERM; sleep 20 & echo "$!"; wait', {
      timeoutMs: 200,
      killGraceMs: 200,
      onLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await eventually(() => !isRunning(Number(lines[0])))).toBe(true);
  });

  it('does not wait for a background process that keeps the output open', async () => {
    const started = Date.now();
    const result = await runShellCommand('sleep 4 & echo done', { onLine: () => undefined });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, tail: ['done'] });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('adds the given variables and withholds the action inputs and runtime tokens', async () => {
    const lines: string[] = [];
    await runShellCommand(
      'echo "sha=${RELEASE_SHA:-none} token=${INPUT_TOKEN:-none} runtime=${ACTIONS_RUNTIME_TOKEN:-none} keep=${KEEP_ME:-none}"',
      {
        onLine: (line) => lines.push(line),
        baseEnv: {
          PATH: process.env.PATH,
          INPUT_TOKEN: 'ghs_secret',
          ACTIONS_RUNTIME_TOKEN: 'r',
          KEEP_ME: 'yes',
        },
        env: { RELEASE_SHA: 'abc123' },
      },
    );
    expect(lines).toEqual(['sha=abc123 token=none runtime=none keep=yes']);
  });

  it('starts from the process environment by default, without INPUT_TOKEN', async () => {
    const saved = process.env.INPUT_TOKEN;
    process.env.INPUT_TOKEN = 'ghs_secret';
    try {
      const lines: string[] = [];
      await runShellCommand('echo "token=${INPUT_TOKEN:-none} path=${PATH:+set}"', {
        onLine: (line) => lines.push(line),
      });
      expect(lines).toEqual(['token=none path=set']);
    } finally {
      if (saved === undefined) delete process.env.INPUT_TOKEN;
      else process.env.INPUT_TOKEN = saved;
    }
  });

  it('reports a command that cannot start without throwing', async () => {
    const cwd = join(temporaryDirectory(), 'missing');
    const result = await runShellCommand('echo never', { onLine: () => undefined, cwd, timeoutMs: 5000 });
    expect(result).toEqual({
      exitCode: null,
      timedOut: false,
      startError: `the working directory ${cwd} does not exist`,
      tail: [],
      durationMs: expect.any(Number),
    });
  });

  it('runs in the given working directory', async () => {
    const cwd = temporaryDirectory();
    const lines: string[] = [];
    await runShellCommand('pwd -P', { onLine: (line) => lines.push(line), cwd });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith(cwd.split('/').pop() ?? '')).toBe(true);
  });

  it('is not disturbed by an onLine that throws', async () => {
    const result = await runShellCommand('echo one; echo two', {
      onLine: () => {
        throw new Error('log failed');
      },
    });
    expect(result).toMatchObject({ exitCode: 0, tail: ['one', 'two'] });
  });

  it('measures the duration with the injected clock', async () => {
    let nowMs = 1000;
    const result = await runShellCommand('true', {
      onLine: () => undefined,
      clock: { now: () => (nowMs += 400), sleep: async () => undefined },
    });
    expect(result.durationMs).toBe(400);
  });
});

describe('commandEnvironment', () => {
  it('removes INPUT_* and runtime tokens, keeps the rest', () => {
    expect(
      commandEnvironment({
        INPUT_TOKEN: 'a',
        input_token: 'b',
        'INPUT_BAKE-TIME': '1',
        ACTIONS_RUNTIME_TOKEN: 'c',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'd',
        ACTIONS_RUNTIME_URL: 'https://runtime',
        GITHUB_SHA: 'abc',
        HOME: '/home/runner',
      }),
    ).toEqual({ ACTIONS_RUNTIME_URL: 'https://runtime', GITHUB_SHA: 'abc', HOME: '/home/runner' });
  });
});

describe('releaseVariables', () => {
  it('names the release for the command, with an empty version when unversioned', () => {
    expect(
      releaseVariables({ environment: 'production', sha: 'abc', version: null, deploymentId: 42 }),
    ).toEqual({
      RELEASE_ENVIRONMENT: 'production',
      RELEASE_SHA: 'abc',
      RELEASE_VERSION: '',
      RELEASE_DEPLOYMENT_ID: '42',
    });
  });
});

describe('output lines', () => {
  it.each([
    // [output so far, longest line, lines, rest]
    ['', 10, [], ''],
    ['partial', 10, [], 'partial'],
    ['one\n', 10, ['one'], ''],
    ['one\ntwo\nthr', 10, ['one', 'two'], 'thr'],
    ['dos\r\nline\r\n', 10, ['dos', 'line'], ''],
    ['\n\n', 10, ['', ''], ''],
    ['a\rb\n', 10, ['a\rb'], ''],
    ['abcdefghijklmnopqrstuvwxyz', 10, ['abcdefghij', 'klmnopqrst'], 'uvwxyz'],
    ['abcdefghij', 10, [], 'abcdefghij'],
    ['abcdefghijk\r', 10, ['abcdefghij'], 'k\r'],
    ['short\nabcdefghijklm', 10, ['short', 'abcdefghij'], 'klm'],
  ])('splits %j (lines of at most %i without a newline)', (text, maxLine, lines, rest) => {
    expect(takeLines(text, maxLine)).toEqual({ lines, rest });
  });

  it('passes on output without a newline in pieces of 64 KiB by default', () => {
    const { lines, rest } = takeLines('x'.repeat(64 * 1024 * 2 + 5));
    expect(lines.map((line) => line.length)).toEqual([64 * 1024, 64 * 1024]);
    expect(rest).toHaveLength(5);
  });

  it.each([
    // [left waiting at the end, last line]
    ['', undefined],
    ['tail', 'tail'],
    ['tail\r', 'tail'],
    ['\r', ''],
  ])('passes on %j as the last line: %j', (rest, line) => {
    expect(lastLine(rest)).toBe(line);
  });

  it.each([
    // [line, longest, kept]
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['eleven chars', 10, 'eleven ch…'],
    ['', 10, ''],
  ])('keeps %j in a tail of lines of at most %i characters as %j', (line, length, kept) => {
    expect(tailEntry(line, length)).toBe(kept);
  });

  it('cuts tail lines at 500 characters by default', () => {
    expect(tailEntry('y'.repeat(500))).toHaveLength(500);
    expect(tailEntry('y'.repeat(501))).toBe(`${'y'.repeat(499)}…`);
  });
});
