/**
 * Writes `schema/promotion.schema.json`, the JSON Schema of `.github/promotion.yml`, from the one definition of
 * the configuration's rules (`packages/core/src/chain/config-schema.ts`, turned into JSON Schema by
 * `config-json-schema.ts`), formatted as prettier formats the repository.
 *
 *   node scripts/config-schema.mjs                  write the schema
 *   node scripts/config-schema.mjs --check          exit 1 when the committed schema differs from the definition
 *   node scripts/config-schema.mjs --out <path>     work on another file (tests use a copy)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { tsImport } from 'tsx/esm/api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_PATH = join(ROOT, 'schema', 'promotion.schema.json');
const GENERATOR_MODULE = 'packages/core/src/chain/config-json-schema.ts';
const DEFINITION_MODULE = 'packages/core/src/chain/config-schema.ts';
const REGENERATE = 'npm run docs';

/** The schema as the definition gives it, formatted like every JSON file of the repository. */
async function generatedSchema() {
  const { promotionJsonSchema } = await tsImport(join(ROOT, GENERATOR_MODULE), import.meta.url);
  // The repository's settings, wherever the file is written (tests write a copy elsewhere).
  const options = (await prettier.resolveConfig(SCHEMA_PATH)) ?? {};
  return prettier.format(JSON.stringify(promotionJsonSchema(), null, 2), { ...options, parser: 'json' });
}

/** The file's text, or undefined when there is none. */
function currentText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function main() {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  const path = resolve(values.out ?? SCHEMA_PATH);
  const next = await generatedSchema();
  const current = currentText(path);
  if (values.check) {
    if (current !== next) {
      console.error(
        `${path}: ${current === undefined ? 'missing' : 'out of date with ' + DEFINITION_MODULE}. ` +
          `Run \`${REGENERATE}\` and commit the result.`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`${path}: up to date with ${DEFINITION_MODULE}.`);
    return;
  }
  if (next !== current) writeFileSync(path, next);
  console.log(`${path}: ${next === current ? 'already up to date' : 'written'}.`);
}

main().catch((error) => {
  console.error(`config-schema: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
