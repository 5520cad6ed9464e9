import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import type { Octokit } from '@octokit/core';
import { RequestError } from '@octokit/request-error';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { isRateLimitAnswer } from './http-status.js';
import { SUITE_NAME, SUITE_VERSION } from '../suite.js';

/** The GitHub client every use-case receives. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Options of {@link createGitHubClient}. Every field but `token` is optional; defaults are documented. */
export interface GitHubClientOptions {
  /** A GITHUB_TOKEN, a GitHub App installation token or a personal access token. */
  token: string;
  /** REST API base URL. Default: `GITHUB_API_URL`, else `https://api.github.com`. */
  baseUrl?: string;
  /** Where Octokit's own debug and warning lines go. Default: nowhere. */
  logger?: Logger;
  /** Retries of a request that failed with a 5xx, a dropped connection or a timeout. Default 3. */
  retries?: number;
  /** Retries of a request stopped by a primary or secondary rate limit. Default 2. */
  rateLimitRetries?: number;
  /** Longest wait for one rate-limited request before giving up, in seconds. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** Abort a request GitHub has not answered after this many milliseconds (it is then retried). Default 30000. */
  requestTimeoutMs?: number;
  /**
   * How long one second of a retry wait lasts, in milliseconds: retries after server errors wait 1, 4, 9 such
   * units and rate-limited requests wait `retry-after` of them. Default 1000; tests shorten it.
   */
  retryUnitMs?: number;
  /** The clock rate-limit waits read and sleep on. Default: the system clock. */
  clock?: Clock;
}

/** Default number of retries after a server error. */
export const DEFAULT_RETRIES = 3;
/** Default number of retries after a rate limit. */
export const DEFAULT_RATE_LIMIT_RETRIES = 2;
/** Default longest wait for a rate limit, in seconds. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 60;
/** Default request timeout, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * An Octokit plugin giving every attempt of a request its own deadline. It is registered before the retry
 * plugin, so it runs inside it and each retry gets a fresh deadline. A timed-out attempt is thrown as a
 * `RequestError` with status 500 and no response, the class and shape Octokit gives a dropped connection: the
 * retry plugin retries it, and `isLostAnswer` (`http-status.ts`) knows it for an answer that may have been lost.
 */
function requestTimeout(timeoutMs: number) {
  return (octokit: Octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      // Hooks registered earlier (token auth) are bound to this same options object and ignore arguments,
      // so the deadline is set on the object itself, afresh for every attempt.
      options.request = { ...options.request, signal: deadline };
      try {
        return await request(options);
      } catch (error) {
        if (!deadline.aborted || (error instanceof RequestError && error.response)) throw error;
        // Octokit words an aborted request as the runtime words its abort, sometimes as "Unknown Error", and
        // may rethrow the abort itself: the deadline is named here, in the class every lost answer has.
        const sent = error instanceof RequestError ? error.request : octokit.request.endpoint.parse(options);
        throw new RequestError(`GitHub did not answer within ${timeoutMs} ms`, 500, {
          request: sent,
          cause: error,
        });
      }
    });
  };
}

/** Seconds to wait out a rate limit whose answer names no `retry-after` and no reset time. */
const FALLBACK_RATE_LIMIT_WAIT_SECONDS = 60;

/** A rate limit GitHub answered with: which one (for the log) and how many seconds it asks to wait. */
interface RateLimitWait {
  kind: 'primary' | 'secondary' | 'GraphQL';
  seconds: number;
}

type AnswerHeaders = Record<string, string | number | undefined>;

/** Seconds until the primary limit of `headers` resets, one more to be past it; undefined without a reset. */
function secondsUntilReset(headers: AnswerHeaders, now: number): number | undefined {
  const reset = Number(headers['x-ratelimit-reset']);
  return headers['x-ratelimit-reset'] === undefined || !Number.isFinite(reset)
    ? undefined
    : Math.max(Math.ceil(reset - now / 1000) + 1, 0);
}

/** The wait a rate-limited HTTP answer asks for: its `retry-after`, else until its limit resets, else a minute. */
function httpRateLimitWait(error: unknown, now: number): RateLimitWait | undefined {
  if (!(error instanceof RequestError) || !isRateLimitAnswer(error)) return undefined;
  const headers: AnswerHeaders = error.response?.headers ?? {};
  const primary = String(headers['x-ratelimit-remaining']) === '0' && !/secondary/i.test(error.message);
  const kind = primary ? 'primary' : 'secondary';
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
    return { kind, seconds: retryAfter };
  return { kind, seconds: secondsUntilReset(headers, now) ?? FALLBACK_RATE_LIMIT_WAIT_SECONDS };
}

/**
 * The wait a GraphQL answer asks for when GitHub refused it for the GraphQL rate limit (HTTP 200 with an error of
 * type RATE_LIMITED): until the limit resets.
 */
function graphqlRateLimitWait(
  response: { headers: AnswerHeaders; data?: unknown },
  now: number,
): RateLimitWait | undefined {
  const errors = (response.data as { errors?: unknown } | undefined)?.errors;
  const limited =
    Array.isArray(errors) &&
    errors.some((entry) => (entry as { type?: unknown } | null)?.type === 'RATE_LIMITED');
  if (!limited) return undefined;
  return {
    kind: 'GraphQL',
    seconds: secondsUntilReset(response.headers, now) ?? FALLBACK_RATE_LIMIT_WAIT_SECONDS,
  };
}

/** How {@link rateLimitWaits} waits. */
interface RateLimitSettings {
  retries: number;
  maxWaitSeconds: number;
  unitMs: number;
  clock: Clock;
  logger: Logger | undefined;
}

/**
 * An Octokit plugin that waits out GitHub's rate limits, as long as GitHub asks (`retry-after`, or until the
 * limit resets) and at most `retries` times per request, then sends the request again. It is registered after the
 * retry plugin, so each of its resends gets the retry plugin's full budget for server errors. A limit it does not
 * wait out reaches the caller as GitHub answered it (a GraphQL one as the `GraphqlResponseError` Octokit makes of
 * it). Requests are not spaced apart: an action makes about ten writes a step, far below GitHub's secondary limit
 * of 80 content-creating requests a minute, and a limit hit anyway is waited out here.
 */
function rateLimitWaits(settings: RateLimitSettings) {
  const waits = (limit: RateLimitWait, retryCount: number, where: string): boolean => {
    const retrying = retryCount < settings.retries && limit.seconds <= settings.maxWaitSeconds;
    settings.logger?.warning(
      `GitHub's ${limit.kind} rate limit stopped ${where}; ` +
        (retrying ? `retrying in ${limit.seconds} s.` : 'giving up.'),
    );
    return retrying;
  };
  return (octokit: Octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      const where = `${options.method} ${options.url}`;
      for (let retryCount = 0; ; retryCount += 1) {
        let limit: RateLimitWait | undefined;
        try {
          const response = await request(options);
          limit = graphqlRateLimitWait(response, settings.clock.now());
          // Not waited out: graphql() turns the answer into the GraphqlResponseError the caller sees.
          if (!limit || !waits(limit, retryCount, where)) return response;
        } catch (error) {
          limit = httpRateLimitWait(error, settings.clock.now());
          if (!limit || !waits(limit, retryCount, where)) throw error;
        }
        await settings.clock.sleep(limit.seconds * settings.unitMs);
      }
    });
  };
}

/**
 * The answers the retry plugin does not resend: its own defaults (refusals a resend cannot change), and 429, a
 * rate limit that {@link rateLimitWaits} waits out as long as GitHub asks instead of the retry plugin's short
 * back-off.
 */
const NOT_RETRIED = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * Builds the one GitHub client of an action run: token auth, an explicit base URL (read now, not when
 * `@actions/github` was imported), a user agent naming the suite, retries of server errors and timeouts,
 * and waits on rate limits that honour `retry-after`.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(
    /\/+$/,
    '',
  );
  const logger = options.logger;
  const retryUnitMs = options.retryUnitMs ?? 1000;
  return getOctokit(
    options.token,
    {
      baseUrl,
      userAgent: `${SUITE_NAME}/${SUITE_VERSION}`,
      log: {
        debug: (message: string) => logger?.debug(message),
        info: (message: string) => logger?.debug(message),
        warn: (message: string) => logger?.warning(message),
        error: (message: string) => logger?.debug(message),
      },
      retry: {
        retries: options.retries ?? DEFAULT_RETRIES,
        retryAfterBaseValue: retryUnitMs,
        doNotRetry: NOT_RETRIED,
      },
    },
    requestTimeout(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    retry,
    rateLimitWaits({
      retries: options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES,
      maxWaitSeconds: options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
      unitMs: retryUnitMs,
      clock: options.clock ?? systemClock,
      logger,
    }),
  );
}
