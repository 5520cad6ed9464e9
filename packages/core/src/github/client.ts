import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit } from '@octokit/core';
import type { Logger } from '../logger.js';
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
 * plugin, so it runs inside it and each retry gets a fresh deadline; a timed-out attempt surfaces as a
 * 500-class request error, which the retry plugin retries.
 */
function requestTimeout(timeoutMs: number) {
  return (octokit: Octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      // Hooks registered earlier (token auth) are bound to this same options object and ignore arguments,
      // so the deadline is set on the object itself, afresh for every attempt.
      options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
      return request(options);
    });
  };
}

/**
 * A stand-in for the throttling plugin's write queue that does not space requests apart. The plugin waits
 * one second between content-creating requests, which would add that second to nearly every write of an
 * action (at most about ten per step); GitHub's secondary limits (80 content-creating requests a minute) are
 * instead handled when hit, by waiting out `retry-after`.
 */
const unspacedQueue = {
  key: () => ({
    schedule: <T>(_options: unknown, job: (...args: unknown[]) => Promise<T>, ...args: unknown[]) =>
      job(...args),
  }),
};

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
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < rateLimitRetries && retryAfter <= maxWait;
      logger?.warning(
        `GitHub's ${kind} rate limit stopped ${request.method} ${request.url}; ` +
          (retrying ? `retrying in ${retryAfter} s.` : 'giving up.'),
      );
      return retrying;
    };
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
        retryAfterBaseValue: options.retryUnitMs ?? 1000,
      },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: options.retryUnitMs ?? 1000,
        // Not in the plugin's public option types, but read by it: the queues writes go through.
        ...({ write: unspacedQueue, notifications: unspacedQueue } as object),
      },
    },
    requestTimeout(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    retry,
    throttling,
  );
}
