/**
 * Generates the reference of the six actions (description, inputs, outputs) from their `action.yml` and writes
 * it into README.md between `<!-- actions-reference:start -->` and `<!-- actions-reference:end -->`, so the
 * README never drifts from the public contract. Nothing outside the markers is touched.
 *
 *   node scripts/actions-reference.mjs                     write the reference into README.md
 *   node scripts/actions-reference.mjs --check             exit 1 when README.md is out of date
 *   node scripts/actions-reference.mjs --readme <path>     work on another file (tests use a copy)
 *   node scripts/actions-reference.mjs --actions <dir>     read `<dir>/<action>/action.yml` (default: the repository)
 *
 * When the markers are missing, writing adds them once, just before the line starting with
 * `## Where the state lives`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The actions in the order a release meets them. */
const ACTIONS = ['prepare-release', 'deploy-env', 'verify', 'accept', 'rollback', 'status'];
const START = '<!-- actions-reference:start -->';
const END = '<!-- actions-reference:end -->';
/** The section the reference goes before, the first time. */
const ANCHOR = '## Where the state lives';
const REGENERATE = 'npm run docs';

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

/** The Markdown reference of one action, read from `<actionsDirectory>/<action>/action.yml`. */
function actionSection(actionsDirectory, action) {
  const file = join(actionsDirectory, action, 'action.yml');
  const metadata = parse(readFileSync(file, 'utf8'));
  const lines = [`### \`${action}\``, '', cell(metadata.description ?? ''), ''];
  lines.push(`\`uses: octo-org/release-promotion/${action}@v1\``, '');
  const inputs = Object.entries(metadata.inputs ?? {});
  if (inputs.length > 0) {
    lines.push('| input | required | default | description |', '| --- | --- | --- | --- |');
    for (const [name, input] of inputs) {
      const fallback =
        input.default === undefined || input.default === '' ? '—' : codeSpan(String(input.default));
      lines.push(
        `| ${cell(codeSpan(name))} | ${input.required === true ? 'yes' : 'no'} | ${cell(fallback)} | ${cell(input.description ?? '')} |`,
      );
    }
    lines.push('');
  }
  const outputs = Object.entries(metadata.outputs ?? {});
  if (outputs.length > 0) {
    lines.push('| output | description |', '| --- | --- |');
    for (const [name, output] of outputs) {
      lines.push(`| ${cell(codeSpan(name))} | ${cell(output.description ?? '')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The whole generated region, markers excluded, formatted as Prettier formats README.md. */
async function generateReference(actionsDirectory) {
  const markdown = [
    '## Action reference',
    '',
    `Generated from each action's \`action.yml\` by \`${REGENERATE}\`; edit the \`action.yml\`, not this section.`,
    '',
    ...ACTIONS.map((action) => actionSection(actionsDirectory, action)),
  ].join('\n');
  const options = (await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

/**
 * README text with `reference` between the markers. Adds the markers before the `ANCHOR` line when absent;
 * throws with what to fix when the markers are broken or the anchor is missing.
 */
function withReference(readme, reference) {
  const region = `${START}\n\n${reference.trimEnd()}\n\n${END}`;
  const starts = readme.split(START).length - 1;
  const ends = readme.split(END).length - 1;
  if (starts === 1 && ends === 1) {
    const from = readme.indexOf(START);
    const to = readme.indexOf(END) + END.length;
    if (to < from)
      throw new Error(`"${END}" comes before "${START}"; put the end marker after the start one.`);
    return readme.slice(0, from) + region + readme.slice(to);
  }
  if (starts !== 0 || ends !== 0) {
    throw new Error(
      `expected "${START}" and "${END}" once each, found ${starts} and ${ends}; remove the extra ones.`,
    );
  }
  const anchor = readme.search(new RegExp(`^${ANCHOR}`, 'm'));
  if (anchor === -1) {
    throw new Error(
      `no markers and no line starting with "${ANCHOR}"; add "${START}" and "${END}" where the reference goes.`,
    );
  }
  return `${readme.slice(0, anchor)}${region}\n\n${readme.slice(anchor)}`;
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
  const reference = await generateReference(resolve(values.actions ?? ROOT));
  // Read as late as possible: other people edit the rest of README.md.
  const current = readFileSync(readmePath, 'utf8');
  const next = withReference(current, reference);
  if (values.check) {
    if (!current.includes(START)) {
      console.error(
        `${readmePath}: no action reference (no "${START}" marker). Run \`${REGENERATE}\` to add it.`,
      );
      process.exitCode = 1;
      return;
    }
    if (next !== current) {
      console.error(
        `${readmePath}: the action reference is out of date with the action.yml files. Run \`${REGENERATE}\` and commit the result.`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`${readmePath}: the action reference is up to date.`);
    return;
  }
  if (next !== current) writeFileSync(readmePath, next);
  console.log(`${readmePath}: action reference ${next === current ? 'already up to date' : 'written'}.`);
}

main().catch((error) => {
  console.error(`actions-reference: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
