/**
 * One attempt of a Prometheus check: an instant query (`GET <server>/api/v1/query?query=…`, Prometheus' HTTP
 * API), its answer judged by `prometheus-answer.ts`. Header values may refer to the step's environment variables
 * (`${NAME}`): they are substituted here, handed to `mask` before the request, and never logged.
 */
import { systemClock, type Clock } from '../clock.js';
import type { PrometheusCheckSpec } from './check-spec.js';
import { expandHeaders, type VariableSource } from './header-variables.js';
import { describeFetchError, MAX_BODY_BYTES, readLimitedBody, type CheckAttempt } from './http-check.js';
import { readPrometheusResponse } from './prometheus-answer.js';

export { missingHeaderVariables } from './header-variables.js';

/** The outcome of one attempt of a Prometheus check. */
export interface PrometheusAttempt extends CheckAttempt {
  /** The value the verdict rests on (the worst sample), when the answer had a finite one. */
  value?: number;
  /** How many samples the answer held (NaN ones included), when it held any. */
  samples?: number;
}

/** What a Prometheus check attempt depends on. */
export interface PrometheusCheckOptions {
  /** How long the whole attempt (connection, headers and body) may take. */
  timeoutMs: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock latency is measured with. Default: `systemClock`. */
  clock?: Clock;
  /** Where `${NAME}` in header values is read from. Default: `process.env`. */
  env?: VariableSource;
  /** Receives each substituted header value before the request, to hide it in the log. Default: nothing. */
  mask?: (value: string) => void;
}

/**
 * The address of the instant query `query` on the server `server` (its base URL; a path prefix such as
 * `https://example.com/prometheus` is kept).
 */
export function prometheusQueryUrl(server: string, query: string): string {
  const url = new URL(server);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
  url.search = `?query=${encodeURIComponent(query)}`;
  url.hash = '';
  return url.href;
}

/** Runs one attempt of a Prometheus check. Never throws: a failure to connect is a failed attempt. */
export async function runPrometheusCheck(
  check: PrometheusCheckSpec,
  options: PrometheusCheckOptions,
): Promise<PrometheusAttempt> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const elapsed = () => Math.max(0, Math.round(clock.now() - started));
  if (!/^https?:\/\//i.test(check.server)) {
    return { passed: false, latencyMs: 0, message: 'the server is not an http or https URL' };
  }
  const expanded = expandHeaders(check.headers ?? {}, options.env ?? process.env);
  const refusal = variableProblem(expanded.missing, expanded.unusable);
  if (refusal !== undefined) return { passed: false, latencyMs: 0, message: refusal };
  for (const value of expanded.substituted) options.mask?.(value);

  let status: number;
  let body: { text: string; truncated: boolean };
  try {
    const response = await (options.fetch ?? globalThis.fetch)(
      prometheusQueryUrl(check.server, check.query),
      {
        method: 'GET',
        redirect: 'follow',
        headers: requestHeaders(expanded.headers),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
    );
    status = response.status;
    body = await readLimitedBody(response);
  } catch (error) {
    const message = redact(describeFetchError(error, options.timeoutMs), expanded.substituted);
    return { passed: false, latencyMs: elapsed(), message };
  }
  const latencyMs = elapsed();
  if (body.truncated) {
    const limit = `${MAX_BODY_BYTES / (1024 * 1024)} MB`;
    const message = `the answer is over ${limit}: aggregate the query (e.g. sum by (job) (…)) to get fewer samples`;
    return { passed: false, status, latencyMs, message };
  }
  const reading = readPrometheusResponse({ status, body: body.text }, check);
  return {
    passed: reading.passed,
    status,
    latencyMs,
    message: redact(reading.message, expanded.substituted),
    ...(reading.value !== undefined ? { value: reading.value } : {}),
    ...(reading.samples.length > 0 ? { samples: reading.samples.length } : {}),
  };
}

/** Why the headers cannot be sent: a variable not set, or one holding what no header value may hold. */
function variableProblem(missing: string[], unusable: string[]): string | undefined {
  if (missing.length > 0) {
    const names = missing.join(', ');
    return missing.length === 1
      ? `the header variable ${names} is not set (or empty): set it in the step's env:`
      : `the header variables ${names} are not set (or empty): set them in the step's env:`;
  }
  if (unusable.length > 0) {
    return `the header variable ${unusable.join(', ')} holds a line break, which no header value may hold`;
  }
  return undefined;
}

/** The check's headers over the suite's defaults (a check may give its own `Accept` or `User-Agent`). */
function requestHeaders(headers: Record<string, string>): Headers {
  const result = new Headers({ accept: 'application/json', 'user-agent': 'release-promotion-verify' });
  for (const [name, value] of Object.entries(headers)) result.set(name, value);
  return result;
}

/** `message` with every substituted header value replaced by `***`, should an error have quoted one. */
function redact(message: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => (secret === '' ? text : text.split(secret).join('***')), message);
}
