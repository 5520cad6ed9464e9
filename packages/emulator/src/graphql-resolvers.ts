/**
 * The GraphQL fields the emulator serves, by type (`Repository.ref`, `Mutation.updateRefs`, ...), read from the
 * backing git repository and the store. Any other field of GitHub's schema is refused, before execution, by
 * {@link unservedFields}, and at execution by {@link resolveField}. Concepts live in their own modules
 * (`graphql-deployments.ts`, `graphql-releases.ts`, `graphql-compare.ts`, `graphql-git-objects.ts`, ...); this
 * one serves the repository and its refs and assembles the tables.
 */
import {
  isAbstractType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SourceLocation,
} from 'graphql';
import type { GitRef } from './git-repository.js';
import { actorFields } from './graphql-actors.js';
import { compareWith, comparisonFields } from './graphql-compare.js';
import {
  connectionFields,
  edgeFields,
  pageInfoFields,
  paginate,
  type ConnectionSource,
} from './graphql-connections.js';
import {
  REPOSITORY,
  type FieldTable,
  type GraphqlArguments,
  type GraphqlContext,
  type RepositorySource,
  type Resolver,
} from './graphql-context.js';
import { deploymentFields, deploymentStatusFields, listDeployments } from './graphql-deployments.js';
import { GraphqlFieldError } from './graphql-errors.js';
import {
  blobFields,
  commitFields,
  gitActorFields,
  gitObject,
  resolveObject,
  tagFields,
  treeFields,
  type GitObjectSource,
} from './graphql-git-objects.js';
import { findReleaseByTag, listReleases, releaseFields } from './graphql-releases.js';
import { applyRefUpdates, type RefUpdateInput } from './graphql-update-refs.js';
import { legacyNodeId } from './node-ids.js';
import type { EmulatorState } from './route-handler.js';
import { REPOSITORY_NODE_ID } from './routes/repository.js';

export { createGraphqlContext, type GraphqlContext } from './graphql-context.js';

/** A field the emulator does not serve, with where the document asks for it. */
export interface UnservedField {
  /** `Type.field`, e.g. `Repository.description`. */
  coordinate: string;
  locations: SourceLocation[];
}

interface RefSource {
  __typename: 'Ref';
  /** Full name, `refs/tags/env/production`. */
  fullName: string;
  /** The name without `prefix`. */
  name: string;
  prefix: string;
  sha: string;
  type: string;
}

/** Root types are never the value of a field (GitHub's `Query` implements `Node`). */
const ROOT_TYPES = new Set(['Query', 'Mutation']);

const query: Record<string, Resolver<unknown>> = {
  repository: (_source, args, { state }) => {
    const owner = String(args.owner);
    const name = String(args.name);
    if (!state.repository.isThisRepository(owner, name)) {
      throw new GraphqlFieldError(
        'NOT_FOUND',
        `Could not resolve to a Repository with the name '${owner}/${name}'.`,
      );
    }
    return REPOSITORY;
  },
};

const mutation: Record<string, Resolver<unknown>> = {
  updateRefs: (_source, args, { state }) => {
    const input = args.input as {
      repositoryId: string;
      refUpdates: RefUpdateInput[];
      clientMutationId?: string;
    };
    if (input.repositoryId !== REPOSITORY_NODE_ID) {
      throw new GraphqlFieldError(
        'NOT_FOUND',
        `Could not resolve to a node with the global id of '${input.repositoryId}'`,
      );
    }
    applyRefUpdates(state, input.refUpdates);
    return { clientMutationId: input.clientMutationId ?? null };
  },
};

const repository: Record<string, Resolver<RepositorySource>> = {
  id: () => REPOSITORY_NODE_ID,
  name: (_source, _args, { state }) => state.repository.name,
  nameWithOwner: (_source, _args, { state }) => state.repository.fullName,
  url: (_source, _args, { state }) => state.repository.htmlUrl(),
  defaultBranchRef: (_source, _args, { state }) =>
    findRef(state, `refs/heads/${state.repository.defaultBranch}`),
  ref: (_source, args, { state }) => {
    const wanted = String(args.qualifiedName);
    // Fully qualified names first, then short names as a branch, then as a tag.
    const candidates = wanted.startsWith('refs/')
      ? [wanted]
      : [`refs/heads/${wanted}`, `refs/tags/${wanted}`];
    for (const candidate of candidates) {
      const ref = findRef(state, candidate);
      if (ref) return ref;
    }
    return null;
  },
  refs: (_source, args, { state }) => listRefs(state, args),
  object: (_source, args, context) => resolveObject(context, args),
  deployments: (_source, args, context) => listDeployments(context, args),
  release: (_source, args, { state }) => findReleaseByTag(state, String(args.tagName)),
  releases: (_source, args, { state }) => listReleases(state, args),
};

const ref: Record<string, Resolver<RefSource>> = {
  id: (source) => legacyNodeId('Ref', source.fullName),
  name: (source) => source.name,
  prefix: (source) => source.prefix,
  target: (source) => gitObject(source.sha, source.type),
  repository: () => REPOSITORY,
  compare: (source, args, context) => compareWith(context, source.sha, args),
};

const commit: Record<string, Resolver<GitObjectSource>> = {
  ...commitFields,
  deployments: (source, args, context) => listDeployments(context, args, source.oid),
};

const updateRefsPayload: Record<string, Resolver<{ clientMutationId: string | null }>> = {
  clientMutationId: (source) => source.clientMutationId,
};

/** The served fields of each object type of GitHub's schema. */
const RESOLVERS: Record<string, FieldTable> = {
  Query: query,
  Mutation: mutation,
  Repository: repository,
  Ref: ref,
  RefConnection: connectionFields,
  RefEdge: edgeFields,
  PageInfo: pageInfoFields,
  Commit: commit,
  CommitEdge: edgeFields,
  Tag: tagFields,
  Tree: treeFields,
  Blob: blobFields,
  GitActor: gitActorFields,
  UpdateRefsPayload: updateRefsPayload,
  Deployment: deploymentFields,
  DeploymentConnection: connectionFields,
  DeploymentEdge: edgeFields,
  DeploymentStatus: deploymentStatusFields,
  DeploymentStatusConnection: connectionFields,
  DeploymentStatusEdge: edgeFields,
  User: actorFields,
  Bot: actorFields,
  Organization: actorFields,
  Release: releaseFields,
  ReleaseConnection: connectionFields,
  ReleaseEdge: edgeFields,
  Comparison: comparisonFields,
  ComparisonCommitConnection: connectionFields,
};

/** The field resolver handed to graphql-js `execute`: the served resolver, or an error naming the field. */
export const resolveField: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, context, info) => {
  const resolver = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (!resolver) throw notServed(`${info.parentType.name}.${info.fieldName}`);
  return resolver(source as never, args, context);
};

/**
 * The fields of a (valid) document the emulator does not serve. A field of an interface counts as served when
 * every type the emulator can return for it serves it (`GitObject.oid`: `Commit`, `Tag`, `Tree`, `Blob`).
 */
export function unservedFields(schema: GraphQLSchema, document: DocumentNode): UnservedField[] {
  const found = new Map<string, UnservedField>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = node.name.value;
        if (!parent || field.startsWith('__') || isServed(schema, parent.name, field)) return undefined;
        const coordinate = `${parent.name}.${field}`;
        const entry = found.get(coordinate) ?? { coordinate, locations: [] };
        const location = node.loc && { line: node.loc.startToken.line, column: node.loc.startToken.column };
        if (location) entry.locations.push(location);
        found.set(coordinate, entry);
        // What is selected below an unserved field would be noise.
        return false;
      },
    }),
  );
  return [...found.values()];
}

/** The error of a field the emulator does not serve. */
export function notServed(coordinate: string): GraphqlFieldError {
  return new GraphqlFieldError(
    'NOT_SERVED_BY_EMULATOR',
    `The emulator does not serve field ${coordinate} (the document is valid for GitHub; ` +
      'add a resolver in packages/emulator/src/graphql-resolvers.ts).',
  );
}

function isServed(schema: GraphQLSchema, typeName: string, field: string): boolean {
  if (RESOLVERS[typeName]) return field in (RESOLVERS[typeName] ?? {});
  const type = schema.getType(typeName);
  if (!type || !isAbstractType(type)) return false;
  const produced = schema
    .getPossibleTypes(type)
    .filter((possible) => RESOLVERS[possible.name] && !ROOT_TYPES.has(possible.name));
  return produced.length > 0 && produced.every((possible) => field in (RESOLVERS[possible.name] ?? {}));
}

function findRef(state: EmulatorState, fullName: string): RefSource | null {
  const found = state.git.readRef(fullName);
  if (!found) return null;
  const parts = fullName.split('/');
  const prefix = parts.length > 2 ? `${parts.slice(0, 2).join('/')}/` : 'refs/';
  return refSource(found, prefix);
}

function refSource(found: GitRef, prefix: string): RefSource {
  return {
    __typename: 'Ref',
    fullName: found.name,
    name: found.name.slice(prefix.length),
    prefix,
    sha: found.sha,
    type: found.type,
  };
}

/** `Repository.refs`: refs under `refPrefix` (names relative to it), filtered, ordered and paginated. */
function listRefs(state: EmulatorState, args: GraphqlArguments): ConnectionSource<RefSource> {
  const prefix = String(args.refPrefix);
  const filter = typeof args.query === 'string' ? args.query.toLowerCase() : '';
  const refs = state.git
    .listRefs()
    .filter((found) => found.name.startsWith(prefix) && found.name.length > prefix.length)
    .map((found) => refSource(found, prefix))
    .filter((found) => found.name.toLowerCase().includes(filter));
  const order = args.orderBy as { field?: string; direction?: string } | undefined | null;
  const descending = (order?.direction ?? args.direction) === 'DESC';
  if (order?.field === 'TAG_COMMIT_DATE') {
    const dates = state.git.refCommitDates();
    const dateOf = (found: RefSource) => dates.get(found.fullName) ?? 0;
    refs.sort((a, b) => dateOf(a) - dateOf(b) || compareNames(a, b));
  } else {
    refs.sort(compareNames);
  }
  if (descending) refs.reverse();
  return paginate(refs, args, 'refs');
}

function compareNames(a: RefSource, b: RefSource): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
