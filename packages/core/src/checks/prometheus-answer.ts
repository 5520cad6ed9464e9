/**
 * What an answer of Prometheus' instant query API (`/api/v1/query`) means for a Prometheus check: its samples,
 * compared with the check's threshold, and a one-line message that shows the reading. Pure: the request is made
 * by `prometheus-check.ts`, so every kind of answer is checked here with a table of cases.
 */
import type { PrometheusCheckSpec, PrometheusComparison } from './check-spec.js';

/** What of a check its answer is judged by. */
export type PrometheusCriterion = Pick<PrometheusCheckSpec, 'comparison' | 'threshold' | 'noData'>;

/** One sample of an answer: its labels (`__name__` included when Prometheus kept it) and its value. */
export interface PrometheusSample {
  labels: Readonly<Record<string, string>>;
  /** May be NaN, Infinity or -Infinity (Prometheus writes them "NaN", "+Inf", "-Inf"). */
  value: number;
}

/** The verdict on one answer. */
export interface PrometheusReading {
  passed: boolean;
  /** At most {@link MAX_MESSAGE_LENGTH} characters: the reading, e.g. `0.0123 (not below 0.01)`. */
  message: string;
  /** Every sample of the answer, NaN ones included (empty when the answer held none or was refused). */
  samples: PrometheusSample[];
  /** The value the verdict rests on (the worst sample), when there is one and it is finite. */
  value?: number;
}

/** Messages are shown in a table and a rollout timeline: one short line. */
export const MAX_MESSAGE_LENGTH = 120;

/** Labels are cut to the room the message leaves them, but never below this many characters. */
const MIN_LABELS_LENGTH = 24;

/** The words of each comparison in messages. */
const COMPARISON_WORDS: Record<PrometheusComparison, string> = {
  below: 'below',
  above: 'above',
  'at-most': 'at most',
  'at-least': 'at least',
  equals: 'equal to',
};

/** Whether `value` satisfies `comparison` with `threshold` (NaN satisfies none). */
export function satisfies(value: number, comparison: PrometheusComparison, threshold: number): boolean {
  switch (comparison) {
    case 'below':
      return value < threshold;
    case 'above':
      return value > threshold;
    case 'at-most':
      return value <= threshold;
    case 'at-least':
      return value >= threshold;
    case 'equals':
      return value === threshold;
  }
}

/**
 * The verdict on the body of an answer given with `status`: a 2xx answer is read as JSON
 * ({@link readPrometheusAnswer}); any other is refused with Prometheus' own error when its body has one.
 */
export function readPrometheusResponse(
  answer: { status: number; body: string },
  check: PrometheusCriterion,
): PrometheusReading {
  const json = parseJson(answer.body);
  if (answer.status < 200 || answer.status > 299) {
    return failed(refusalMessage(answer.status, json));
  }
  if (json === undefined) {
    return failed(
      `answered ${answer.status} with a body that is not JSON: is it the Prometheus server's base URL ` +
        '(without /api/v1/query)?',
    );
  }
  return readPrometheusAnswer(json, check);
}

/**
 * The verdict on a parsed answer (`{"status":"success","data":{"resultType":…,"result":…}}`). Every sample of
 * a vector (the one value of a scalar) must satisfy the comparison; NaN samples are left out, and an answer with
 * no other sample is "no data", which passes only with `no-data: pass`. A range (matrix) or a string fails: the
 * check needs an instant query.
 */
export function readPrometheusAnswer(json: unknown, check: PrometheusCriterion): PrometheusReading {
  if (!isObject(json) || (json.status !== 'success' && json.status !== 'error')) {
    return failed('the answer is not a Prometheus query answer (no "status": "success" or "error")');
  }
  if (json.status === 'error') return failed(refusalMessage(undefined, json));
  const data = json.data;
  if (!isObject(data)) return failed('the answer has no "data"');
  const samples = samplesOf(data.resultType, data.result);
  if (typeof samples === 'string') return failed(samples);
  return judge(samples, check);
}

/** The samples of a result, or why there are none to compare. */
function samplesOf(resultType: unknown, result: unknown): PrometheusSample[] | string {
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) return 'the answer is a vector without a list of samples';
      return vectorSamples(result);
    case 'scalar': {
      const value = sampleValue(result);
      return value === undefined
        ? 'the answer holds a scalar that is not [time, "value"]'
        : [{ labels: {}, value }];
    }
    case 'matrix':
      return (
        'the query returns a range (matrix): write an instant query, without a range selector such as [5m] at ' +
        'the top level'
      );
    case 'string':
      return 'the query returns a string, not a number: write an instant query that returns a number';
    default:
      return `the answer has an unknown result type ${JSON.stringify(resultType)?.slice(0, 20) ?? ''}`;
  }
}

/** The samples of a vector result, or why one of them cannot be read. */
function vectorSamples(result: unknown[]): PrometheusSample[] | string {
  const samples: PrometheusSample[] = [];
  for (const entry of result) {
    if (isObject(entry) && entry.value === undefined && entry.histogram !== undefined) {
      return 'the query returns native histograms: compare a number, e.g. histogram_quantile(0.99, …)';
    }
    const value = isObject(entry) ? sampleValue(entry.value) : undefined;
    if (!isObject(entry) || value === undefined) {
      return 'the answer holds a sample without a value [time, "value"]';
    }
    samples.push({ labels: labelsOf(entry.metric), value });
  }
  return samples;
}

/** The number of a `[time, "value"]` pair, or undefined when it is not one. */
function sampleValue(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string') return undefined;
  return parseSampleValue(pair[1]);
}

/** A value as Prometheus writes it: a decimal number, `NaN`, `+Inf` or `-Inf`. Undefined for anything else. */
export function parseSampleValue(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^nan$/i.test(trimmed)) return NaN;
  if (/^\+?inf(inity)?$/i.test(trimmed)) return Infinity;
  if (/^-inf(inity)?$/i.test(trimmed)) return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  return Number(trimmed);
}

function labelsOf(metric: unknown): Record<string, string> {
  if (!isObject(metric)) return {};
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric)) if (typeof value === 'string') labels[name] = value;
  return labels;
}

/** The verdict on the samples: each number must satisfy the comparison, NaN left out; none is "no data". */
function judge(samples: PrometheusSample[], check: PrometheusCriterion): PrometheusReading {
  const numbers = samples.filter((sample) => !Number.isNaN(sample.value));
  if (numbers.length === 0) return noData(samples, check.noData);
  const failing = numbers.filter((sample) => !satisfies(sample.value, check.comparison, check.threshold));
  const worst = worstOf(failing.length > 0 ? failing : numbers, check);
  const message = readingMessage({ worst, failing: failing.length, numbers: numbers.length, samples, check });
  return {
    passed: failing.length === 0,
    message,
    samples,
    ...(Number.isFinite(worst.value) ? { value: worst.value } : {}),
  };
}

/** The verdict on an answer with no number: the query returned nothing, or only NaN. */
function noData(samples: PrometheusSample[], noDataMeans: PrometheusCriterion['noData']): PrometheusReading {
  const what =
    samples.length === 0
      ? 'the query returned no data (no samples)'
      : `the query returned no data (only NaN, ${plural(samples.length, 'sample')})`;
  return noDataMeans === 'pass'
    ? { passed: true, message: `${what}; passes with no-data: pass`, samples }
    : {
        passed: false,
        message: `${what}; check the query and its labels, or set no-data: pass`,
        samples,
      };
}

/**
 * The sample that comes closest to failing, or fails worst: the highest for `below`/`at-most`, the lowest for
 * `above`/`at-least`, the farthest from the threshold for `equals`. The first one on a tie.
 */
function worstOf(samples: PrometheusSample[], check: PrometheusCriterion): PrometheusSample {
  const badness = (sample: PrometheusSample): number => {
    switch (check.comparison) {
      case 'below':
      case 'at-most':
        return sample.value;
      case 'above':
      case 'at-least':
        return -sample.value;
      case 'equals':
        return Math.abs(sample.value - check.threshold);
    }
  };
  return samples.reduce((worst, sample) => (badness(sample) > badness(worst) ? sample : worst));
}

/**
 * `0.0123 (not below 0.01)` or `0.002 below 0.01` for one sample without labels; otherwise the worst sample
 * with its labels and how many there were: `0.05 at {instance="a"} not below 0.01; 2 of 3 samples fail`.
 */
function readingMessage(reading: {
  worst: PrometheusSample;
  failing: number;
  numbers: number;
  samples: PrometheusSample[];
  check: PrometheusCriterion;
}): string {
  const { worst, failing, numbers, samples, check } = reading;
  const value = formatValue(worst.value, check);
  const comparison = `${failing > 0 ? 'not ' : ''}${COMPARISON_WORDS[check.comparison]} ${formatThreshold(check.threshold)}`;
  const ignored = samples.length - numbers;
  const notes = [
    numbers > 1
      ? failing > 0
        ? `${failing} of ${numbers} samples fail`
        : `worst of ${numbers} samples`
      : '',
    ignored > 0 ? `${ignored} NaN ignored` : '',
  ].filter((note) => note !== '');
  const rest = [`${value} at  ${comparison}`, ...notes].join('; ');
  const labels = formatLabels(worst.labels, Math.max(MIN_LABELS_LENGTH, MAX_MESSAGE_LENGTH - rest.length));
  if (labels === '' && notes.length === 0) {
    return failing > 0 ? `${value} (${comparison})` : `${value} ${comparison}`;
  }
  const message = `${value}${labels === '' ? '' : ` at ${labels}`} ${comparison}`;
  return cut([message, ...notes].join('; '), MAX_MESSAGE_LENGTH);
}

/**
 * `{code="500",instance="a"}`, the metric name first when there is one (`up{job="x"}`); '' for no labels. At most
 * `maxLength` characters: a longer label set is cut inside its braces, so that it still reads as one.
 */
export function formatLabels(
  labels: Readonly<Record<string, string>>,
  maxLength = MAX_MESSAGE_LENGTH,
): string {
  const name = labels.__name__ ?? '';
  const pairs = Object.keys(labels)
    .filter((key) => key !== '__name__')
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`);
  if (pairs.length === 0) return cut(name, maxLength);
  const text = `${name}{${pairs.join(',')}}`;
  return text.length > maxLength ? `${text.slice(0, maxLength - 2)}…}` : text;
}

/**
 * A value as short as it can be shown without misleading: four significant digits (more for large numbers),
 * and more again when rounding would change how it compares with the threshold (0.0100004 is not shown as 0.01
 * when the threshold is 0.01).
 */
export function formatValue(
  value: number,
  check?: Pick<PrometheusCriterion, 'comparison' | 'threshold'>,
): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const integerDigits = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 0;
  for (let digits = Math.max(4, integerDigits + 2); digits < 17; digits++) {
    const rounded = Number(value.toPrecision(digits));
    if (rounded === value) break;
    if (!check) return String(rounded);
    const sameVerdict =
      satisfies(rounded, check.comparison, check.threshold) ===
      satisfies(value, check.comparison, check.threshold);
    if (sameVerdict && (rounded === check.threshold) === (value === check.threshold)) return String(rounded);
  }
  return String(value);
}

function formatThreshold(threshold: number): string {
  return formatValue(threshold);
}

/** Why Prometheus refused the query: its `errorType` and `error` when the body has them, else the status. */
function refusalMessage(status: number | undefined, json: unknown): string {
  const answered = status === undefined ? 'Prometheus refused the query' : `Prometheus answered ${status}`;
  if (!isObject(json) || typeof json.error !== 'string' || json.error.trim() === '') return answered;
  const type = typeof json.errorType === 'string' && json.errorType !== '' ? ` (${json.errorType})` : '';
  return cut(`${answered}${type}: ${json.error.replace(/\s+/g, ' ').trim()}`, MAX_MESSAGE_LENGTH);
}

function failed(message: string): PrometheusReading {
  return { passed: false, message: cut(message, MAX_MESSAGE_LENGTH), samples: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
