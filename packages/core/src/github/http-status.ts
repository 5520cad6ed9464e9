/**
 * GitHub's error answers, told apart by Octokit's own error class: a `RequestError` is an HTTP error answer, or no
 * answer at all (a dropped connection, or the client's per-attempt timeout, which Octokit reports as a
 * `RequestError` without a response). An error of any other class did not come from GitHub: it is a bug of the
 * suite, and nothing here takes it for a lost answer or a refusal.
 */
import { RequestError } from '@octokit/request-error';

/** Whether `error` is GitHub's HTTP error answer with one of `statuses` (e.g. 404 for "absent"). */
export function hasHttpStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof RequestError && statuses.includes(error.status);
}

/**
 * Whether a request failed in a way that leaves unknown whether GitHub applied it: a server error (5xx), or no
 * answer at all (a dropped connection or a timeout, which come without a response). Rate limits and refusals are
 * answers GitHub gives before changing anything.
 */
export function isLostAnswer(error: unknown): boolean {
  return error instanceof RequestError && (error.response === undefined || error.status >= 500);
}

/**
 * Whether an HTTP error is GitHub's rate limit rather than a refusal: a 429, or a 403 with the primary limit
 * spent (`x-ratelimit-remaining: 0`), a `retry-after` header or a message about a rate limit. The client has
 * already waited and retried when one reaches the caller.
 */
export function isRateLimitAnswer(error: unknown): boolean {
  if (!(error instanceof RequestError) || (error.status !== 403 && error.status !== 429)) return false;
  if (error.status === 429) return true;
  const headers = error.response?.headers ?? {};
  if (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined) return true;
  const data = error.response?.data as { message?: unknown } | undefined;
  return /rate limit/i.test(typeof data?.message === 'string' ? data.message : error.message);
}

/** The request line of an error, with the API host removed: `POST /repos/o/r/deployments`. */
export function requestLine(error: RequestError): { method: string; path: string } {
  let path = error.request.url;
  try {
    path = new URL(path).pathname;
  } catch {
    // already a path
  }
  return { method: error.request.method.toUpperCase(), path };
}
