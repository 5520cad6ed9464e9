/**
 * Validation of a Prometheus check as the workflow author writes it (an entry of `verify` or `checks` with
 * `prometheus`). `parse-check-specs.ts` has already checked its keys; this reads their values. Every problem names
 * its field (e.g. `checks[0].below`) and how to write it.
 */
import { UserError } from '../errors.js';
import { PROMETHEUS_COMPARISONS, type PrometheusCheckSpec, type PrometheusComparison } from './check-spec.js';
import {
  describeValue,
  isPlainObject,
  nonEmptyString,
  parseCheckUrl,
  truncate,
  type CheckUrlWording,
} from './check-spec-values.js';
import { HEADER_NAME_PATTERN, headerValueProblem } from './header-variables.js';

/** The keys of a Prometheus check, in the order messages list them. */
export const PROMETHEUS_KEYS = [
  'prometheus',
  'query',
  'name',
  ...PROMETHEUS_COMPARISONS,
  'no-data',
  'headers',
] as const;

/** Values of `no-data`. */
export const NO_DATA_VALUES = ['fail', 'pass'] as const;

/** What a Prometheus check looks like, for error messages. */
const PROMETHEUS_EXAMPLE =
  "e.g. '- prometheus: http://prometheus:9090' with 'query: up{job=\"web\"}' and 'at-least: 1'";

const SERVER_URL_WORDING: CheckUrlWording = {
  what: "the Prometheus server's base URL",
  example: 'http://prometheus.internal:9090',
  otherScheme: "Prometheus' HTTP API is served over one of them.",
  credentials:
    "remove them and send them in 'headers' from an environment variable of the step, e.g. " +
    "'Authorization: Basic ${PROM_BASIC_AUTH}'.",
};

const HEADER_NAME = new RegExp(HEADER_NAME_PATTERN);

/** The Prometheus check of `entry`, whose keys are known to be Prometheus keys. */
export function parsePrometheusCheck(entry: Record<string, unknown>, location: string): PrometheusCheckSpec {
  const { comparison, threshold } = parseComparison(entry, location);
  const spec: PrometheusCheckSpec = {
    kind: 'prometheus',
    server: parseServer(entry.prometheus, `${location}.prometheus`),
    query: nonEmptyString(
      entry.query,
      `${location}.query`,
      'the PromQL expression to evaluate, e.g. \'sum(rate(http_requests_total{code=~"5.."}[5m]))\'',
    ),
    comparison,
    threshold,
    noData: parseNoData(entry['no-data'], `${location}.no-data`),
  };
  if (entry.name !== undefined)
    spec.name = nonEmptyString(entry.name, `${location}.name`, 'the name shown in reports');
  if (entry.headers !== undefined) spec.headers = parseHeaders(entry.headers, `${location}.headers`);
  return spec;
}

/** The server's base URL: a check URL without a query or fragment (the query is added to it). */
function parseServer(value: unknown, location: string): string {
  if (value === undefined) {
    throw new UserError(`${location} is missing. Give ${SERVER_URL_WORDING.what}, ${PROMETHEUS_EXAMPLE}.`);
  }
  const server = parseCheckUrl(value, location, SERVER_URL_WORDING);
  if (/[?#]/.test(server)) {
    throw new UserError(
      `${location} is '${truncate(server)}', which has a query or fragment. Give the server's base URL only, ` +
        `e.g. '${SERVER_URL_WORDING.example}': the check adds /api/v1/query and the query to it.`,
    );
  }
  return server;
}

/** The one comparison of the entry and its threshold, a finite number. */
function parseComparison(
  entry: Record<string, unknown>,
  location: string,
): { comparison: PrometheusComparison; threshold: number } {
  const given = PROMETHEUS_COMPARISONS.filter((key) => entry[key] !== undefined);
  const [comparison, second] = given;
  if (comparison === undefined) {
    throw new UserError(
      `${location} has no comparison: give one of 'below', 'above', 'at-most', 'at-least' or 'equals' with the ` +
        "threshold, e.g. 'below: 0.01'.",
    );
  }
  if (second !== undefined) {
    throw new UserError(
      `${location} has both '${comparison}' and '${second}': give exactly one comparison. To check a range, ` +
        'write two checks with the same query.',
    );
  }
  const threshold = entry[comparison];
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new UserError(
      `${location}.${comparison} is ${describeValue(threshold)}. Give the threshold as a finite number without ` +
        `quotes, e.g. '${comparison}: 0.01'.`,
    );
  }
  return { comparison, threshold };
}

function parseNoData(value: unknown, location: string): PrometheusCheckSpec['noData'] {
  if (value === undefined) return 'fail';
  if (value === 'fail' || value === 'pass') return value;
  throw new UserError(
    `${location} is ${describeValue(value)}. Write 'fail' (the default: a query that returns no samples fails ` +
      "the check) or 'pass' (no samples, e.g. no errors recorded yet, passes).",
  );
}

/** Header names (HTTP tokens, each once ignoring case) and their values (non-empty, `${NAME}` well formed). */
function parseHeaders(value: unknown, location: string): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new UserError(
      `${location} is ${describeValue(value)}, not a mapping. Write one header per line, e.g. ` +
        "'Authorization: Bearer ${PROM_TOKEN}'.",
    );
  }
  const headers: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const [name, template] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new UserError(
        `${location} has the header name '${truncate(name, 40)}', which is not a valid HTTP header name: use ` +
          "letters, digits and '-' (e.g. 'Authorization', 'X-Scope-OrgID').",
      );
    }
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      throw new UserError(`${location} has '${earlier}' and '${name}': header names ignore case; keep one.`);
    }
    seen.set(name.toLowerCase(), name);
    const where = `${location}.${name}`;
    const text = nonEmptyString(template, where, "the header's value, e.g. 'Bearer ${PROM_TOKEN}'");
    const problem = headerValueProblem(text);
    if (problem !== undefined) throw new UserError(`${where} ${problem}.`);
    headers[name] = text;
  }
  return headers;
}
