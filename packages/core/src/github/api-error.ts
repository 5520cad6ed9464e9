import { PermissionError, TransientError, UserError } from '../errors.js';
import { requiredPermission } from './permissions.js';

/** The parts of an Octokit `RequestError` this module reads. */
interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    'request' in error
  );
}

function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return error.message;
}

/** A GraphQL answer refusing the token (HTTP 200 with errors of type FORBIDDEN). */
function isForbiddenGraphqlError(
  error: unknown,
): error is { errors: Array<{ type?: string; message: string }> } {
  if (typeof error !== 'object' || error === null || !Array.isArray((error as { errors?: unknown }).errors)) {
    return false;
  }
  return (error as { errors: Array<{ type?: unknown; message?: unknown }> }).errors.some(
    (entry) =>
      entry.type === 'FORBIDDEN' ||
      (typeof entry.message === 'string' && /not accessible by integration/i.test(entry.message)),
  );
}

/** The request line of an error, with the API host removed: `POST /repos/o/r/deployments`. */
function requestLine(error: RequestErrorLike): { method: string; path: string } {
  const method = (error.request?.method ?? 'GET').toUpperCase();
  let path = error.request?.url ?? '';
  try {
    path = new URL(path).pathname;
  } catch {
    // already a path
  }
  return { method, path };
}

/** Where the error happened: the repository and token in use, to name in messages. */
export interface ApiErrorContext {
  owner: string;
  repo: string;
  /** Requests made so far including retries, if known. */
  attempts?: number;
}

/**
 * Turns an error thrown by the GitHub client (after its retries) into one that tells the user what to do.
 * Errors that are not HTTP errors are returned unchanged.
 */
export function toActionableError(error: unknown, context: ApiErrorContext): unknown {
  if (isForbiddenGraphqlError(error)) {
    return new PermissionError(
      `The token may not read or change the tags, files or deployments of ${context.owner}/${context.repo}: ` +
        `GitHub's GraphQL API answered "${error.errors.map((entry) => entry.message).join('; ')}". ` +
        `Give the job the permissions 'contents: write' and 'deployments: write' ` +
        `(the status action needs only 'contents: read' and 'deployments: read').`,
      {
        hint: 'Add to the workflow or job:\n  permissions:\n    contents: write\n    deployments: write',
        cause: error,
      },
    );
  }
  if (!isRequestError(error) || error instanceof UserError || error instanceof TransientError) return error;
  const { method, path } = requestLine(error);
  const where = `${method} ${path}`;
  const message = githubMessage(error);
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
    const permission = requiredPermission(method, path) ?? 'the permission for this route';
    return new PermissionError(
      `The token may not ${method === 'GET' ? 'read' : 'write'} ${path} in ${repository}: GitHub answered 403 "${message}". ` +
        `Give the job the permission '${permission}'.`,
      { hint: `Add to the workflow or job:\n  permissions:\n    ${permission.split(' (')[0]}`, cause: error },
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
  if (error.status >= 500) {
    const tries = context.attempts ? ` after ${context.attempts} attempts` : ' after retries';
    return new TransientError(
      `GitHub answered ${error.status} to ${where}${tries} (${message}). GitHub may be having trouble; ` +
        `re-run the job to complete the step.`,
      { cause: error },
    );
  }
  return new Error(`GitHub refused ${where} with ${error.status}: ${message}`, { cause: error });
}
