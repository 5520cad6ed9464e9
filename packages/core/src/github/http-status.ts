/** Whether `error` is an HTTP error from the GitHub client with one of `statuses` (e.g. 404 for "absent"). */
export function hasHttpStatus(error: unknown, ...statuses: number[]): boolean {
  const status =
    typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && statuses.includes(status);
}

/**
 * Whether a write failed in a way that leaves unknown whether GitHub applied it: a server error, a dropped
 * connection or a timeout (the client reports those as 5xx). Rate limits and refusals happen before any change.
 */
export function isLostAnswer(error: unknown): boolean {
  const status =
    typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status !== 'number' || status >= 500;
}

/**
 * Whether an HTTP error is GitHub's rate limit rather than a refusal: a 429, or a 403 with the primary limit
 * spent (`x-ratelimit-remaining: 0`), a `retry-after` header or a message about a rate limit. The client has
 * already waited and retried when one reaches the caller.
 */
export function isRateLimitAnswer(error: unknown): boolean {
  if (hasHttpStatus(error, 429)) return true;
  if (!hasHttpStatus(error, 403)) return false;
  const response = (error as { response?: { headers?: Record<string, unknown>; data?: unknown } }).response;
  const headers = response?.headers ?? {};
  if (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined) return true;
  const data = response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : String((error as Error).message ?? '');
  return /rate limit/i.test(message);
}
