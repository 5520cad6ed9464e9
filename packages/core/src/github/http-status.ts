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
