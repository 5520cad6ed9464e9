/**
 * The post-deployment checks of an environment (`environments[n].verify`) as the published schema states them.
 * Their validator is `checks/parse-check-specs.ts`, shared with the verify action's `checks` input, which gives
 * its own messages; the schema tests run both on the same files to prove they agree.
 */
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

/** One check of `verify` (`definitions.check`): a command check when it has `run`, an HTTP check otherwise. */
export const CHECK_RULE = {
  description: "A post-deployment check: an HTTP check ('url') or a command check ('run'), never both.",
  type: 'object',
  if: { properties: { run: true }, required: ['run'] },
  then: COMMAND_CHECK_RULE,
  else: HTTP_CHECK_RULE,
} as const satisfies ConfigRule;
