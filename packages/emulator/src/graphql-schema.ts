/**
 * GitHub's GraphQL schema (`@octokit/graphql-schema`, file `schema.graphql`), built once per process on first use.
 * Only the SDL file is read: the package's JavaScript entry is never imported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildASTSchema, parse, versionInfo, type GraphQLSchema } from 'graphql';
import { cachedDerivation } from './derived-cache.js';

const PACKAGE = '@octokit/graphql-schema';

let cached: GraphQLSchema | undefined;

/**
 * The path of `schema.graphql` inside `@octokit/graphql-schema`. The package exports only its JavaScript entry, so
 * the file is looked up in the `node_modules` directories Node would search.
 */
export function githubGraphqlSchemaPath(): string {
  const require = createRequire(import.meta.url);
  for (const directory of require.resolve.paths(PACKAGE) ?? []) {
    const candidate = join(directory, PACKAGE, 'schema.graphql');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${PACKAGE}/schema.graphql not found: install ${PACKAGE} next to the emulator`);
}

/**
 * GitHub's GraphQL schema, built on the first call and cached for the process. The SDL's syntax tree is parsed
 * once and kept for the next processes (reading it back costs a fraction of parsing 1.2 MB of SDL); its source
 * locations are not recorded (`noLocation`): errors point into the documents checked, never into the schema.
 */
export function githubGraphqlSchema(): GraphQLSchema {
  if (cached) return cached;
  const path = githubGraphqlSchemaPath();
  const tree = cachedDerivation(
    'graphql-schema',
    { files: [path], other: ['parse, noLocation', versionInfo] },
    () => parse(readFileSync(path, 'utf8'), { noLocation: true }),
  );
  // GitHub's schema is valid: neither its SDL nor the schema built from it is checked again (checking the
  // schema's thousands of types would cost more than building it, once per process).
  cached = buildASTSchema(tree, { assumeValidSDL: true, assumeValid: true });
  return cached;
}
