/**
 * Prometheus checks against a real Prometheus server (Debian's `prometheus`) scraping a test exporter every
 * second: the check follows what the server sees as the exporter's error ratio changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PrometheusCheckSpec } from '../packages/core/src/checks/check-spec.js';
import { runPrometheusCheck } from '../packages/core/src/checks/prometheus-check.js';
import { startMetricsExporter, type MetricsExporter } from './harness/metrics-exporter.js';
import {
  prometheusMissingReason,
  startPrometheus,
  type PrometheusServer,
} from './harness/prometheus-server.js';

const missing = prometheusMissingReason();
if (missing) console.log(`prometheus checks: the tests against a real Prometheus are skipped: ${missing}`);
const withPrometheus = missing ? describe.skip : describe;

const ERROR_RATIO = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';

withPrometheus('a Prometheus check against a real Prometheus server', () => {
  let exporter: MetricsExporter;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    exporter = await startMetricsExporter({ requestsPerSecond: 200, errorRatio: 0.01 });
    prometheus = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
  }, 30_000);

  afterAll(async () => {
    await prometheus?.close();
    await exporter?.close();
  });

  const check = (fields: Partial<PrometheusCheckSpec> = {}): PrometheusCheckSpec => ({
    kind: 'prometheus',
    server: prometheus.url,
    query: ERROR_RATIO,
    comparison: 'below',
    threshold: 0.05,
    noData: 'fail',
    ...fields,
  });

  it('compares every sample: the worst one is shown with its labels', async () => {
    // While 1 % of the 200 requests a second fail: 198 a second under code="200", 2 under code="500" (less while
    // the 5 s window is not yet full of samples: rate() divides by the whole window).
    const query = 'rate(http_requests_total[5s])';
    await prometheus.waitForSamples(query, (rates) => rates.length === 2, 15_000);
    const result = await runPrometheusCheck(check({ query, comparison: 'below', threshold: 10 }), {
      timeoutMs: 5000,
    });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(
      /^\d+(\.\d+)? at \{code="200",instance="127\.0\.0\.1:\d+",job="test"\} not below 10; 1 of 2 samples fail$/,
    );
    expect(result.value).toBeGreaterThan(10);
  });

  it('passes while the error ratio is 0.01, then fails once Prometheus has seen it rise to 0.5', async () => {
    await prometheus.waitForSamples(ERROR_RATIO, ([ratio]) => ratio !== undefined && ratio < 0.05, 15_000);
    const masked: string[] = [];
    const passing = await runPrometheusCheck(check({ headers: { Authorization: 'Bearer ${PROM_TOKEN}' } }), {
      timeoutMs: 5000,
      env: { PROM_TOKEN: 'not-checked-by-prometheus' },
      mask: (value) => masked.push(value),
    });
    expect(passing).toMatchObject({ passed: true, status: 200 });
    expect(passing.message).toMatch(/^0\.01\d* below 0\.05$|^0\.0099\d* below 0\.05$/);
    expect(passing.value).toBeCloseTo(0.01, 3);
    expect(masked).toEqual(['not-checked-by-prometheus']);

    exporter.setRates({ requestsPerSecond: 200, errorRatio: 0.5 });
    await prometheus.waitForSamples(ERROR_RATIO, ([ratio]) => ratio !== undefined && ratio > 0.05, 15_000);
    const failing = await runPrometheusCheck(check(), { timeoutMs: 5000 });
    expect(failing).toMatchObject({ passed: false, status: 200 });
    expect(failing.message).toMatch(/^0\.\d+ \(not below 0\.05\)$/);
    expect(failing.value).toBeGreaterThan(0.05);
  }, 40_000);

  it('reads a metric that does not exist as no data: failing by default, passing with no-data: pass', async () => {
    const query = 'sum(rate(no_such_metric_total[5s]))';
    const failing = await runPrometheusCheck(check({ query }), { timeoutMs: 5000 });
    expect(failing).toMatchObject({ passed: false, status: 200 });
    expect(failing.message).toMatch(/^the query returned no data \(no samples\)/);
    const passing = await runPrometheusCheck(check({ query, noData: 'pass' }), { timeoutMs: 5000 });
    expect(passing).toMatchObject({
      passed: true,
      message: 'the query returned no data (no samples); passes with no-data: pass',
    });
  });

  it("reports the server's own error for a bad query, and asks for an instant query instead of a range", async () => {
    const bad = await runPrometheusCheck(check({ query: 'sum(' }), { timeoutMs: 5000 });
    expect(bad).toMatchObject({ passed: false, status: 400 });
    expect(bad.message).toMatch(/^Prometheus answered 400 \(bad_data\): .*parse error/);
    const range = await runPrometheusCheck(check({ query: 'http_requests_total[5s]' }), { timeoutMs: 5000 });
    expect(range.message).toMatch(/^the query returns a range \(matrix\): write an instant query/);
  });
});
