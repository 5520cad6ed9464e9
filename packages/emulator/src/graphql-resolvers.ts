/**
 * The GraphQL fields the emulator serves, by type (`Repository.ref`, `Mutation.updateRefs`, ...), read from the
 * backing git repository. Any other field of GitHub's schema is refused, before execution, by
 * {@link unservedFields}, and at execution by {@link resolveField}.
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
import type { GitCommit, GitIdentity, GitRef, GitTag } from './git-repository.js';
import { GraphqlFieldError } from './graphql-errors.js';
import { applyRefUpdates, type RefUpdateInput } from './graphql-update-refs.js';
import { legacyNodeId } from './node-ids.js';
import type { EmulatorState } from './route-handler.js';
import { REPOSITORY_NODE_ID } from './routes/repository.js';

/** What every resolver of one request shares. */
export interface GraphqlContext {
  state: EmulatorState;
  /** Commits and tags read during this request, by sha. */
  commits: Map<string, GitCommit | undefined>;
  tags: Map<string, GitTag | undefined>;
}

/** Creates the context of one request. */
export function createGraphqlContext(state: EmulatorState): GraphqlContext {
  return { state, commits: new Map(), tags: new Map() };
}

/** A field the emulator does not serve, with where the document asks for it. */
export interface UnservedField {
  /** `Type.field`, e.g. `Repository.description`. */
  coordinate: string;
  locations: SourceLocation[];
}

interface RepositorySource {
  __typename: 'Repository';
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

interface GitObjectSource {
  __typename: 'Commit' | 'Tag' | 'Tree' | 'Blob';
  oid: string;
}

interface RefConnectionSource {
  refs: RefSource[];
  /** Index (in `refs`) of the first node of the page. */
  start: number;
  end: number;
}

interface RefEdgeSource {
  ref: RefSource;
  index: number;
}

type Arguments = Record<string, unknown>;
type Resolver<S> = (source: S, args: Arguments, context: GraphqlContext) => unknown;
/** Resolvers by field name; `never` lets each table keep its own source type. */
type FieldTable = Record<string, Resolver<never>>;

const MAX_PAGE_SIZE = 100;
const GIT_TYPES: Record<string, GitObjectSource['__typename']> = {
  commit: 'Commit',
  tag: 'Tag',
  tree: 'Tree',
  blob: 'Blob',
};
/** Root types are never the value of a field (GitHub's `Query` implements `Node`). */
const ROOT_TYPES = new Set(['Query', 'Mutation']);
const REPOSITORY: RepositorySource = { __typename: 'Repository' };

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
    applyRefUpdates(state.git, state.repository.fullName, input.refUpdates);
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
};

const ref: Record<string, Resolver<RefSource>> = {
  id: (source) => legacyNodeId('Ref', source.fullName),
  name: (source) => source.name,
  prefix: (source) => source.prefix,
  target: (source) => gitObject(source.sha, source.type),
  repository: () => REPOSITORY,
};

const refConnection: Record<string, Resolver<RefConnectionSource>> = {
  nodes: (source) => source.refs.slice(source.start, source.end),
  edges: (source) => edgesOf(source),
  totalCount: (source) => source.refs.length,
  pageInfo: (source) => source,
};

const refEdge: Record<string, Resolver<RefEdgeSource>> = {
  cursor: (source) => cursorOf(source.index),
  node: (source) => source.ref,
};

const pageInfo: Record<string, Resolver<RefConnectionSource>> = {
  hasNextPage: (source) => source.end < source.refs.length,
  hasPreviousPage: (source) => source.start > 0,
  startCursor: (source) => (source.end > source.start ? cursorOf(source.start) : null),
  endCursor: (source) => (source.end > source.start ? cursorOf(source.end - 1) : null),
};

const gitObjectFields: Record<string, Resolver<GitObjectSource>> = {
  id: (source) => legacyNodeId(source.__typename, source.oid),
  oid: (source) => source.oid,
  abbreviatedOid: (source) => source.oid.slice(0, 7),
  repository: () => REPOSITORY,
};

const commit: Record<string, Resolver<GitObjectSource>> = {
  ...gitObjectFields,
  message: (source, _args, context) => readCommit(context, source.oid).message,
  messageHeadline: (source, _args, context) => readCommit(context, source.oid).message.split('\n')[0] ?? '',
  messageBody: (source, _args, context) =>
    readCommit(context, source.oid).message.split('\n').slice(1).join('\n').trim(),
  authoredDate: (source, _args, context) => readCommit(context, source.oid).author.date,
  committedDate: (source, _args, context) => readCommit(context, source.oid).committer.date,
  author: (source, _args, context) => readCommit(context, source.oid).author,
  committer: (source, _args, context) => readCommit(context, source.oid).committer,
  url: (source, _args, { state }) => state.repository.htmlUrl(`commit/${source.oid}`),
  commitUrl: (source, _args, { state }) => state.repository.htmlUrl(`commit/${source.oid}`),
};

const tag: Record<string, Resolver<GitObjectSource>> = {
  ...gitObjectFields,
  name: (source, _args, context) => readTag(context, source.oid).tag,
  message: (source, _args, context) => readTag(context, source.oid).message,
  tagger: (source, _args, context) => readTag(context, source.oid).tagger,
  target: (source, _args, context) => {
    const { object } = readTag(context, source.oid);
    return gitObject(object.sha, object.type);
  },
};

const gitActor: Record<string, Resolver<GitIdentity>> = {
  name: (source) => source.name,
  email: (source) => source.email,
  date: (source) => source.date,
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
  RefConnection: refConnection,
  RefEdge: refEdge,
  PageInfo: pageInfo,
  Commit: commit,
  Tag: tag,
  Tree: gitObjectFields,
  Blob: gitObjectFields,
  GitActor: gitActor,
  UpdateRefsPayload: updateRefsPayload,
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
function listRefs(state: EmulatorState, args: Arguments): RefConnectionSource {
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
  return paginate(refs, args);
}

function compareNames(a: RefSource, b: RefSource): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Applies `first`/`after`/`last`/`before` like GitHub, which insists on `first` or `last`. */
function paginate(refs: RefSource[], args: Arguments): RefConnectionSource {
  const first = pageSize(args, 'first');
  const last = pageSize(args, 'last');
  if (first === undefined && last === undefined) {
    throw new GraphqlFieldError(
      'MISSING_PAGINATION_BOUNDARIES',
      'You must provide a `first` or `last` value to properly paginate the `refs` connection.',
    );
  }
  let start = args.after == null ? 0 : cursorIndex(args.after) + 1;
  let end = args.before == null ? refs.length : Math.min(refs.length, cursorIndex(args.before));
  start = Math.min(start, refs.length);
  end = Math.max(start, end);
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  return { refs, start, end };
}

function pageSize(args: Arguments, name: 'first' | 'last'): number | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const size = Number(value);
  if (size < 0) {
    throw new GraphqlFieldError(
      'UNPROCESSABLE',
      `\`${name}\` on the \`refs\` connection cannot be less than 0.`,
    );
  }
  if (size > MAX_PAGE_SIZE) {
    throw new GraphqlFieldError(
      'EXCESSIVE_PAGINATION',
      `Requesting ${size} records on the \`refs\` connection exceeds the \`${name}\` limit of ${MAX_PAGE_SIZE} records.`,
    );
  }
  return size;
}

function edgesOf(source: RefConnectionSource): RefEdgeSource[] {
  return source.refs.slice(source.start, source.end).map((found, offset) => ({
    ref: found,
    index: source.start + offset,
  }));
}

/** Opaque cursors: base64url of the 1-based position, like GitHub's short cursors (`MQ`). */
function cursorOf(index: number): string {
  return Buffer.from(String(index + 1)).toString('base64url');
}

function cursorIndex(cursor: unknown): number {
  const position = Number(Buffer.from(String(cursor), 'base64url').toString('utf8'));
  if (!Number.isInteger(position) || position < 1) {
    throw new GraphqlFieldError(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${String(cursor)}\` does not appear to be a valid cursor.`,
    );
  }
  return position - 1;
}

function gitObject(sha: string, type: string): GitObjectSource | null {
  const typename = GIT_TYPES[type];
  return typename ? { __typename: typename, oid: sha } : null;
}

function readCommit(context: GraphqlContext, sha: string): GitCommit {
  if (!context.commits.has(sha)) context.commits.set(sha, context.state.git.readCommit(sha));
  const found = context.commits.get(sha);
  if (!found)
    throw new GraphqlFieldError('NOT_FOUND', `Could not resolve to a Commit with the oid '${sha}'.`);
  return found;
}

function readTag(context: GraphqlContext, sha: string): GitTag {
  if (!context.tags.has(sha)) context.tags.set(sha, context.state.git.readTag(sha));
  const found = context.tags.get(sha);
  if (!found) throw new GraphqlFieldError('NOT_FOUND', `Could not resolve to a Tag with the oid '${sha}'.`);
  return found;
}
