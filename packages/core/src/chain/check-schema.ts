/**
 * The post-deployment checks of an environment (`environments[n].verify`) as the published schema states them.
 * Their validator is `checks/parse-check-specs.ts`, shared with the verify action's `checks` input, which gives
 * its own messages; the schema tests run both on the same files to prove they agree.
 */
import { PROMETHEUS_COMPARISONS } from '../checks/check-spec.js';
import { HEADER_NAME_PATTERN, HEADER_VALUE_PATTERN } from '../checks/header-variables.js';
import type { ConfigRule } from './config-rule.js';
import { NON_EMPTY_TEXT_RULE, URL_RULE } from './config-values.js';

/** An HTTP status code (`definitions.statusCode`). */
export const STATUS_CODE_RULE = { type: 'integer', minimum: 100, maximum: 599 } as const satisfies ConfigRule;

/** An HTTP check (`definitions.httpCheck`). */
export const HTTP_CHECK_RULE = {
  description: 'An HTTP check: the URL answers with an expected status, body and latency.',
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { description: 'The http(s) URL to request, without credentials.', allOf: [URL_RULE] },
    name: { description: 'Shown in reports. Default: the URL.', allOf: [NON_EMPTY_TEXT_RULE] },
    status: {
      description: 'The expected status code, or a list of them. Default: any 2xx.',
      anyOf: [STATUS_CODE_RULE, { type: 'array', minItems: 1, items: STATUS_CODE_RULE }],
    },
    'body-contains': { description: 'Text the body must contain.', allOf: [NON_EMPTY_TEXT_RULE] },
    'body-matches': {
      description: 'A regular expression (JavaScript syntax, no slashes or flags) the body must match.',
      allOf: [NON_EMPTY_TEXT_RULE],
    },
    'max-latency': {
      description:
        "The longest acceptable answer time: milliseconds as a number (500) or a string with a unit ('500ms', " +
        "'2s'); at most 10 minutes.",
      anyOf: [
        { type: 'number', exclusiveMinimum: 0, maximum: 600000 },
        { type: 'string', pattern: '^\\s*[0-9]+(?:\\.[0-9]+)?\\s*(?:ms|s)\\s*$' },
      ],
    },
  },
} as const satisfies ConfigRule;

/** A command check (`definitions.commandCheck`). */
export const COMMAND_CHECK_RULE = {
  description: 'A command check: the command, run by bash, exits 0.',
  type: 'object',
  required: ['run'],
  additionalProperties: false,
  properties: {
    run: { description: 'The bash command to run, e.g. ./smoke-test.sh.', allOf: [NON_EMPTY_TEXT_RULE] },
    name: { description: 'Shown in reports. Default: the command.', allOf: [NON_EMPTY_TEXT_RULE] },
  },
} as const satisfies ConfigRule;

/** What each comparison of a Prometheus check requires of every sample. */
const COMPARISON_MEANINGS: Record<(typeof PROMETHEUS_COMPARISONS)[number], string> = {
  below: 'less than',
  above: 'more than',
  'at-most': 'less than or equal to',
  'at-least': 'more than or equal to',
  equals: 'equal to',
};

/** The comparisons of a Prometheus check, each a threshold. */
const COMPARISON_PROPERTIES = Object.fromEntries(
  PROMETHEUS_COMPARISONS.map((key) => [
    key,
    {
      description:
        `Every sample must be ${COMPARISON_MEANINGS[key]} this number. Give exactly one of ` +
        `${PROMETHEUS_COMPARISONS.join(', ')}.`,
      type: 'number',
    },
  ]),
) as Record<(typeof PROMETHEUS_COMPARISONS)[number], ConfigRule>;

/** A Prometheus check (`definitions.prometheusCheck`). */
export const PROMETHEUS_CHECK_RULE = {
  description:
    "A Prometheus check: an instant query on the server's HTTP API (/api/v1/query); every sample of the answer " +
    'must satisfy the one comparison (NaN samples are left out).',
  type: 'object',
  required: ['prometheus', 'query'],
  additionalProperties: false,
  properties: {
    prometheus: {
      description:
        "The Prometheus server's base URL, http(s), without credentials, query or fragment, e.g. " +
        'http://prometheus.internal:9090 (a path prefix is kept).',
      allOf: [URL_RULE, { type: 'string', pattern: '^[^?#]*$' }],
    },
    query: {
      description:
        'The PromQL expression, evaluated at the time of each attempt. Must return a vector or a scalar.',
      allOf: [NON_EMPTY_TEXT_RULE],
    },
    name: {
      description: 'Shown in reports. Default: prometheus: <the query>.',
      allOf: [NON_EMPTY_TEXT_RULE],
    },
    ...COMPARISON_PROPERTIES,
    'no-data': {
      description:
        "What an answer without samples (or with NaN samples only) means: 'fail' the check, or let it 'pass'.",
      type: 'string',
      enum: ['fail', 'pass'],
      default: 'fail',
    },
    headers: {
      description:
        'Request headers, e.g. Authorization. In a value, ${NAME} is the environment variable NAME of the step ' +
        "(set it in the step's env:, e.g. from a secret); its value is masked in the log.",
      type: 'object',
      propertyNames: { type: 'string', pattern: HEADER_NAME_PATTERN },
      additionalProperties: { type: 'string', allOf: [NON_EMPTY_TEXT_RULE], pattern: HEADER_VALUE_PATTERN },
      examples: [{ Authorization: 'Bearer ${PROM_TOKEN}' }],
    },
  },
  // At least one comparison; that there is only one, the validator says.
  anyOf: PROMETHEUS_COMPARISONS.map((key) => ({ properties: { [key]: true }, required: [key] })),
} as const satisfies ConfigRule;

/**
 * One check of `verify` (`definitions.check`): a Prometheus check when it has `prometheus`, else a command check
 * when it has `run`, an HTTP check otherwise.
 */
export const CHECK_RULE = {
  description:
    "A post-deployment check: an HTTP check ('url'), a command check ('run') or a Prometheus check " +
    "('prometheus'), only one of them.",
  type: 'object',
  if: { properties: { prometheus: true }, required: ['prometheus'] },
  then: PROMETHEUS_CHECK_RULE,
  else: {
    if: { properties: { run: true }, required: ['run'] },
    then: COMMAND_CHECK_RULE,
    else: HTTP_CHECK_RULE,
  },
} as const satisfies ConfigRule;
