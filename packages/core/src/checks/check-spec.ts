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

/** How a Prometheus check compares each sample with its threshold (the key written in the file). */
export const PROMETHEUS_COMPARISONS = ['below', 'above', 'at-most', 'at-least', 'equals'] as const;
export type PrometheusComparison = (typeof PROMETHEUS_COMPARISONS)[number];

/**
 * A Prometheus check: an instant query against the Prometheus HTTP API (`GET <server>/api/v1/query`); every
 * sample of the answer must satisfy the comparison.
 */
export interface PrometheusCheckSpec {
  kind: 'prometheus';
  name?: string;
  /** The Prometheus server's base URL (http or https, no credentials), e.g. `http://prometheus:9090`. */
  server: string;
  /** The PromQL expression, evaluated by Prometheus at the time of the attempt. */
  query: string;
  /** The comparison every sample must satisfy, e.g. `below: 0.01`. */
  comparison: PrometheusComparison;
  threshold: number;
  /** What an answer without samples (or only NaN samples) means. Default `fail`. */
  noData: 'fail' | 'pass';
  /**
   * Request headers as written; `${NAME}` stands for the environment variable NAME, read when the check runs
   * and masked in the log.
   */
  headers?: Record<string, string>;
}

/** A check of any kind. */
export type CheckSpec = HttpCheckSpec | CommandCheckSpec | PrometheusCheckSpec;
