import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { PermissionError, RefWriteRefusedError, TransientError, UserError } from '../errors.js';
import {
  isSuiteActionName,
  permissionsHint,
  quotedPermissions,
  type SuiteActionName,
} from './action-permissions.js';
import { requiredPermission } from './permissions.js';
import { isLostAnswer, requestLine } from './http-status.js';
import { appTokenHint, githubMessageOf, isGraphqlRateLimit } from './ref-write-refusal.js';

/** A GraphQL answer refusing the token (HTTP 200 with errors of type FORBIDDEN). */
function isForbiddenGraphqlError(error: unknown): error is GraphqlResponseError<unknown> {
  return (
    error instanceof GraphqlResponseError &&
    (error.errors ?? []).some(
      (entry) =>
        entry.type === 'FORBIDDEN' ||
        (typeof entry.message === 'string' && /not accessible by integration/i.test(entry.message)),
    )
  );
}

/** Where the error happened: the repository and token in use, to name in messages. */
export interface ApiErrorContext {
  owner: string;
  repo: string;
  /** Requests made so far including retries, if known. */
  attempts?: number;
  /**
   * The action that made the request (`status`), if known: a permission error then names that action's own
   * `permissions:` (from `action-permissions.ts`) instead of those of the whole suite.
   */
  action?: string;
}

/** The action of `context` when it is one of the suite's. */
function actionOf(context: ApiErrorContext): SuiteActionName | undefined {
  return context.action !== undefined && isSuiteActionName(context.action) ? context.action : undefined;
}

/** What a permission error says the job needs, and the `permissions:` YAML to add. */
function permissionAdvice(
  context: ApiErrorContext,
  routePermission: string | undefined,
): { advice: string; hint: string } {
  const action = actionOf(context);
  const route = routePermission ? `This request needs '${routePermission}'. ` : '';
  if (action) {
    return {
      advice: `${route}Give the job the permissions the ${action} action needs: ${quotedPermissions(action)}.`,
      hint: permissionsHint(action),
    };
  }
  if (routePermission) {
    return {
      advice: `Give the job the permission '${routePermission}'.`,
      hint: `Add to the workflow or job:\n  permissions:\n    ${routePermission.split(' (')[0]}`,
    };
  }
  return {
    advice:
      `Give the job the permissions 'contents: write' and 'deployments: write' ` +
      `(the status action needs only 'contents: read' and 'deployments: read').`,
    hint: 'Add to the workflow or job:\n  permissions:\n    contents: write\n    deployments: write',
  };
}

/** A refused ref write whose advice names the action's own permissions, when the action is known. */
function withActionAdvice(error: RefWriteRefusedError, context: ApiErrorContext): RefWriteRefusedError {
  const action = actionOf(context);
  if (!action || (error.reason !== 'permission' && error.reason !== 'workflows-permission')) return error;
  const hint = error.reason === 'permission' ? permissionsHint(action) : appTokenHint(action);
  const fix =
    error.reason === 'permission'
      ? `${error.fix} The ${action} action needs ${quotedPermissions(action)}.`
      : error.fix;
  return new RefWriteRefusedError(error.ref, error.githubMessage, fix, error.reason, {
    hint,
    cause: error.cause,
  });
}

/** A plain {@link UserError} whose cause is a refused ref write. */
function isWrappedRefusal(error: unknown): error is UserError & { cause: RefWriteRefusedError } {
  return (
    error instanceof UserError &&
    error.constructor === UserError &&
    error.cause instanceof RefWriteRefusedError
  );
}

/**
 * Turns an error thrown by the GitHub client (after its retries) into one that tells the user what to do.
 * Errors that are not HTTP errors are returned unchanged.
 */
export function toActionableError(error: unknown, context: ApiErrorContext): unknown {
  if (error instanceof RefWriteRefusedError) return withActionAdvice(error, context);
  if (isWrappedRefusal(error)) {
    // A use-case's own account of a refused tag write (e.g. rollback's "redeployed, tag not moved"): its hint
    // names the action's permissions as the refusal's would.
    const advised = withActionAdvice(error.cause, context);
    return advised === error.cause
      ? error
      : new UserError(error.message, { hint: advised.hint, cause: advised });
  }
  if (isGraphqlRateLimit(error)) {
    return new TransientError(
      `GitHub's GraphQL rate limit stopped the request ("${githubMessageOf(error)}"). Re-run the job once the ` +
        `limit resets (within the hour); it completes what this run left half done.`,
      { cause: error },
    );
  }
  if (isForbiddenGraphqlError(error)) {
    const { advice, hint } = permissionAdvice(context, undefined);
    return new PermissionError(
      `The token may not read or change the tags, files or deployments of ${context.owner}/${context.repo}: ` +
        `GitHub's GraphQL API answered "${githubMessageOf(error)}". ${advice}`,
      { hint, cause: error },
    );
  }
  // Anything else that is not GitHub's HTTP answer (a bug, an error of the suite's own) is left as it is.
  if (!(error instanceof RequestError)) return error;
  return fromHttpError(error, context);
}

/** {@link toActionableError} for an HTTP error answer. */
function fromHttpError(error: RequestError, context: ApiErrorContext): unknown {
  const { method, path } = requestLine(error);
  const where = `${method} ${path}`;
  const message = githubMessageOf(error);
  const repository = `${context.owner}/${context.repo}`;
  const headers = error.response?.headers ?? {};

  if (error.status === 401) {
    return new UserError(
      `GitHub rejected the token (${message}) on ${where}. Pass a valid token in the 'token' input; ` +
        `the default \${{ github.token }} works inside a workflow.`,
      { cause: error },
    );
  }
  if (error.status === 403 && /not accessible by integration|must have .* access|permission/i.test(message)) {
    // A GraphQL request's needs depend on its document, not its path: name the action's permissions only.
    const graphql = path === '/graphql' || path.endsWith('/api/graphql');
    const { advice, hint } = permissionAdvice(
      context,
      graphql ? undefined : requiredPermission(method, path),
    );
    return new PermissionError(
      `The token may not ${method === 'GET' ? 'read' : 'write'} ${path} in ${repository}: GitHub answered 403 "${message}". ${advice}`,
      { hint, cause: error },
    );
  }
  if (error.status === 403 || error.status === 429) {
    const reset = headers['x-ratelimit-reset'];
    const when = reset ? ` The limit resets at ${new Date(Number(reset) * 1000).toISOString()}.` : '';
    return new TransientError(
      `GitHub's rate limit stopped ${where} (${error.status} "${message}").${when} Re-run the job once the limit resets; ` +
        `it completes what this run left half done.`,
      { cause: error },
    );
  }
  if (error.status === 404 && /^\/repos\/[^/]+\/[^/]+\/?$/.test(path)) {
    return new UserError(
      `Repository ${repository} was not found with the token given (${where} answered 404). ` +
        `Check the repository name, and that the 'token' input has access to it: a GITHUB_TOKEN only reaches its own repository.`,
      { cause: error },
    );
  }
  if (isLostAnswer(error)) {
    const tries = context.attempts ? ` after ${context.attempts} attempts` : ' after retries';
    // A dropped connection or a timeout comes without an answer: there is no status of GitHub's to quote.
    const answer = error.response
      ? `GitHub answered ${error.status} to ${where}`
      : `GitHub did not answer ${where}`;
    return new TransientError(
      `${answer}${tries} (${message}). GitHub may be having trouble; re-run the job to complete the step.`,
      { cause: error },
    );
  }
  return new Error(`GitHub refused ${where} with ${error.status}: ${message}`, { cause: error });
}
