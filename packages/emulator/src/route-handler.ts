/** The contract between the server and the route modules. */
import type { GitRepository } from './git-repository.js';
import { paginate } from './pagination.js';
import type { RefWriteRules } from './ref-write-rules.js';
import type { RepositoryContext } from './repository-context.js';
import type { RouteDefinition, RouteParameters } from './router.js';
import type { Store } from './store.js';
import type { ValidationProblem } from './types.js';
import type { UserDirectory } from './users.js';

/** A request as a route handler sees it. */
export interface HandlerRequest {
  method: string;
  /** The full request URL (based on the emulator's own address), query included. */
  url: URL;
  parameters: RouteParameters;
  /** Query parameters (the last value wins when one is repeated). */
  query: Record<string, string>;
  /** The parsed JSON body; `undefined` when there was none. */
  body: unknown;
  /** The `accept` header, lower-cased ('' when absent). */
  accept: string;
}

/** What a handler answers. */
export interface HandlerReply {
  status: number;
  /** A JSON body (validated against the OpenAPI description). */
  body?: unknown;
  /** A non-JSON body (not validated), sent with `contentType`. */
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Problems the handler found in the request (recorded in `problems`; never sent). */
  problems?: HandlerProblem[];
}

/** A problem a handler reports about the request it answered. */
export interface HandlerProblem {
  kind: ValidationProblem['kind'];
  messages: string[];
}

/** Everything a handler may read or change. */
export interface EmulatorState {
  repository: RepositoryContext;
  store: Store;
  git: GitRepository;
  users: UserDirectory;
  /** GitHub's rules on ref writes the emulator reproduces (from its options). */
  refWriteRules: RefWriteRules;
  /**
   * The token of the request being handled (the `Authorization` credential without its scheme); `undefined`
   * outside a request, e.g. when seeding. The server hands each handler a copy of the state with it set.
   */
  callerToken?: string;
}

/** A route handler. Handlers signal GitHub errors by throwing `GitHubApiError`. */
export type RouteHandler = (
  request: HandlerRequest,
  state: EmulatorState,
) => HandlerReply | Promise<HandlerReply>;

/** A route served by the emulator. */
export type EmulatorRoute = RouteDefinition<RouteHandler>;

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string>): HandlerReply {
  return headers ? { status, body, headers } : { status, body };
}

/** A `200` reply with the requested page of `items`, each shown by `show`, and GitHub's `Link` header. */
export function pagedJson<T>(request: HandlerRequest, items: T[], show: (item: T) => unknown): HandlerReply {
  const page = paginate(items, request.url, request.query);
  return json(200, page.items.map(show), page.link ? { link: page.link } : undefined);
}

/** A reply without a body (`204 No Content`). */
export function noContent(): HandlerReply {
  return { status: 204 };
}
