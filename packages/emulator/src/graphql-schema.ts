/**
 * GitHub's GraphQL schema (`@octokit/graphql-schema`, file `schema.graphql`), built once per process on first use.
 * Only the SDL file is read: the package's JavaScript entry is never imported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

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

/** GitHub's GraphQL schema, built (about 300 ms) on the first call and cached for the process. */
export function githubGraphqlSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(githubGraphqlSchemaPath(), 'utf8'), { assumeValidSDL: true });
  return cached;
}
