import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How fast the exporter's service answers requests, and which share of them fails. */
export interface ExporterRates {
  requestsPerSecond: number;
  /** From 0 to 1: the share of requests counted under `code="500"`. */
  errorRatio: number;
}

/**
 * A service's metrics as Prometheus scrapes them: `/metrics` in the text exposition format, with the counters
 * `http_requests_total{code="200"}` and `http_requests_total{code="500"}`. They grow with wall time at the rates
 * the test sets, worked out when they are read, so a scrape at any instant sees the counts so far.
 */
export interface MetricsExporter {
  /** `127.0.0.1:<port>`: the scrape target. */
  target: string;
  /** `http://127.0.0.1:<port>/metrics`. */
  url: string;
  /** From now on, the counters grow at these rates (what was counted until now stays). */
  setRates(rates: ExporterRates): void;
  /** The counts so far, as the next scrape would see them. */
  counts(): { ok: number; errors: number };
  close(): Promise<void>;
}

/** Starts a {@link MetricsExporter} on a free port of 127.0.0.1, counting at `rates` from now. */
export async function startMetricsExporter(rates: ExporterRates): Promise<MetricsExporter> {
  let current = { ...rates };
  let ok = 0;
  let errors = 0;
  let countedUntil = Date.now();
  /** Adds what was served since the counts were last brought up to date, at the rates in force then. */
  const advance = () => {
    const now = Date.now();
    const served = (current.requestsPerSecond * (now - countedUntil)) / 1000;
    errors += served * current.errorRatio;
    ok += served * (1 - current.errorRatio);
    countedUntil = now;
  };
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end('not found');
      return;
    }
    advance();
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(
      [
        '# HELP http_requests_total Requests served, by status code.',
        '# TYPE http_requests_total counter',
        `http_requests_total{code="200"} ${ok}`,
        `http_requests_total{code="500"} ${errors}`,
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    setRates(next) {
      advance();
      current = { ...next };
    },
    counts() {
      advance();
      return { ok, errors };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
