/**
 * What a post-deployment check is, as configured in `.github/promotion.yml` (`environments[].verify`) or given
 * to the verify action (`url`, `checks`). Parsed and validated by `parseCheckSpecs`.
 */

/** An HTTP check: the URL answers with an expected status, body and latency. */
export interface HttpCheckSpec {
  kind: 'http';
  /** Shown in reports; default: the URL. */
  name?: string;
  /** http or https, no credentials. */
  url: string;
  /** Expected status codes; default: any 2xx. */
  status?: number[];
  /** The body must contain this text. */
  bodyContains?: string;
  /** The body must match this regular expression. */
  bodyMatches?: string;
  /** The answer must arrive within this many milliseconds. */
  maxLatencyMs?: number;
}

/** A command check: the command exits 0. */
export interface CommandCheckSpec {
  kind: 'command';
  name?: string;
  /** Run by bash, as a workflow `run:` step would. */
  run: string;
}

/** A check of either kind. */
export type CheckSpec = HttpCheckSpec | CommandCheckSpec;
