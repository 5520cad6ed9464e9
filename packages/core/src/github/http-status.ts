/** Whether `error` is an HTTP error from the GitHub client with one of `statuses` (e.g. 404 for "absent"). */
export function hasHttpStatus(error: unknown, ...statuses: number[]): boolean {
  const status =
    typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && statuses.includes(status);
}
