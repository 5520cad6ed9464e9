/** Public types of the GitHub emulator: options, the request log, fault rules and validation problems. */

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Repository owner served by the emulator. Default `octo-org`. */
  owner?: string;
  /** Repository name served by the emulator. Default `shop`. */
  repo?: string;
  /** Default branch of the backing git repository. Default `main`. */
  defaultBranch?: string;
  /** Where to create the backing git repository. Default: a fresh temporary directory, removed by `close()`. */
  directory?: string;
  /** Validate request bodies, query parameters and responses against GitHub's OpenAPI description. Default `true`. */
  validate?: boolean;
  /**
   * Reproduce GitHub's `workflows` permission rule (default: off). A GitHub App installation token without the
   * `workflows` permission (a `GITHUB_TOKEN` can never have it) may not point a ref at a commit whose
   * `.github/workflows` tree differs from that of every branch head (equal to the tree of any one branch head
   * passes); the branch heads are read before the write. With this option, `POST /git/refs` and
   * `PATCH /git/refs/{ref}` answer such a write 403 "refusing to allow a GitHub App to create or update workflow
   * `.github/workflows/<file>` without `workflows` permission" (the first differing file against the default
   * branch head) with the header `x-accepted-github-permissions: contents=write,workflows=write`, and GraphQL
   * `updateRefs` answers an error of type `FORBIDDEN` with the same message; nothing is written. Deletions are
   * not checked. Requests whose token is listed in `tokensWithWorkflowsPermission` are allowed.
   */
  workflowsRule?: WorkflowsRule;
  /**
   * Tag name patterns (without `refs/tags/`) protected by a repository ruleset restricting creations, updates
   * and deletions, with no bypass (default: none). `*` matches within one `/`-separated segment, `**` across
   * them: `['env/*']` protects every environment tag. A REST write of a matching tag answers 422 "Repository
   * rule violations found\n\nCannot create ref due to creations being restricted.\n\n" (for updates "Cannot
   * update this protected ref.", for deletions "Cannot delete this protected ref."); GraphQL `updateRefs` answers
   * an error of type `UNPROCESSABLE` with the same message. GitHub's GraphQL error type for a ruleset is not
   * documented; `UNPROCESSABLE` is the emulator's choice.
   */
  tagRulesets?: string[];
}

/** The option {@link EmulatorOptions.workflowsRule}. */
export interface WorkflowsRule {
  /**
   * Tokens granted `workflows: write` (e.g. GitHub App installation tokens created with it): the credential of
   * the `Authorization` header, without its `token ` or `Bearer ` scheme.
   */
  tokensWithWorkflowsPermission: string[];
}

/** The states a deployment status can take. */
export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

/** One HTTP request the emulator received, as recorded in {@link Emulator.requests}. Holds no headers. */
export interface RecordedRequest {
  method: string;
  /** The OpenAPI path template (`/repos/{owner}/{repo}/deployments`), `/graphql`, or `UNMATCHED`. */
  route: string;
  /** The request path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The status the client received; `0` when the connection was dropped. */
  status: number;
  /** The parsed JSON body, when there was one. */
  requestBody?: unknown;
  /** For GraphQL requests: `query`, `mutation`, followed by the operation name when there is one. */
  graphqlOperation?: string;
  /** A description of the fault injected into this request, if any. */
  fault?: string;
  /** OpenAPI mismatches found in this request or in the emulator's answer. */
  problems: string[];
}

/**
 * A fault to inject. A rule matches requests by route and counts them; it fires on the `nth` matching request
 * (default: the first) and on the `times - 1` matching requests after it.
 */
export interface FaultRule {
  /** `POST /repos/{owner}/{repo}/deployments` (method and OpenAPI template) or a bare template; omitted = any route. */
  route?: string;
  /** Fault only from the nth matching request on (1-based). Default 1. */
  nth?: number;
  /** How many matching requests to fault. Default 1. */
  times?: number;
  /** Answer this status instead of handling the request. */
  status?: number;
  /** JSON body of the fault answer. Default: GitHub-shaped `{message, documentation_url, status}`. */
  body?: unknown;
  /** Extra response headers, e.g. `{'retry-after': '1'}`. */
  headers?: Record<string, string>;
  /**
   * Delay before answering; without `status` or `drop`, the request is then handled normally — unless the client
   * gave up meanwhile (its timeout), in which case it is dropped unhandled.
   */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Handle the request (state changes) and only then answer with the fault status (default 502) or drop. */
  afterHandling?: boolean;
}

/**
 * An OpenAPI mismatch in a request the emulator received or in a response it sent, a GraphQL request GitHub would
 * refuse (or that asks for fields the emulator does not serve), or a failure of the emulator itself.
 */
export interface ValidationProblem {
  /**
   * What was checked: `request-body`, `query` and `response` against the OpenAPI description; `graphql` a GraphQL
   * request (document, variables, unserved fields) against GitHub's GraphQL schema; `route` a handler failure.
   */
  kind: 'request-body' | 'query' | 'response' | 'route' | 'graphql';
  method: string;
  route: string;
  path: string;
  /** The response status, for `response` problems. */
  status?: number;
  /** Readable descriptions of the mismatches. */
  messages: string[];
}
