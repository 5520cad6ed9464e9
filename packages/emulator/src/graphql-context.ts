/** What the GraphQL resolvers of one request share, and the shapes of resolvers and their tables. */
import type { GitCommit, GitTag } from './git-repository.js';
import type { EmulatorState } from './route-handler.js';

/** What every resolver of one request shares. */
export interface GraphqlContext {
  state: EmulatorState;
  /** Commits and tags read during this request, by sha. */
  commits: Map<string, GitCommit | undefined>;
  tags: Map<string, GitTag | undefined>;
  /** Contents of blobs read during this request, by sha. */
  blobs: Map<string, Buffer>;
}

/** The arguments of a field, as graphql-js hands them to a resolver (defaults applied). */
export type GraphqlArguments = Record<string, unknown>;

/** Resolves one field of a source of type `S`. */
export type Resolver<S> = (source: S, args: GraphqlArguments, context: GraphqlContext) => unknown;

/** Resolvers by field name; `never` lets each table keep its own source type. */
export type FieldTable = Record<string, Resolver<never>>;

/** The value of a `Repository` field: the emulator serves a single repository. */
export interface RepositorySource {
  __typename: 'Repository';
}

/** The one repository the emulator serves. */
export const REPOSITORY: RepositorySource = { __typename: 'Repository' };

/** Creates the context of one request. */
export function createGraphqlContext(state: EmulatorState): GraphqlContext {
  return { state, commits: new Map(), tags: new Map(), blobs: new Map() };
}
