import { describe, expect, it } from '@jest/globals';
import type { PrometheusComparison } from '../src/checks/check-spec.js';
import {
  formatValue,
  MAX_MESSAGE_LENGTH,
  parseSampleValue,
  readPrometheusAnswer,
  readPrometheusResponse,
  type PrometheusCriterion,
} from '../src/checks/prometheus-answer.js';

/** An answer of `/api/v1/query` with a vector of these samples (labels, value as Prometheus writes it). */
function vector(...samples: Array<[Record<string, string>, string]>): unknown {
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: samples.map(([metric, value]) => ({ metric, value: [1735732800.123, value] })),
    },
  };
}

function answer(resultType: string, result: unknown): unknown {
  return { status: 'success', data: { resultType, result } };
}

function criterion(
  comparison: PrometheusComparison = 'below',
  threshold = 0.01,
  noData: 'fail' | 'pass' = 'fail',
): PrometheusCriterion {
  return { comparison, threshold, noData };
}

interface Row {
  label: string;
  json: unknown;
  check: PrometheusCriterion;
  passed: boolean;
  /** The whole message (a string) or a pattern it matches. */
  message: string | RegExp;
  value?: number;
}

const rows: Row[] = [
  {
    label: 'one sample below the threshold',
    json: vector([{}, '0.002']),
    check: criterion(),
    passed: true,
    message: '0.002 below 0.01',
    value: 0.002,
  },
  {
    label: 'one sample over the threshold',
    json: vector([{}, '0.0123']),
    check: criterion(),
    passed: false,
    message: '0.0123 (not below 0.01)',
    value: 0.0123,
  },
  {
    label: 'several samples, two failing: the worst with its labels',
    json: vector([{ instance: 'c' }, '0.02'], [{ instance: 'a' }, '0.05'], [{ instance: 'b' }, '0.001']),
    check: criterion(),
    passed: false,
    message: '0.05 at {instance="a"} not below 0.01; 2 of 3 samples fail',
    value: 0.05,
  },
  {
    label: 'several samples, all passing: the one closest to failing',
    json: vector([{ instance: 'a' }, '0.001'], [{ instance: 'b' }, '0.004'], [{ instance: 'c' }, '0']),
    check: criterion(),
    passed: true,
    message: '0.004 at {instance="b"} below 0.01; worst of 3 samples',
    value: 0.004,
  },
  {
    label: 'above: the lowest sample is the worst',
    json: vector([{ job: 'a' }, '5'], [{ job: 'b' }, '2']),
    check: criterion('above', 3),
    passed: false,
    message: '2 at {job="b"} not above 3; 1 of 2 samples fail',
    value: 2,
  },
  {
    label: 'the metric name before the labels',
    json: vector([{ __name__: 'up', job: 'web', instance: 'x:80' }, '0']),
    check: criterion('at-least', 1),
    passed: false,
    message: '0 at up{instance="x:80",job="web"} not at least 1',
    value: 0,
  },
  {
    label: 'a NaN sample among numbers is left out',
    json: vector([{ instance: 'a' }, 'NaN'], [{ instance: 'b' }, '0.001']),
    check: criterion(),
    passed: true,
    message: '0.001 at {instance="b"} below 0.01; 1 NaN ignored',
    value: 0.001,
  },
  {
    label: '+Inf is over any threshold (no value in the report: JSON has no Infinity)',
    json: vector([{}, '+Inf']),
    check: criterion(),
    passed: false,
    message: '+Inf (not below 0.01)',
  },
  {
    label: '-Inf is below any threshold',
    json: vector([{}, '-Inf']),
    check: criterion(),
    passed: true,
    message: '-Inf below 0.01',
  },
  {
    label: '+Inf is above any threshold',
    json: vector([{}, '+Inf']),
    check: criterion('above', 1e9),
    passed: true,
    message: '+Inf above 1000000000',
  },
  {
    label: 'an empty vector is no data, failing by default',
    json: vector(),
    check: criterion(),
    passed: false,
    message: 'the query returned no data (no samples); check the query and its labels, or set no-data: pass',
  },
  {
    label: 'an empty vector with no-data: pass',
    json: vector(),
    check: criterion('below', 0.01, 'pass'),
    passed: true,
    message: 'the query returned no data (no samples); passes with no-data: pass',
  },
  {
    label: 'a vector of NaN only is no data',
    json: vector([{ a: '1' }, 'NaN'], [{ a: '2' }, 'NaN']),
    check: criterion(),
    passed: false,
    message: /^the query returned no data \(only NaN, 2 samples\)/,
  },
  {
    label: 'a vector of NaN only with no-data: pass',
    json: vector([{}, 'NaN']),
    check: criterion('below', 0.01, 'pass'),
    passed: true,
    message: 'the query returned no data (only NaN, 1 sample); passes with no-data: pass',
  },
  {
    label: 'a scalar',
    json: answer('scalar', [1735732800, '0.5']),
    check: criterion('above', 0.1),
    passed: true,
    message: '0.5 above 0.1',
    value: 0.5,
  },
  {
    label: 'a NaN scalar is no data',
    json: answer('scalar', [1735732800, 'NaN']),
    check: criterion(),
    passed: false,
    message: /^the query returned no data/,
  },
  {
    label: 'a matrix: an instant query is needed',
    json: answer('matrix', [{ metric: {}, values: [[1, '1']] }]),
    check: criterion(),
    passed: false,
    message:
      /^the query returns a range \(matrix\): write an instant query, without a range selector such as \[5m\]/,
  },
  {
    label: 'a string: an instant query returning a number is needed',
    json: answer('string', [1, 'hello']),
    check: criterion(),
    passed: false,
    message: /^the query returns a string, not a number: write an instant query/,
  },
  {
    label: 'native histograms',
    json: answer('vector', [{ metric: {}, histogram: [1, { count: '3' }] }]),
    check: criterion(),
    passed: false,
    message: /native histograms: compare a number, e\.g\. histogram_quantile/,
  },
  {
    label: 'a sample value that is not a number',
    json: vector([{}, 'lots']),
    check: criterion(),
    passed: false,
    message: 'the answer holds a sample without a value [time, "value"]',
  },
  {
    label: 'an error answer (status 200)',
    json: { status: 'error', errorType: 'execution', error: 'query timed out in expression evaluation' },
    check: criterion(),
    passed: false,
    message: 'Prometheus refused the query (execution): query timed out in expression evaluation',
  },
  {
    label: 'JSON that is no Prometheus answer',
    json: { healthy: true },
    check: criterion(),
    passed: false,
    message: /^the answer is not a Prometheus query answer/,
  },
  {
    label: 'an unknown result type',
    json: answer('table', []),
    check: criterion(),
    passed: false,
    message: 'the answer has an unknown result type "table"',
  },
  {
    label: 'long labels are cut, the message stays short',
    json: vector([{ pod: 'p'.repeat(200), namespace: 'n'.repeat(100) }, '3'], [{ pod: 'q' }, '1']),
    check: criterion('at-most', 2),
    passed: false,
    message: /^3 at \{namespace="n+…} not at most 2; 1 of 2 samples fail$/,
    value: 3,
  },
  {
    label: 'a value rounded to the threshold is shown with the digits that tell them apart',
    json: vector([{}, '0.0100004']),
    check: criterion(),
    passed: false,
    message: '0.0100004 (not below 0.01)',
    value: 0.0100004,
  },
  {
    label: 'a long fraction is shown with four significant digits',
    json: vector([{}, '0.123456789']),
    check: criterion('below', 1),
    passed: true,
    message: '0.1235 below 1',
    value: 0.123456789,
  },
  {
    label: 'Prometheus exponent notation',
    json: vector([{}, '1.5e-05']),
    check: criterion('below', 0.001),
    passed: true,
    message: '0.000015 below 0.001',
    value: 0.000015,
  },
];

/** Each comparison with a sample exactly at the threshold, then just beyond it. */
const boundaries: Array<[PrometheusComparison, string, boolean, string]> = [
  ['below', '1', false, '1 (not below 1)'],
  ['below', '0.999', true, '0.999 below 1'],
  ['at-most', '1', true, '1 at most 1'],
  ['at-most', '1.001', false, '1.001 (not at most 1)'],
  ['above', '1', false, '1 (not above 1)'],
  ['above', '1.001', true, '1.001 above 1'],
  ['at-least', '1', true, '1 at least 1'],
  ['at-least', '0.999', false, '0.999 (not at least 1)'],
  ['equals', '1', true, '1 equal to 1'],
  ['equals', '1.5', false, '1.5 (not equal to 1)'],
  ['equals', '0.5', false, '0.5 (not equal to 1)'],
];

describe('readPrometheusAnswer', () => {
  it.each(rows)('$label', ({ json, check, passed, message, value }) => {
    const reading = readPrometheusAnswer(json, check);
    expect(reading.passed).toBe(passed);
    if (typeof message === 'string') expect(reading.message).toBe(message);
    else expect(reading.message).toMatch(message);
    expect(reading.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(reading.value).toBe(value);
  });

  it.each(boundaries)('%s 1 with a sample of %s: passed %s', (comparison, sample, passed, message) => {
    const reading = readPrometheusAnswer(vector([{}, sample]), criterion(comparison, 1));
    expect({ passed: reading.passed, message: reading.message }).toEqual({ passed, message });
  });

  it('keeps every sample, NaN ones included, with their labels', () => {
    const reading = readPrometheusAnswer(
      vector([{ instance: 'a' }, 'NaN'], [{ instance: 'b' }, '2']),
      criterion('below', 5),
    );
    expect(reading.samples).toEqual([
      { labels: { instance: 'a' }, value: NaN },
      { labels: { instance: 'b' }, value: 2 },
    ]);
  });
});

describe('readPrometheusResponse', () => {
  it.each([
    [
      '400 with bad_data, as Prometheus answers a bad query',
      400,
      JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:5: parse error: unexpected "}"',
      }),
      'Prometheus answered 400 (bad_data): invalid parameter "query": 1:5: parse error: unexpected "}"',
    ],
    ['503 without a JSON body', 503, 'Service Unavailable', 'Prometheus answered 503'],
    ['404 with JSON but no error', 404, '{"message":"no route"}', 'Prometheus answered 404'],
    [
      '200 with a body that is not JSON',
      200,
      '<html>Prometheus Time Series Collection</html>',
      "answered 200 with a body that is not JSON: is it the Prometheus server's base URL (without /api/v1/query)?",
    ],
  ])('%s', (_label, status, body, message) => {
    const reading = readPrometheusResponse({ status, body }, criterion());
    expect(reading).toEqual({ passed: false, message, samples: [] });
  });

  it('reads a 2xx answer as the query API answer', () => {
    const body = JSON.stringify(vector([{}, '0.5']));
    expect(readPrometheusResponse({ status: 200, body }, criterion('below', 1))).toEqual({
      passed: true,
      message: '0.5 below 1',
      samples: [{ labels: {}, value: 0.5 }],
      value: 0.5,
    });
  });

  it('cuts a long error to one short line', () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: `parse error\n${'x'.repeat(300)}`,
    });
    const reading = readPrometheusResponse({ status: 400, body }, criterion());
    expect(reading.message).toMatch(/^Prometheus answered 400 \(bad_data\): parse error x+…$/);
    expect(reading.message).toHaveLength(MAX_MESSAGE_LENGTH);
  });
});

describe('parseSampleValue and formatValue', () => {
  it.each([
    ['0.5', 0.5],
    ['1e3', 1000],
    ['-2.5E-3', -0.0025],
    ['NaN', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['', undefined],
    ['abc', undefined],
    ['0x10', undefined],
    ['1,5', undefined],
  ])('reads %j as %s', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });

  it.each([
    [42, '42'],
    [-3, '-3'],
    [12345.6789, '12345.68'],
    [0.000123456, '0.0001235'],
    [2 / 3, '0.6667'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
  ])('shows %s as %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});
