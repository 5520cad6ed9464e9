/**
 * One attempt of an HTTP check: a GET of the URL, then its status, body and answer time compared with the
 * check's expectations. Redirects are followed (to http and https only) and the final answer is judged.
 */
import { systemClock, type Clock } from '../clock.js';
import type { HttpCheckSpec } from './check-spec.js';

/** The body is read up to this many bytes; expectations on the body see only this much. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The outcome of one attempt of a check. */
export interface CheckAttempt {
  passed: boolean;
  /** The final HTTP status, when an answer arrived. */
  status?: number;
  /** How long the attempt took, in whole milliseconds. */
  latencyMs: number;
  /** What failed (e.g. "expected status 200, got 503"), or what was seen when it passed. */
  message: string;
}

/** What an HTTP check attempt depends on. */
export interface HttpCheckOptions {
  /** How long the whole attempt (connection, headers and body) may take. */
  timeoutMs: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock latency is measured with (read at the start and once the answer is in). Default: `systemClock`. */
  clock?: Clock;
}

/** Runs one attempt of an HTTP check. Never throws: a failure to connect is a failed attempt. */
export async function runHttpCheck(check: HttpCheckSpec, options: HttpCheckOptions): Promise<CheckAttempt> {
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const elapsed = () => Math.max(0, Math.round(clock.now() - started));
  if (!/^https?:\/\//i.test(check.url)) {
    return { passed: false, latencyMs: 0, message: 'not an http or https URL' };
  }

  let response: Response;
  let body: { text: string; truncated: boolean };
  try {
    response = await fetchFunction(check.url, {
      method: 'GET',
      redirect: 'follow',
      headers: { accept: '*/*', 'user-agent': 'release-promotion-verify' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await readLimitedBody(response);
  } catch (error) {
    return { passed: false, latencyMs: elapsed(), message: describeFetchError(error, options.timeoutMs) };
  }
  const latencyMs = elapsed();
  const status = response.status;

  if (response.url && !/^https?:/i.test(response.url)) {
    return { passed: false, status, latencyMs, message: 'redirected to a URL that is not http or https' };
  }

  const problems: string[] = [];
  const expected = check.status;
  if (expected ? !expected.includes(status) : status < 200 || status > 299) {
    const wanted = expected ? `status ${expected.join(' or ')}` : 'a 2xx status';
    problems.push(`expected ${wanted}, got ${status}`);
  }
  const limitNote = body.truncated ? ` (first ${MAX_BODY_BYTES / (1024 * 1024)} MB read)` : '';
  if (check.bodyContains !== undefined && !body.text.includes(check.bodyContains)) {
    problems.push(`body does not contain '${shorten(check.bodyContains)}'${limitNote}`);
  }
  if (check.bodyMatches !== undefined && !new RegExp(check.bodyMatches).test(body.text)) {
    problems.push(`body does not match /${shorten(check.bodyMatches)}/${limitNote}`);
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    problems.push(`answered in ${latencyMs} ms, over the ${check.maxLatencyMs} ms limit`);
  }
  if (problems.length > 0) return { passed: false, status, latencyMs, message: problems.join('; ') };
  return { passed: true, status, latencyMs, message: `status ${status} in ${latencyMs} ms` };
}

/**
 * Reads at most {@link MAX_BODY_BYTES} of the body as UTF-8, then drops the rest of the stream. Shared with the
 * Prometheus check.
 */
export async function readLimitedBody(response: Response): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = MAX_BODY_BYTES - bytes;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room), { stream: true });
        truncated = true;
        break;
      }
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return { text: text + decoder.decode(), truncated };
}

/**
 * A short reason a request failed, in the words a person reading the report expects (the Prometheus check
 * reports its failures to connect the same way).
 */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (isAbortError(error)) return `timed out after ${formatDuration(timeoutMs)}`;
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found (DNS lookup failed)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
  }
  // Duck-typed: fetch's errors may come from another realm (a test VM), where instanceof Error fails.
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  if (cause && /scheme must be a? ?HTTP/i.test(cause)) return 'redirected to a URL that is not http or https';
  if (cause === 'bad port') return 'request failed: fetch refuses to connect to this port (a "bad port")';
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS error: ${cause ?? code}`;
  return `request failed: ${shorten(cause ?? messageOf(error) ?? String(error), 200)}`;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function isAbortError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const name = typeof current === 'object' ? (current as { name?: unknown }).name : undefined;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The system error code (ECONNREFUSED...) of an error or of its causes (fetch wraps them, sometimes in groups). */
function errorCode(error: unknown): string | undefined {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 10; seen++) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    queue.push((current as { cause?: unknown }).cause);
    const group = (current as { errors?: unknown }).errors;
    if (Array.isArray(group)) queue.push(...group);
  }
  return undefined;
}

/** `10 s`, `1.5 s` or `200 ms`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function shorten(value: string, length = 60): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}
