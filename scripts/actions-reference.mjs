/**
 * Generates the reference of the six actions (description, inputs, outputs) from their `action.yml` and writes
 * it into README.md between `<!-- actions-reference:start -->` and `<!-- actions-reference:end -->`, so the
 * README never drifts from the public contract. From the one table of each action's permissions
 * (`packages/core/src/github/action-permissions.ts`) it also writes the README's permissions section, between
 * `<!-- permissions:start -->` and `<!-- permissions:end -->`, and the `token` input description of each
 * `action.yml`. Nothing outside the markers and those descriptions is touched.
 *
 * Each action's own `<action>/README.md` is generated whole from the same two sources (intro, usage with the
 * required inputs and the `permissions:` block, inputs, outputs, permissions), except the text between
 * `<!-- hand-written:start -->` and `<!-- hand-written:end -->`, which is kept as it is.
 *
 *   node scripts/actions-reference.mjs                     write the reference into README.md and <action>/README.md
 *   node scripts/actions-reference.mjs --check             exit 1 when a README or a token description is out of date
 *   node scripts/actions-reference.mjs --readme <path>     work on another file (tests use a copy)
 *   node scripts/actions-reference.mjs --actions <dir>     read `<dir>/<action>/action.yml` and write
 *                                                          `<dir>/<action>/README.md` (default: the repository)
 *
 * When the markers are missing, writing adds them once: the reference just before the permissions section, or
 * else before the line starting with `## Where the state lives`; the permissions section just after the
 * reference. An `<action>/README.md` that does not exist is created with an empty hand-written section; one that
 * exists without the hand-written markers is refused (its text would be lost).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { tsImport } from 'tsx/esm/api';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The actions in the order a release meets them. */
const ACTIONS = ['prepare-release', 'deploy-env', 'verify', 'accept', 'rollback', 'status'];
const START = '<!-- actions-reference:start -->';
const END = '<!-- actions-reference:end -->';
const PERMISSIONS_START = '<!-- permissions:start -->';
const PERMISSIONS_END = '<!-- permissions:end -->';
const PERMISSIONS_MODULE = 'packages/core/src/github/action-permissions.ts';
/** The section the reference goes before, the first time. */
const ANCHOR = '## Where the state lives';
const REGENERATE = 'npm run docs';
const HAND_WRITTEN_START = '<!-- hand-written:start -->';
const HAND_WRITTEN_END = '<!-- hand-written:end -->';
/**
 * The value each required input gets in the usage snippets of the per-action READMEs. A required input missing
 * here stops the generator with what to add: a placeholder would teach nothing.
 */
const EXAMPLE_VALUES = { environment: 'production', reason: 'verification failed' };

/** One table cell: on one line, with `|` escaped so it cannot end the cell. */
function cell(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');
}

/** `text` as a Markdown code span, with a fence longer than any run of backticks inside it. */
function codeSpan(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The parsed `<actionsDirectory>/<action>/action.yml`. */
function readMetadata(actionsDirectory, action) {
  return parse(readFileSync(join(actionsDirectory, action, 'action.yml'), 'utf8'));
}

/** The Markdown table of an action's inputs (none when it has none). */
function inputTable(metadata) {
  const inputs = Object.entries(metadata.inputs ?? {});
  if (inputs.length === 0) return [];
  const lines = ['| input | required | default | description |', '| --- | --- | --- | --- |'];
  for (const [name, input] of inputs) {
    const fallback =
      input.default === undefined || input.default === '' ? '—' : codeSpan(String(input.default));
    lines.push(
      `| ${cell(codeSpan(name))} | ${input.required === true ? 'yes' : 'no'} | ${cell(fallback)} | ${cell(input.description ?? '')} |`,
    );
  }
  return [...lines, ''];
}

/** The Markdown table of an action's outputs (none when it has none). */
function outputTable(metadata) {
  const outputs = Object.entries(metadata.outputs ?? {});
  if (outputs.length === 0) return [];
  const lines = ['| output | description |', '| --- | --- |'];
  for (const [name, output] of outputs)
    lines.push(`| ${cell(codeSpan(name))} | ${cell(output.description ?? '')} |`);
  return [...lines, ''];
}

/** The README's row of one action, read from `<actionsDirectory>/<action>/action.yml`: its page, inputs, outputs. */
function actionRow(actionsDirectory, action) {
  const metadata = readMetadata(actionsDirectory, action);
  const names = (entries) =>
    Object.keys(entries ?? {})
      .map(codeSpan)
      .join(', ') || '—';
  return (
    `| [\`${action}\`](${action}/README.md) | ${cell(metadata.description ?? '')} | ` +
    `${names(metadata.inputs)} | ${names(metadata.outputs)} |`
  );
}

/**
 * The whole generated region, markers excluded, formatted as Prettier formats README.md: one row per action,
 * linking to its own README, which holds the usage, the inputs and outputs in full and the permissions.
 */
async function generateReference(actionsDirectory) {
  const markdown = [
    '## Action reference',
    '',
    `Generated from each action's \`action.yml\` by \`${REGENERATE}\`; edit the \`action.yml\`, not this section. ` +
      "Each action's page has its usage, every input with its default and meaning, its outputs and its " +
      'permissions. Use an action as `uses: octo-org/release-promotion/<action>@v1`.',
    '',
    '| action | what it does | inputs | outputs |',
    '| --- | --- | --- | --- |',
    ...ACTIONS.map((action) => actionRow(actionsDirectory, action)),
  ].join('\n');
  return formatMarkdown(markdown);
}

/** Markdown formatted as Prettier formats README.md. */
async function formatMarkdown(markdown) {
  const options = (await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

/** The permissions table, read from its TypeScript module. */
function loadPermissions() {
  return tsImport(join(ROOT, PERMISSIONS_MODULE), import.meta.url);
}

/** The highest access of each scope over all actions: what one job running the whole chain needs. */
function chainPermissions(table) {
  const highest = new Map();
  for (const needs of Object.values(table.ACTION_PERMISSIONS)) {
    for (const need of needs) {
      if (highest.get(need.scope) !== 'write') highest.set(need.scope, need.access);
    }
  }
  return [...highest].sort(([a], [b]) => a.localeCompare(b)).map(([scope, access]) => `${scope}: ${access}`);
}

/** The rows of the permissions table and the YAML of the whole chain. */
function permissionRows(table) {
  const rows = ['| action | `permissions:` | what for |', '| --- | --- | --- |'];
  for (const action of table.SUITE_ACTIONS) {
    const needs = table.ACTION_PERMISSIONS[action];
    const entries = needs.map((need) => codeSpan(table.permissionEntry(need))).join(', ');
    const why = needs.map((need) => `${codeSpan(table.permissionEntry(need))} to ${need.why}`).join('; ');
    rows.push(`| ${codeSpan(action)} | ${cell(entries)} | ${cell(why)} |`);
  }
  return rows;
}

/** The whole generated permissions region, markers excluded. */
async function generatePermissions(table) {
  const tagWriters = table.TAG_WRITING_ACTIONS.map(codeSpan)
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');
  const markdown = [
    '## Permissions of each action',
    '',
    `Generated from \`${PERMISSIONS_MODULE}\` by \`${REGENERATE}\`, like each action's \`token\` input description; ` +
      'edit the table there, not this section. When GitHub refuses a request for a missing permission, the error and the job summary name the permissions of the action that was refused, with the `permissions:` YAML to add.',
    '',
    ...permissionRows(table),
    '',
    'One job running the whole chain needs:',
    '',
    '```yaml',
    'permissions:',
    ...chainPermissions(table).map((entry) => `  ${entry}`),
    '```',
    '',
    '### Tags and the `workflows` permission',
    '',
    `${tagWriters} create or move tags. GitHub refuses that to a token without the \`workflows\` permission, which a ` +
      '`GITHUB_TOKEN` can never have, when the tag is to point at a commit whose `.github/workflows` files differ ' +
      'from those of the branch heads (403 "refusing to allow a GitHub App to create or update workflow … without ' +
      '`workflows` permission"). An environment tag usually points behind `main`, so this happens once a workflow ' +
      "changes on `main` before a release reaches the last environment. The step then fails with GitHub's refusal " +
      'and the fix: an installation token of a GitHub App with `contents: write`, `workflows: write` and the ' +
      "action's other permissions, passed as its `token` input:",
    '',
    '```yaml',
    '- uses: actions/create-github-app-token@v2',
    '  id: app-token',
    '  with:',
    '    app-id: ${{ vars.RELEASE_APP_ID }}',
    '    private-key: ${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
    ...[...chainPermissions(table), 'workflows: write'].sort().map((entry) => `    permission-${entry}`),
    '- uses: octo-org/release-promotion/accept@v1',
    '  with:',
    '    environment: production',
    '    token: ${{ steps.app-token.outputs.token }}',
    '```',
    '',
    'A repository ruleset covering the tags ("Repository rule violations found") is reported the same way, with ' +
      'its fix: let the token bypass the ruleset that covers the `env/*` (or version) tags, or exclude those tags ' +
      "from it. A refused tag write is never reported as another run's win: the tag is read back first.",
  ].join('\n');
  return formatMarkdown(markdown);
}

/**
 * README text with `body` between the markers `start` and `end`. When both are absent, adds them at the index
 * `place(readme)` gives (or throws what to fix when it gives -1); throws with what to fix when the markers are
 * broken.
 */
function withRegion(readme, { start, end, body, place, where }) {
  const region = `${start}\n\n${body.trimEnd()}\n\n${end}`;
  const starts = readme.split(start).length - 1;
  const ends = readme.split(end).length - 1;
  if (starts === 1 && ends === 1) {
    const from = readme.indexOf(start);
    const to = readme.indexOf(end) + end.length;
    if (to < from)
      throw new Error(`"${end}" comes before "${start}"; put the end marker after the start one.`);
    return readme.slice(0, from) + region + readme.slice(to);
  }
  if (starts !== 0 || ends !== 0) {
    throw new Error(
      `expected "${start}" and "${end}" once each, found ${starts} and ${ends}; remove the extra ones.`,
    );
  }
  const at = place(readme);
  if (at === -1)
    throw new Error(`no markers and ${where}; add "${start}" and "${end}" where the section goes.`);
  return `${readme.slice(0, at)}${region}\n\n${readme.slice(at)}`;
}

/** README text with both generated regions: the reference, then the permissions right after it. */
function withGenerated(readme, reference, permissions) {
  const withReference = withRegion(readme, {
    start: START,
    end: END,
    body: reference,
    where: `no line starting with "${ANCHOR}"`,
    place: (text) =>
      text.includes(PERMISSIONS_START)
        ? text.indexOf(PERMISSIONS_START)
        : text.search(new RegExp(`^${ANCHOR}`, 'm')),
  });
  return withRegion(withReference, {
    start: PERMISSIONS_START,
    end: PERMISSIONS_END,
    body: permissions,
    where: `no "${END}" marker`,
    place: (text) => text.indexOf(END) + END.length + 2,
  });
}

/** The `token` description of each `action.yml` as the table gives it: `[{ action, file, text, expected }]`. */
function tokenDescriptions(actionsDirectory, table) {
  return ACTIONS.map((action) => {
    const file = join(actionsDirectory, action, 'action.yml');
    const text = readFileSync(file, 'utf8');
    const current = parse(text).inputs?.token?.description;
    return { action, file, text, current, expected: table.tokenDescription(action) };
  });
}

/**
 * `text` with the token description replaced (a one-line scalar on the line after `  token:`), formatted as
 * Prettier formats the action.yml files.
 */
async function withTokenDescription({ action, file, text, expected }) {
  const line = /^( {2}token:\n {4}description: ).*$/m;
  if (!line.test(text)) {
    throw new Error(`${file}: no "token:" input with a one-line "description:" right after it; add one.`);
  }
  const replaced = text.replace(line, (_, head) => `${head}'${expected.replace(/'/g, "''")}'`);
  // The repository's own configuration, also for copies elsewhere (tests).
  const options = (await prettier.resolveConfig(join(ROOT, action, 'action.yml'))) ?? {};
  return prettier.format(replaced, { ...options, parser: 'yaml' });
}

/** The text between two markers, `undefined` without them. */
function regionOf(text, start, end) {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from === -1 || to === -1 ? undefined : text.slice(from, to);
}

/** What `--check` finds out of date, one line each (empty: all up to date). */
function staleParts(readmePath, current, next, tokens) {
  const problems = [];
  if (!current.includes(START)) {
    problems.push(`${readmePath}: no action reference (no "${START}" marker).`);
  } else if (regionOf(current, START, END) !== regionOf(next, START, END)) {
    problems.push(`${readmePath}: the action reference is out of date with the action.yml files.`);
  }
  if (!current.includes(PERMISSIONS_START)) {
    problems.push(`${readmePath}: no permissions section (no "${PERMISSIONS_START}" marker).`);
  } else if (
    regionOf(current, PERMISSIONS_START, PERMISSIONS_END) !==
    regionOf(next, PERMISSIONS_START, PERMISSIONS_END)
  ) {
    problems.push(`${readmePath}: the permissions section is out of date with ${PERMISSIONS_MODULE}.`);
  }
  if (problems.length === 0 && next !== current)
    problems.push(`${readmePath}: the generated sections are out of date.`);
  for (const token of tokens.filter((candidate) => candidate.current !== candidate.expected)) {
    problems.push(`${token.file}: the token input description is out of date with ${PERMISSIONS_MODULE}.`);
  }
  return problems;
}

/** The inputs a step must give: required, with no default. */
function requiredInputs(metadata) {
  return Object.entries(metadata.inputs ?? {})
    .filter(([, input]) => input.required === true && (input.default === undefined || input.default === ''))
    .map(([name]) => name);
}

/** The usage snippet of an action: one job with its `permissions:` and a step giving the required inputs. */
function usageSnippet(action, metadata, table) {
  const required = requiredInputs(metadata);
  const unknown = required.filter((name) => !(name in EXAMPLE_VALUES));
  if (unknown.length > 0) {
    throw new Error(
      `${action}/action.yml: the required input(s) ${unknown.join(', ')} have no example value; add one to ` +
        'EXAMPLE_VALUES in scripts/actions-reference.mjs.',
    );
  }
  const inputs = required.map((name) => `          ${name}: ${EXAMPLE_VALUES[name]}`);
  return [
    '```yaml',
    'jobs:',
    `  ${action}:`,
    '    runs-on: ubuntu-latest',
    table.permissionsYaml(action, 4),
    '    steps:',
    `      - uses: octo-org/release-promotion/${action}@v1`,
    ...(inputs.length > 0 ? ['        with:', ...inputs] : []),
    '```',
  ];
}

/** The permissions part of an action's README: what each entry is for, and the tag caveat where it applies. */
function permissionsPart(action, table) {
  const lines = [
    '## Permissions',
    '',
    `From \`${PERMISSIONS_MODULE}\`, the table the \`token\` description and the error of a refused request are ` +
      'generated from too. [Permissions of each action](../README.md#permissions-of-each-action) lists every ' +
      "action's and what one job running the whole chain needs.",
    '',
    '| permission | what for |',
    '| --- | --- |',
    ...table.ACTION_PERMISSIONS[action].map(
      (need) => `| ${codeSpan(table.permissionEntry(need))} | ${cell(need.why)} |`,
    ),
  ];
  if (table.TAG_WRITING_ACTIONS.includes(action)) {
    lines.push(
      '',
      'This action creates or moves tags: GitHub refuses that to a `GITHUB_TOKEN` when the tag is to point at a ' +
        'commit whose `.github/workflows` differ from the branch heads. The error says so; pass a GitHub App ' +
        'installation token as `token` then (see [Tags and the `workflows` ' +
        'permission](../README.md#tags-and-the-workflows-permission)).',
    );
  }
  return lines;
}

/**
 * The hand-written text of an action's README, markers excluded: `''` for a README that does not exist yet.
 * Throws what to fix when the file exists without the markers, or has them more than once or in the wrong order.
 */
function handWrittenPart(file, text) {
  if (text === undefined) return '';
  const starts = text.split(HAND_WRITTEN_START).length - 1;
  const ends = text.split(HAND_WRITTEN_END).length - 1;
  if (starts !== 1 || ends !== 1) {
    throw new Error(
      `${file}: expected "${HAND_WRITTEN_START}" and "${HAND_WRITTEN_END}" once each, found ${starts} and ` +
        `${ends}; put them once around the text to keep (nothing else in the file is kept), or delete the file ` +
        'to have it generated anew.',
    );
  }
  const from = text.indexOf(HAND_WRITTEN_START) + HAND_WRITTEN_START.length;
  const to = text.indexOf(HAND_WRITTEN_END);
  if (to < from)
    throw new Error(`${file}: "${HAND_WRITTEN_END}" comes before "${HAND_WRITTEN_START}"; swap them.`);
  return text.slice(from, to).trim();
}

/** The whole `<action>/README.md`: generated around `handWritten`, formatted as Prettier formats it. */
async function actionReadme(action, metadata, table, handWritten) {
  const markdown = [
    `# ${action}`,
    '',
    `<!-- Generated from action.yml and ${PERMISSIONS_MODULE} by \`${REGENERATE}\`: edit those, or the text ` +
      'between the hand-written markers below, which is kept. -->',
    '',
    cell(metadata.description ?? ''),
    '',
    '## Usage',
    '',
    ...usageSnippet(action, metadata, table),
    '',
    HAND_WRITTEN_START,
    '',
    ...(handWritten === '' ? [] : [handWritten, '']),
    HAND_WRITTEN_END,
    '',
    '## Inputs',
    '',
    ...(inputTable(metadata).length > 0 ? inputTable(metadata) : ['None.', '']),
    '## Outputs',
    '',
    ...(outputTable(metadata).length > 0 ? outputTable(metadata) : ['None.', '']),
    ...permissionsPart(action, table),
    '',
    `[\`action.yml\`](action.yml) is the contract; [\`examples/\`](../examples/) has complete workflows. The ` +
      `code is in [\`actions/${action}\`](../actions/${action}) (entry point) and ` +
      `[\`packages/core\`](../packages/core) (logic); \`runs.main\` is the committed bundle ` +
      `\`dist/${action}/index.js\`.`,
  ].join('\n');
  return formatMarkdown(markdown);
}

/** Each `<actionsDirectory>/<action>/README.md` as it is (`undefined`: missing) and as it should be. */
async function actionReadmes(actionsDirectory, table) {
  const readmes = [];
  for (const action of ACTIONS) {
    const file = join(actionsDirectory, action, 'README.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const metadata = readMetadata(actionsDirectory, action);
    const expected = await actionReadme(action, metadata, table, handWrittenPart(file, current));
    readmes.push({ file, current, expected });
  }
  return readmes;
}

/** What `--check` finds out of date in the per-action READMEs, one line each. */
function staleActionReadmes(readmes) {
  return readmes.flatMap(({ file, current, expected }) => {
    if (current === undefined) return [`${file}: missing.`];
    if (current !== expected) {
      return [
        `${file}: out of date with its action.yml and ${PERMISSIONS_MODULE} (outside the hand-written part).`,
      ];
    }
    return [];
  });
}

/** `--check`: prints what is out of date and sets exit code 1, or says all is up to date. */
function check({ readmePath, current, next, tokens, readmes }) {
  const problems = [...staleParts(readmePath, current, next, tokens), ...staleActionReadmes(readmes)];
  if (problems.length > 0) {
    console.error([...problems, `Run \`${REGENERATE}\` and commit the result.`].join('\n'));
    process.exitCode = 1;
    return;
  }
  console.log(
    `${readmePath}: the action reference, the permissions, the token descriptions and the ${readmes.length} ` +
      'action READMEs are up to date.',
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      readme: { type: 'string' },
      actions: { type: 'string' },
    },
  });
  const readmePath = resolve(values.readme ?? join(ROOT, 'README.md'));
  const actionsDirectory = resolve(values.actions ?? ROOT);
  const table = await loadPermissions();
  const tokens = tokenDescriptions(actionsDirectory, table);
  const stale = tokens.filter((token) => token.current !== token.expected);
  // Written first, so that the reference and the action READMEs show them.
  if (!values.check) for (const token of stale) writeFileSync(token.file, await withTokenDescription(token));
  const reference = await generateReference(actionsDirectory);
  const permissions = await generatePermissions(table);
  const readmes = await actionReadmes(actionsDirectory, table);
  // Read as late as possible: other people edit the rest of README.md.
  const current = readFileSync(readmePath, 'utf8');
  const next = withGenerated(current, reference, permissions);
  if (values.check) {
    check({ readmePath, current, next, tokens, readmes });
    return;
  }
  if (next !== current) writeFileSync(readmePath, next);
  const changed = readmes.filter((readme) => readme.current !== readme.expected);
  for (const readme of changed) writeFileSync(readme.file, readme.expected);
  console.log(
    `${readmePath}: generated sections ${next === current ? 'already up to date' : 'written'}; ` +
      `${stale.length} token description(s) and ${changed.length} action README(s) written.`,
  );
}

main().catch((error) => {
  console.error(`actions-reference: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
