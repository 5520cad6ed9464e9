import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTION_PERMISSIONS,
  permissionEntry,
  tokenDescription,
} from '../packages/core/src/github/action-permissions.js';
import { ACTION_NAMES, REPOSITORY_ROOT, readActionMetadata } from './harness/action-metadata.js';
import { startScriptHost, type ScriptHost, type ScriptResult } from './harness/script-host.js';

const SCRIPT = join(REPOSITORY_ROOT, 'scripts', 'actions-reference.mjs');
const START = '<!-- actions-reference:start -->';
const END = '<!-- actions-reference:end -->';
const PERMISSIONS_START = '<!-- permissions:start -->';
const PERMISSIONS_END = '<!-- permissions:end -->';

/**
 * Runs the generator with `args` under the current Node, as its own process, without blocking the test's event
 * loop. Most runs below go through one host process instead ({@link generator}): the same script with the same
 * arguments, its dependencies loaded once.
 */
function runGenerator(...args: string[]): Promise<ScriptResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: REPOSITORY_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The README's text between the markers. */
function region(readme: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  expect([from >= 0, to > from]).toEqual([true, true]);
  return readme.slice(from + START.length, to);
}

/** The README's text outside the markers. */
function outside(readme: string): string {
  return readme.slice(0, readme.indexOf(START)) + readme.slice(readme.indexOf(END));
}

let scratch: string;
let readme: string;
let host: ScriptHost;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'actions-reference-'));
  readme = await readFile(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  host = startScriptHost(SCRIPT);
});
afterAll(async () => {
  await host.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the generator with `args` in the host process. */
const generator = (...args: string[]): Promise<ScriptResult> => host.run(...args);

describe('README.md', () => {
  it('holds the action reference generated from the current action.yml files', async () => {
    const result = await runGenerator('--check');
    expect(result).toEqual({ code: 0, stdout: expect.stringContaining('up to date'), stderr: '' });
  });

  it('has the markers once each: the reference, then the permissions, just before "## Where the state lives"', () => {
    for (const marker of [START, END, PERMISSIONS_START, PERMISSIONS_END])
      expect(readme.split(marker)).toHaveLength(2);
    expect(readme).toContain(`${END}\n\n${PERMISSIONS_START}`);
    expect(readme).toMatch(new RegExp(`${PERMISSIONS_END}\\n\\n## Where the state lives`));
  });

  it.each(ACTION_NAMES)(
    "lists %s's own permissions from the table, in its row and its token input",
    (action) => {
      const permissions = readme.slice(readme.indexOf(PERMISSIONS_START), readme.indexOf(PERMISSIONS_END));
      const row = permissions.split('\n').find((line) => line.startsWith(`| \`${action}\``)) ?? '';
      const entries = ACTION_PERMISSIONS[action].map((need) => `\`${permissionEntry(need)}\``);
      expect(row).toMatch(new RegExp(`^\\| \`${action}\` +\\| ${entries.join(', ')} +\\|`));
      const description = String(readActionMetadata(action).inputs.token?.description);
      expect(description).toBe(tokenDescription(action));
      for (const entry of entries) expect(description).toContain(entry);
      if (action === 'status') expect(description).not.toMatch(/: write/);
    },
  );

  it.each(ACTION_NAMES)('documents every input and output of %s', (action) => {
    const reference = region(readme);
    const section = reference.slice(reference.indexOf(`### \`${action}\``)).split('\n### ')[0] ?? '';
    const metadata = readActionMetadata(action);
    expect(section).toContain(`\`uses: octo-org/release-promotion/${action}@v1\``);
    for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]) {
      expect(section).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    }
  });
});

describe('the generator', () => {
  it('detects a README whose reference was edited by hand, and rewrites only the reference', async () => {
    const copy = join(scratch, 'edited.md');
    const edited = readme
      .replace('| The commit prepared for the environment.', '| Some other commit.')
      .replace('## Where the state lives', '## Where the state lives\n\nA paragraph written meanwhile.');
    expect(edited).not.toBe(readme);
    await writeFile(copy, edited);

    const check = await generator('--check', '--readme', copy);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('the action reference is out of date');
    expect(check.stderr).toContain('npm run docs');

    expect((await generator('--readme', copy)).code).toBe(0);
    const rewritten = await readFile(copy, 'utf8');
    expect(region(rewritten)).toBe(region(readme));
    expect(outside(rewritten)).toBe(outside(edited));
    expect((await generator('--check', '--readme', copy)).code).toBe(0);
  });

  it('adds the markers before "## Where the state lives" when the README has none', async () => {
    const copy = join(scratch, 'unmarked.md');
    const unmarked = outside(readme).replace(`${END}\n\n`, '');
    expect(unmarked).not.toContain(END);
    await writeFile(copy, unmarked);

    const check = await generator('--check', '--readme', copy);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('no action reference');

    expect((await generator('--readme', copy)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe(readme);
  });

  it('detects an action.yml changed since the README was generated, and escapes | in cells', async () => {
    const actions = join(scratch, 'actions');
    for (const action of ACTION_NAMES) {
      await mkdir(join(actions, action), { recursive: true });
      await copyFile(join(REPOSITORY_ROOT, action, 'action.yml'), join(actions, action, 'action.yml'));
    }
    const verify = join(actions, 'verify', 'action.yml');
    await writeFile(
      verify,
      (await readFile(verify, 'utf8')).replace(
        "description: 'Seconds one check may take.'",
        "description: 'Seconds one check may take: 5 | 10 | 30.'",
      ),
    );
    const copy = join(scratch, 'drift.md');
    await writeFile(copy, readme);

    const check = await generator('--check', '--readme', copy, '--actions', actions);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('out of date');

    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    expect(region(await readFile(copy, 'utf8'))).toMatch(
      /^\| `timeout` .*Seconds one check may take: 5 \\\| 10 \\\| 30\. +\|$/m,
    );
  });

  it('refuses a README with a marker twice, saying what to fix', async () => {
    const copy = join(scratch, 'twice.md');
    await writeFile(copy, `${readme}\n${START}\n`);
    const result = await generator('--readme', copy);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('once each, found 2 and 1');
    expect(await readFile(copy, 'utf8')).toBe(`${readme}\n${START}\n`);
  });
});

describe('the generator, for the permissions table', () => {
  it('detects a permissions section or a token description edited by hand, and rewrites both', async () => {
    const actions = join(scratch, 'token-actions');
    for (const action of ACTION_NAMES) {
      await mkdir(join(actions, action), { recursive: true });
      await copyFile(join(REPOSITORY_ROOT, action, 'action.yml'), join(actions, action, 'action.yml'));
    }
    const status = join(actions, 'status', 'action.yml');
    const original = await readFile(status, 'utf8');
    await writeFile(
      status,
      original.replace(tokenDescription('status').replace(/'/g, "''"), 'Needs `contents: write`.'),
    );
    const copy = join(scratch, 'permissions-edited.md');
    const edited = readme.replace(
      '| `status`          | `contents: read`, ',
      '| `status`          | `contents: write`, ',
    );
    expect(edited).not.toBe(readme);
    await writeFile(copy, edited);

    const check = await generator('--check', '--readme', copy, '--actions', actions);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'the permissions section is out of date with packages/core/src/github/action-permissions.ts',
    );
    expect(check.stderr).toContain(`${status}: the token input description is out of date`);

    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe(readme);
    expect(await readFile(status, 'utf8')).toBe(original);
  });

  it('adds the permissions markers right after the reference when the README has none', async () => {
    const copy = join(scratch, 'no-permissions.md');
    const from = readme.indexOf(PERMISSIONS_START);
    const to = readme.indexOf(PERMISSIONS_END) + PERMISSIONS_END.length + 2;
    await writeFile(copy, readme.slice(0, from) + readme.slice(to));

    const check = await generator('--check', '--readme', copy);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('no permissions section');
    expect((await generator('--readme', copy)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe(readme);
  });
});
