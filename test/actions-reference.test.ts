import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ACTION_PERMISSIONS,
  permissionEntry,
  permissionsYaml,
  tokenDescription,
} from '../packages/core/src/github/action-permissions.js';
import { ACTION_NAMES, REPOSITORY_ROOT, readActionMetadata } from './harness/action-metadata.js';
import { startScriptHost, type ScriptHost, type ScriptResult } from './harness/script-host.js';
import {
  suiteContractProblems,
  workflowParserErrors,
  type WorkflowDocument,
} from './harness/workflow-checks.js';

const SCRIPT = join(REPOSITORY_ROOT, 'scripts', 'actions-reference.mjs');
const START = '<!-- actions-reference:start -->';
const END = '<!-- actions-reference:end -->';
const PERMISSIONS_START = '<!-- permissions:start -->';
const PERMISSIONS_END = '<!-- permissions:end -->';
const HAND_WRITTEN_START = '<!-- hand-written:start -->';
const HAND_WRITTEN_END = '<!-- hand-written:end -->';

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

/**
 * Copies every `<action>/action.yml` and `<action>/README.md` of the repository into `<scratch>/<name>/`, for
 * runs with `--actions`; returns that directory.
 */
async function copyActions(name: string): Promise<string> {
  const actions = join(scratch, name);
  for (const action of ACTION_NAMES) {
    await mkdir(join(actions, action), { recursive: true });
    for (const file of ['action.yml', 'README.md'])
      await copyFile(join(REPOSITORY_ROOT, action, file), join(actions, action, file));
  }
  return actions;
}

/** The committed `<action>/README.md`. */
function actionReadme(action: string): string {
  return readFileSync(join(REPOSITORY_ROOT, action, 'README.md'), 'utf8');
}

/** The text between the hand-written markers, markers excluded. */
function handWritten(text: string): string {
  return text.slice(
    text.indexOf(HAND_WRITTEN_START) + HAND_WRITTEN_START.length,
    text.indexOf(HAND_WRITTEN_END),
  );
}

/** The first YAML block under `## Usage`. */
function usageSnippet(text: string): string {
  const usage = text.slice(text.indexOf('\n## Usage\n'));
  return /```yaml\n([\s\S]*?)```/.exec(usage)?.[1] ?? '';
}

let scratch: string;
let readme: string;
let host: ScriptHost;
/** A copy of the actions' files: runs that write get it, so that no test writes into the repository. */
let actionsCopy: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'actions-reference-'));
  readme = await readFile(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  host = startScriptHost(SCRIPT);
  actionsCopy = await copyActions('repository');
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

  it.each(ACTION_NAMES)('names every input and output of %s, and links to its page', (action) => {
    const reference = region(readme);
    const row = reference
      .split('\n')
      .find((line) => line.startsWith(`| [\`${action}\`](${action}/README.md) `));
    expect(row).toBeDefined();
    // Cells split at the pipes that are not escaped, and trimmed of Prettier's padding.
    const [, , , inputs, outputs] = (row ?? '').split(/(?<!\\)\|/).map((cell) => cell.trim());
    const metadata = readActionMetadata(action);
    expect(inputs?.split(', ')).toEqual(Object.keys(metadata.inputs).map((name) => `\`${name}\``));
    expect(outputs?.split(', ')).toEqual(Object.keys(metadata.outputs).map((name) => `\`${name}\``));
    expect(reference).toContain('`uses: octo-org/release-promotion/<action>@v1`');
  });
});

describe('the generator', () => {
  it('detects a README whose reference was edited by hand, and rewrites only the reference', async () => {
    const copy = join(scratch, 'edited.md');
    const edited = readme
      .replace('Read-only.', 'Writes nothing.')
      .replace('## Where the state lives', '## Where the state lives\n\nA paragraph written meanwhile.');
    expect(edited).not.toBe(readme);
    await writeFile(copy, edited);

    const check = await generator('--check', '--readme', copy);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('the action reference is out of date');
    expect(check.stderr).toContain('npm run docs');

    expect((await generator('--readme', copy, '--actions', actionsCopy)).code).toBe(0);
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

    expect((await generator('--readme', copy, '--actions', actionsCopy)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe(readme);
  });

  it('detects an action.yml changed since the README was generated, and escapes | in cells', async () => {
    const actions = await copyActions('actions');
    const verify = join(actions, 'verify', 'action.yml');
    await writeFile(
      verify,
      (await readFile(verify, 'utf8')).replace(
        'Post-deployment verification',
        'Post-deployment verification (HTTP | command | Prometheus)',
      ),
    );
    const copy = join(scratch, 'drift.md');
    await writeFile(copy, readme);

    const check = await generator('--check', '--readme', copy, '--actions', actions);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('out of date');

    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    expect(region(await readFile(copy, 'utf8'))).toMatch(
      /^\| \[`verify`\]\(verify\/README\.md\) +\| Post-deployment verification \(HTTP \\\| command \\\| Prometheus\)/m,
    );
  });

  it('refuses a README with a marker twice, saying what to fix', async () => {
    const copy = join(scratch, 'twice.md');
    await writeFile(copy, `${readme}\n${START}\n`);
    const result = await generator('--readme', copy, '--actions', actionsCopy);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('once each, found 2 and 1');
    expect(await readFile(copy, 'utf8')).toBe(`${readme}\n${START}\n`);
  });
});

describe('the generator, for the permissions table', () => {
  it('detects a permissions section or a token description edited by hand, and rewrites both', async () => {
    const actions = await copyActions('token-actions');
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
    expect((await generator('--readme', copy, '--actions', actionsCopy)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe(readme);
  });
});

describe('each <action>/README.md', () => {
  it.each(ACTION_NAMES)(
    '%s: intro, usage with required inputs and permissions, every input, output and permission',
    (action) => {
      const text = actionReadme(action);
      const metadata = readActionMetadata(action);
      expect(text.startsWith(`# ${action}\n`)).toBe(true);
      const { description } = parse(readFileSync(metadata.file, 'utf8')) as { description: string };
      expect(description.length).toBeGreaterThan(20);
      expect(text).toContain(`\n\n${description}\n\n## Usage\n`);
      const snippet = usageSnippet(text);
      expect(snippet).toContain(`${permissionsYaml(action, 4)}\n`);
      expect(snippet).toContain(`- uses: octo-org/release-promotion/${action}@v1`);
      const required = Object.entries(metadata.inputs).filter(([, input]) => input.required === true);
      for (const [name] of required) expect(snippet).toMatch(new RegExp(`^ {10}${name}: \\S`, 'm'));
      const tables = text.slice(text.indexOf(HAND_WRITTEN_END));
      for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)])
        expect(tables).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
      for (const need of ACTION_PERMISSIONS[action]) {
        expect(tables).toMatch(new RegExp(`^\\| \`${permissionEntry(need)}\` +\\| ${need.why} +\\|$`, 'm'));
      }
    },
  );

  it.each(ACTION_NAMES)(
    "%s: the usage snippet is a job GitHub's workflow parser and the contract accept",
    async (action) => {
      const workflow = `on: workflow_dispatch\n${usageSnippet(actionReadme(action))}`;
      expect(await workflowParserErrors(`${action}/README.md`, workflow)).toEqual([]);
      const published = (uses: string) => /^octo-org\/release-promotion\/([^@]+)@v1$/.exec(uses)?.[1];
      expect(suiteContractProblems(parse(workflow) as WorkflowDocument, published)).toEqual([]);
    },
  );

  it.each(ACTION_NAMES)('%s: keeps a hand-written example between the markers', (action) => {
    const kept = handWritten(actionReadme(action));
    expect(kept).toContain('## Example');
    expect(kept).toContain(`uses: octo-org/release-promotion/${action}@v1`);
  });
});

describe('the generator, for the action READMEs', () => {
  it('detects a README edited outside its hand-written part and an action.yml changed, and rewrites both', async () => {
    const actions = await copyActions('readme-drift');
    const acceptReadme = join(actions, 'accept', 'README.md');
    const edited = actionReadme('accept').replace('| record accepted ', '| record approved ');
    expect(edited).not.toBe(actionReadme('accept'));
    await writeFile(acceptReadme, edited);
    const verifyYaml = join(actions, 'verify', 'action.yml');
    await writeFile(
      verifyYaml,
      (await readFile(verifyYaml, 'utf8')).replace(
        "description: 'Seconds one check may take.'",
        "description: 'Seconds one check may take, at most.'",
      ),
    );
    const copy = join(scratch, 'readme-drift.md');
    await writeFile(copy, readme);

    const check = await generator('--check', '--readme', copy, '--actions', actions);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`${acceptReadme}: out of date with its action.yml`);
    expect(check.stderr).toContain(
      `${join(actions, 'verify', 'README.md')}: out of date with its action.yml`,
    );
    expect(check.stderr).not.toContain(join(actions, 'status', 'README.md'));

    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    expect(await readFile(acceptReadme, 'utf8')).toBe(actionReadme('accept'));
    const verifyReadme = await readFile(join(actions, 'verify', 'README.md'), 'utf8');
    expect(verifyReadme).toMatch(/^\| `timeout` .*Seconds one check may take, at most\. +\|$/m);
    expect(handWritten(verifyReadme)).toBe(handWritten(actionReadme('verify')));
    expect((await generator('--check', '--readme', copy, '--actions', actions)).code).toBe(0);
  });

  it('keeps the hand-written part as it is: editing it is no drift', async () => {
    const actions = await copyActions('readme-hand-written');
    const file = join(actions, 'rollback', 'README.md');
    const edited = actionReadme('rollback').replace(
      `${HAND_WRITTEN_START}\n`,
      `${HAND_WRITTEN_START}\n\nRoll back from the job that verified, or from a workflow run by hand.\n`,
    );
    await writeFile(file, edited);
    const copy = join(scratch, 'readme-hand-written.md');
    await writeFile(copy, readme);

    expect((await generator('--check', '--readme', copy, '--actions', actions)).code).toBe(0);
    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('creates a missing README with an empty hand-written part, and refuses one without the markers', async () => {
    const actions = await copyActions('readme-missing');
    const status = join(actions, 'status', 'README.md');
    await rm(status);
    const unmarked = join(actions, 'deploy-env', 'README.md');
    const withoutMarkers = '# deploy-env\n\nNotes that must not be lost.\n';
    await writeFile(unmarked, withoutMarkers);
    const copy = join(scratch, 'readme-missing.md');
    await writeFile(copy, readme);

    const refused = await generator('--readme', copy, '--actions', actions);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${unmarked}: expected "${HAND_WRITTEN_START}" and "${HAND_WRITTEN_END}"`,
    );
    expect(await readFile(unmarked, 'utf8')).toBe(withoutMarkers);

    await copyFile(join(REPOSITORY_ROOT, 'deploy-env', 'README.md'), unmarked);
    const check = await generator('--check', '--readme', copy, '--actions', actions);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`${status}: missing.`);
    expect((await generator('--readme', copy, '--actions', actions)).code).toBe(0);
    const created = await readFile(status, 'utf8');
    expect(created).toContain(`${HAND_WRITTEN_START}\n\n${HAND_WRITTEN_END}`);
    const current = actionReadme('status');
    expect(created).toBe(current.replace(handWritten(current), '\n\n'));
  });

  it('refuses a required input it has no example value for, naming the input and the fix', async () => {
    const actions = await copyActions('readme-required');
    const yaml = join(actions, 'status', 'action.yml');
    await writeFile(
      yaml,
      (await readFile(yaml, 'utf8')).replace(
        'inputs:\n',
        "inputs:\n  audience:\n    description: 'Who reads it.'\n    required: true\n",
      ),
    );
    const copy = join(scratch, 'readme-required.md');
    await writeFile(copy, readme);
    const result = await generator('--check', '--readme', copy, '--actions', actions);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'status/action.yml: the required input(s) audience have no example value',
    );
    expect(result.stderr).toContain('EXAMPLE_VALUES in scripts/actions-reference.mjs');
  });
});
