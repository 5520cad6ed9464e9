/**
 * Git objects in GraphQL: `Commit`, `Tag`, `Tree`, `Blob` (the `GitObject` interface), `GitActor`, and
 * `Repository.object(oid | expression)`, read from the backing git repository.
 */
import { userOf } from './graphql-actors.js';
import { isSafeRevision, type GitCommit, type GitIdentity, type GitTag } from './git-repository.js';
import { REPOSITORY, type GraphqlArguments, type GraphqlContext, type Resolver } from './graphql-context.js';
import { GraphqlFieldError } from './graphql-errors.js';
import { legacyNodeId } from './node-ids.js';

/** The value of a `GitObject` field: its GraphQL type and full object id. */
export interface GitObjectSource {
  __typename: 'Commit' | 'Tag' | 'Tree' | 'Blob';
  oid: string;
}

const GIT_TYPES: Record<string, GitObjectSource['__typename']> = {
  commit: 'Commit',
  tag: 'Tag',
  tree: 'Tree',
  blob: 'Blob',
};

/** Git looks this far into a file for a NUL byte to call it binary. */
const BINARY_PROBE_BYTES = 8000;

/** The source of an object of git type `type` (`commit`, `tag`, `tree`, `blob`); `null` for other types. */
export function gitObject(sha: string, type: string): GitObjectSource | null {
  const typename = GIT_TYPES[type];
  return typename ? { __typename: typename, oid: sha } : null;
}

/**
 * `Repository.object`: by `oid` (a full object id), or by `expression`: a revision (`<sha>`, branch, tag:
 * annotated tags give the `Tag`) or `<revision>:<path>` (the blob or tree at that path). `null` when nothing
 * matches.
 */
export function resolveObject({ state }: GraphqlContext, args: GraphqlArguments): GitObjectSource | null {
  const { git } = state;
  if (typeof args.oid === 'string') {
    const oid = args.oid.toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(oid)) return null;
    const type = git.objectType(oid);
    return type ? gitObject(oid, type) : null;
  }
  if (typeof args.expression !== 'string') return null;
  const expression = args.expression;
  const separator = expression.indexOf(':');
  const revision = separator === -1 ? expression : expression.slice(0, separator);
  if (!isSafeRevision(revision)) return null;
  const path = separator === -1 ? undefined : expression.slice(separator + 1);
  if (path !== undefined && (path.includes('\x00') || path.startsWith('/'))) return null;
  const spec = path === undefined ? `${revision}^{object}` : `${revision}:${path}`;
  const sha = git.resolveObject(revision, spec);
  if (!sha) return null;
  const type = git.objectType(sha);
  return type ? gitObject(sha, type) : null;
}

/** The commit `sha` (cached for the request); a `NOT_FOUND` field error when it is not a commit. */
export function readCommit(context: GraphqlContext, sha: string): GitCommit {
  if (!context.commits.has(sha)) context.commits.set(sha, context.state.git.readCommit(sha));
  const found = context.commits.get(sha);
  if (!found)
    throw new GraphqlFieldError('NOT_FOUND', `Could not resolve to a Commit with the oid '${sha}'.`);
  return found;
}

/** Fields every git object serves. */
export const gitObjectFields: Record<string, Resolver<GitObjectSource>> = {
  id: (source) => legacyNodeId(source.__typename, source.oid),
  oid: (source) => source.oid,
  abbreviatedOid: (source) => source.oid.slice(0, 7),
  repository: () => REPOSITORY,
};

/** `Commit` (without `deployments`, served with the deployments). */
export const commitFields: Record<string, Resolver<GitObjectSource>> = {
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

/** `Tag`: an annotated tag object. */
export const tagFields: Record<string, Resolver<GitObjectSource>> = {
  ...gitObjectFields,
  name: (source, _args, context) => readTag(context, source.oid).tag,
  message: (source, _args, context) => readTag(context, source.oid).message,
  tagger: (source, _args, context) => readTag(context, source.oid).tagger,
  target: (source, _args, context) => {
    const { object } = readTag(context, source.oid);
    return gitObject(object.sha, object.type);
  },
};

/** `Tree`. */
export const treeFields: Record<string, Resolver<GitObjectSource>> = { ...gitObjectFields };

/** `Blob`: a file's content; `text` is `null` for binary content (a NUL byte, as git decides). */
export const blobFields: Record<string, Resolver<GitObjectSource>> = {
  ...gitObjectFields,
  byteSize: (source, _args, context) => readBlob(context, source.oid).length,
  isBinary: (source, _args, context) => isBinary(readBlob(context, source.oid)),
  isTruncated: () => false,
  text: (source, _args, context) => {
    const content = readBlob(context, source.oid);
    return isBinary(content) ? null : content.toString('utf8');
  },
};

/** `GitActor`: the author, committer or tagger of a git object. */
export const gitActorFields: Record<string, Resolver<GitIdentity>> = {
  name: (source) => source.name,
  email: (source) => source.email,
  date: (source) => source.date,
  // The GitHub user whose email the identity carries, as REST's `author` of a commit (known from `seed.user`).
  user: (source, _args, { state }) => {
    const user = state.users.findByEmail(source.email);
    return user ? userOf(state, user.login) : null;
  },
};

function readTag(context: GraphqlContext, sha: string): GitTag {
  if (!context.tags.has(sha)) context.tags.set(sha, context.state.git.readTag(sha));
  const found = context.tags.get(sha);
  if (!found) throw new GraphqlFieldError('NOT_FOUND', `Could not resolve to a Tag with the oid '${sha}'.`);
  return found;
}

function readBlob(context: GraphqlContext, sha: string): Buffer {
  let content = context.blobs.get(sha);
  if (!content) {
    content = context.state.git.readBlob(sha);
    context.blobs.set(sha, content);
  }
  return content;
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE_BYTES).includes(0);
}
