// The emulator as a tool: `npm run emulator -- --repo DIR` serves an existing repository without changing it, and
// `npm run action -- <action> --with ...` runs committed bundles against it, as a person would at a terminal.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPOSITORY_ROOT } from './harness/action-metadata.js';

const CONFIG = 'environments:\n  - name: integration\n  - name: production\n    approval: required\n';

/** Runs git in `directory` and returns its trimmed output. */
function git(directory: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: directory,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
    },
  })
    .toString('utf8')
    .trim();
}

/** A repository of three commits, the configuration added by the second, and a tag. */
function scratchRepository(root: string): string {
  const directory = join(root, 'shop');
  mkdirSync(directory);
  git(directory, ['init', '--quiet', '-b', 'main']);
  const commit = (path: string, content: string, message: string) => {
    mkdirSync(join(directory, path, '..'), { recursive: true });
    writeFileSync(join(directory, path), content);
    git(directory, ['add', '.']);
    git(directory, ['commit', '--quiet', '--no-gpg-sign', '-m', message]);
  };
  commit('README.md', '# Shop\n', 'Add README');
  commit('.github/promotion.yml', CONFIG, 'Add the promotion chain');
  git(directory, ['tag', 'v0.0.1']);
  commit('src/cart.js', 'export const total = 1;\n', 'Add the cart');
  return directory;
}

/** What must not change in the served repository. */
function fingerprint(directory: string) {
  return {
    refs: git(directory, ['for-each-ref']),
    head: git(directory, ['rev-parse', 'HEAD']),
    objects: git(directory, ['count-objects', '-v']),
    symbolicHead: git(directory, ['symbolic-ref', 'HEAD']),
  };
}

/** Runs a command to its end; resolves its exit code and output. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the emulator and resolves its first two lines and the rest as it comes. */
function startEmulatorTool(
  repo: string,
): Promise<{ child: ChildProcess; lines: string[]; output: string[] }> {
  const child = spawn('npm', ['run', '--silent', 'emulator', '--', '--repo', repo, '--port', '0'], {
    cwd: REPOSITORY_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      output.push(line);
      if (output.length === 2) resolve({ child, lines: output.slice(0, 2), output });
    });
    child.on('close', (code) => reject(new Error(`The emulator exited (${code}) early: ${stderr}`)));
  });
}

let root: string;
let repository: string;
let before: ReturnType<typeof fingerprint>;
let emulator: Awaited<ReturnType<typeof startEmulatorTool>>;
let variables: Record<string, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'emulator-tool-'));
  repository = scratchRepository(root);
  before = fingerprint(repository);
  emulator = await startEmulatorTool(repository);
  variables = Object.fromEntries(emulator.lines.map((line) => line.split('=', 2) as [string, string]));
}, 60_000);

afterAll(() => {
  const stillRunning = emulator && emulator.child.exitCode === null && emulator.child.signalCode === null;
  if (stillRunning && emulator.child.pid) process.kill(-emulator.child.pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** `npm run action -- <args>` from `cwd` (default: the served repository, its checkout as the workspace). */
function action(args: string[], cwd = repository) {
  return run('npm', ['--prefix', REPOSITORY_ROOT, 'run', '--silent', 'action', '--', ...args], {
    cwd,
    env: { ...process.env, ...variables },
  });
}

/** The value of the `name=value` line `name` printed. */
function printed(stdout: string, name: string): string | undefined {
  return stdout
    .split('\n')
    .find((line) => line.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

describe('npm run emulator -- --repo', () => {
  it('prints the two variables first', () => {
    expect(emulator.lines[0]).toMatch(/^GITHUB_API_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.lines[1]).toBe('GITHUB_REPOSITORY=local/shop');
  });

  it('carries a commit of the repository through integration with the bundles', async () => {
    const prepared = await action(['prepare-release', '--with', 'environment=integration']);
    expect(prepared.code).toBe(0);
    expect(prepared.stdout).toContain('.github/promotion.yml in the workspace');
    expect(printed(prepared.stdout, 'sha')).toBe(before.head);
    const deploymentId = printed(prepared.stdout, 'deployment-id');
    expect(deploymentId).toMatch(/^\d+$/);

    const deployed = await action([
      'deploy-env',
      '--with',
      'environment=integration',
      '--with',
      'status=success',
    ]);
    expect(deployed.code).toBe(0);
    expect(printed(deployed.stdout, 'deployment-id')).toBe(deploymentId);

    const accepted = await action(['accept', '--with', 'environment=integration']);
    expect(accepted.code).toBe(0);
    expect(printed(accepted.stdout, 'sha')).toBe(before.head);
    expect(printed(accepted.stdout, 'next-environment')).toBe('production');

    const tag = await fetch(`${variables.GITHUB_API_URL}/repos/local/shop/git/ref/tags/env/integration`, {
      headers: { authorization: 'token anything' },
    });
    expect(((await tag.json()) as { object: { sha: string } }).object.sha).toBe(before.head);
  }, 60_000);

  it('accepts an approval: required environment once the control API recorded the approval', async () => {
    const run2 = ['--run-id', '2'];
    expect((await action(['prepare-release', '--with', 'environment=production', ...run2])).code).toBe(0);
    const deploy = ['deploy-env', '--with', 'environment=production', '--with', 'status=success', ...run2];
    expect((await action(deploy)).code).toBe(0);
    const refused = await action(['accept', '--with', 'environment=production', ...run2]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('requires an approval');

    const approval = await fetch(`${variables.GITHUB_API_URL}/_emulator/runs/2/approvals`, {
      method: 'POST',
      body: JSON.stringify({ environment: 'production', user: 'mona', comment: 'Go' }),
    });
    expect(approval.status).toBe(201);
    const accepted = await action(['accept', '--with', 'environment=production', ...run2]);
    expect(accepted.code).toBe(0);
    expect(printed(accepted.stdout, 'approved-by')).toBe('mona');
  }, 60_000);

  it.each([
    { args: ['deploy'], says: "Unknown action 'deploy'" },
    { args: ['accept', '--with', 'environment'], says: 'is not key=value' },
    { args: ['accept', '--with', 'enviroment=production'], says: "accept has no input 'enviroment'" },
  ])('refuses `action $args` with exit code 2', async ({ args, says }) => {
    const result = await action(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
  });

  it('refuses to run without GITHUB_API_URL, naming the fix', async () => {
    const env = { ...process.env, GITHUB_API_URL: '', GITHUB_REPOSITORY: '' };
    const result = await run('npm', ['run', '--silent', 'action', '--', 'status'], {
      cwd: REPOSITORY_ROOT,
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GITHUB_API_URL and GITHUB_REPOSITORY not set');
  });

  it('stops on SIGTERM, removes its state and leaves the repository as it was', async () => {
    const stateLine = emulator.output.find((line) => line.startsWith('Emulator state: '));
    const state = /^Emulator state: (\S+)/.exec(stateLine ?? '')?.[1] ?? '';
    expect(existsSync(state)).toBe(true);
    const exited = new Promise((resolve) => emulator.child.on('exit', resolve));
    process.kill(-(emulator.child.pid ?? 0), 'SIGTERM');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(state)).toBe(false);
    expect(fingerprint(repository)).toEqual(before);
  }, 30_000);
});

describe('npm run emulator with a bad --repo', () => {
  it.each([
    { make: (directory: string) => directory, says: 'not a git repository' },
    {
      make: (directory: string) => (git(directory, ['init', '--quiet', '-b', 'main']), directory),
      says: 'has no commit yet',
    },
  ])(
    'exits 1 saying $says',
    async ({ make, says }) => {
      const directory = make(mkdtempSync(join(root, 'bad-')));
      const result = await run('npm', ['run', '--silent', 'emulator', '--', '--repo', directory], {
        cwd: REPOSITORY_ROOT,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(says);
    },
    30_000,
  );
});
