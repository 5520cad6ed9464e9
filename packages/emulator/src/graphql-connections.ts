/**
 * GraphQL connections (`nodes`, `edges`, `totalCount`, `pageInfo`) over an in-memory list, paginated like GitHub:
 * `first` or `last` is required, at most 100 per page, cursors are opaque positions.
 */
import type { GraphqlArguments, Resolver } from './graphql-context.js';
import { GraphqlFieldError } from './graphql-errors.js';

/** GitHub's largest `first`/`last`. */
export const MAX_PAGE_SIZE = 100;

/** One page of a list: `items[start..end)`. */
export interface ConnectionSource<T> {
  /** Every item of the connection, in its order (the page is a window on it). */
  items: readonly T[];
  /** Index (in `items`) of the first node of the page. */
  start: number;
  /** Index after the last node of the page. */
  end: number;
}

/** An edge: a node and its position in the connection. */
export interface EdgeSource<T> {
  node: T;
  index: number;
}

/**
 * Applies `first`/`after`/`last`/`before` to `items` like GitHub, which insists on `first` or `last`; `connection`
 * is the field's name, used in error messages (`` the `deployments` connection ``).
 */
export function paginate<T>(
  items: readonly T[],
  args: GraphqlArguments,
  connection: string,
): ConnectionSource<T> {
  const first = pageSize(args, 'first', connection);
  const last = pageSize(args, 'last', connection);
  if (first === undefined && last === undefined) {
    throw new GraphqlFieldError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`,
    );
  }
  let start = args.after == null ? 0 : cursorIndex(args.after) + 1;
  let end = args.before == null ? items.length : Math.min(items.length, cursorIndex(args.before));
  start = Math.min(start, items.length);
  end = Math.max(start, end);
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  return { items, start, end };
}

/** The fields every `...Connection` type shares (`RefConnection`, `DeploymentConnection`, ...). */
export const connectionFields: Record<string, Resolver<ConnectionSource<unknown>>> = {
  nodes: (source) => source.items.slice(source.start, source.end),
  edges: (source) => edgesOf(source),
  totalCount: (source) => source.items.length,
  pageInfo: (source) => source,
};

/** The fields every `...Edge` type shares. */
export const edgeFields: Record<string, Resolver<EdgeSource<unknown>>> = {
  cursor: (source) => cursorOf(source.index),
  node: (source) => source.node,
};

/** `PageInfo` of any connection. */
export const pageInfoFields: Record<string, Resolver<ConnectionSource<unknown>>> = {
  hasNextPage: (source) => source.end < source.items.length,
  hasPreviousPage: (source) => source.start > 0,
  startCursor: (source) => (source.end > source.start ? cursorOf(source.start) : null),
  endCursor: (source) => (source.end > source.start ? cursorOf(source.end - 1) : null),
};

function pageSize(args: GraphqlArguments, name: 'first' | 'last', connection: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const size = Number(value);
  if (size < 0) {
    throw new GraphqlFieldError(
      'UNPROCESSABLE',
      `\`${name}\` on the \`${connection}\` connection cannot be less than 0.`,
    );
  }
  if (size > MAX_PAGE_SIZE) {
    throw new GraphqlFieldError(
      'EXCESSIVE_PAGINATION',
      `Requesting ${size} records on the \`${connection}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE_SIZE} records.`,
    );
  }
  return size;
}

function edgesOf(source: ConnectionSource<unknown>): Array<EdgeSource<unknown>> {
  return source.items.slice(source.start, source.end).map((node, offset) => ({
    node,
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
