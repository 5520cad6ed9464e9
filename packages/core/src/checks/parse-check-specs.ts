/**
 * Validation of post-deployment checks as the workflow author writes them: the `verify` list of an environment in
 * `.github/promotion.yml`, the verify action's `checks` input (YAML) and its `url` shorthand. An entry's kind is
 * told by its key: `url` (HTTP), `run` (command) or `prometheus` (read by `parse-prometheus-check.ts`). Every
 * problem is reported with its location (e.g. `checks[1].status`, indices from 0) and what is allowed there.
 */
import { parse as parseYaml } from 'yaml';
import { InputError, UserError } from '../errors.js';
import type { CheckSpec, CommandCheckSpec, HttpCheckSpec } from './check-spec.js';
import {
  closestKey,
  describeValue,
  isPlainObject,
  nonEmptyString,
  parseCheckUrl,
  truncate,
} from './check-spec-values.js';
import { parsePrometheusCheck, PROMETHEUS_KEYS } from './parse-prometheus-check.js';

const HTTP_KEYS = ['url', 'name', 'status', 'body-contains', 'body-matches', 'max-latency'] as const;
const COMMAND_KEYS = ['run', 'name'] as const;
const ALL_KEYS: readonly string[] = [...new Set<string>([...HTTP_KEYS, ...COMMAND_KEYS, ...PROMETHEUS_KEYS])];

/** The kinds of checks: the key that makes an entry one, its keys, and how messages name it. */
const KINDS = [
  { key: 'url', kind: 'http', keys: HTTP_KEYS, one: 'an HTTP check', many: 'HTTP checks (url)' },
  { key: 'run', kind: 'command', keys: COMMAND_KEYS, one: 'a command check', many: 'command checks (run)' },
  {
    key: 'prometheus',
    kind: 'prometheus',
    keys: PROMETHEUS_KEYS,
    one: 'a Prometheus check',
    many: 'Prometheus checks (prometheus)',
  },
] as const;
type CheckKind = (typeof KINDS)[number];

/** The keys only a Prometheus check has, which tell what an entry without 'prometheus' was meant to be. */
const PROMETHEUS_ONLY_KEYS: readonly string[] = PROMETHEUS_KEYS.filter(
  (key) => key !== 'prometheus' && key !== 'name',
);

/** The longest answer time a check may demand: ten minutes, the longest `timeout` the action accepts. */
const MAX_LATENCY_LIMIT_MS = 600_000;

/** What a check entry looks like, for error messages. */
const ENTRY_EXAMPLE = "e.g. '- url: https://example.com/healthz' or '- run: ./smoke-test.sh'";

/**
 * Validates a parsed YAML list of checks. `source` names where it came from (e.g.
 * `environments[2].verify` or `checks`) and prefixes every error location. An empty or missing list gives `[]`.
 * @throws UserError naming the location of the first problem and what is allowed there.
 */
export function parseCheckSpecs(value: unknown, source: string): CheckSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new UserError(
      `${source} is ${describeValue(value)}, not a list of checks. Start each check with '- ', ${ENTRY_EXAMPLE}.`,
    );
  }
  return value.map((entry: unknown, index) => parseEntry(entry, `${source}[${index}]`));
}

/**
 * Parses the verify action's `checks` input: a YAML list of checks. Empty text gives `[]`.
 * @throws InputError when the text is not YAML; UserError (located under `checks`) when a check is invalid.
 */
export function parseChecksInput(text: string): CheckSpec[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(
      'checks',
      `is not valid YAML (${reason})`,
      `Write a YAML list under 'checks: |', ${ENTRY_EXAMPLE}.`,
    );
  }
  return parseCheckSpecs(value, 'checks');
}

/**
 * The check for the verify action's `url` shorthand: the URL answers with any 2xx status.
 * @throws UserError naming `source` when the URL is not an http(s) URL without credentials.
 */
export function urlCheck(url: string, source: string): HttpCheckSpec {
  return { kind: 'http', url: parseCheckUrl(url, source) };
}

function parseEntry(entry: unknown, location: string): CheckSpec {
  if (!isPlainObject(entry)) {
    throw new UserError(
      `${location} is ${describeValue(entry)}, not a check. Write a mapping, ${ENTRY_EXAMPLE}.`,
    );
  }
  const kind = kindOf(entry, location);
  checkKeys(entry, location, kind);
  switch (kind.kind) {
    case 'http':
      return parseHttpCheck(entry, location);
    case 'command':
      return parseCommandCheck(entry, location);
    case 'prometheus':
      return parsePrometheusCheck(entry, location);
  }
}

/** The kind of a check entry: the one of 'url', 'run' and 'prometheus' it has. */
function kindOf(entry: Record<string, unknown>, location: string): CheckKind {
  const present = KINDS.filter((kind) => kind.key in entry);
  const [first, second] = present;
  if (first !== undefined && second !== undefined) {
    throw new UserError(
      `${location} has both '${first.key}' and '${second.key}'. A check is an HTTP check (url), a command check ` +
        '(run) or a Prometheus check (prometheus); split it into separate checks.',
    );
  }
  if (first === undefined) throw noKindError(entry, location);
  return first;
}

/** The error for an entry that is no kind of check: a misspelt kind key, or Prometheus keys without 'prometheus'. */
function noKindError(entry: Record<string, unknown>, location: string): UserError {
  const unknownKey = Object.keys(entry).find((key) => !ALL_KEYS.includes(key));
  const suggestion =
    unknownKey === undefined
      ? undefined
      : closestKey(
          unknownKey,
          KINDS.map((kind) => kind.key),
        );
  const prometheusKey = Object.keys(entry).find((key) => PROMETHEUS_ONLY_KEYS.includes(key));
  if (suggestion === undefined && prometheusKey !== undefined) {
    return new UserError(
      `${location} has '${prometheusKey}' but no 'prometheus'. A Prometheus check needs the server's base URL, ` +
        "e.g. 'prometheus: http://prometheus:9090'.",
    );
  }
  return new UserError(
    `${location} has neither 'url' nor 'run' nor 'prometheus'` +
      (unknownKey !== undefined && suggestion
        ? ` (did you mean '${suggestion}' instead of '${unknownKey}'?)`
        : '') +
      ". Give one of them, e.g. '- url: https://example.com/healthz', '- run: ./smoke-test.sh' or " +
      "'- prometheus: http://prometheus:9090' with a 'query' and a comparison.",
  );
}

/** Refuses a key the kind of check does not have, saying which kind it belongs to or which key was meant. */
function checkKeys(entry: Record<string, unknown>, location: string, kind: CheckKind): void {
  const allowed: readonly string[] = kind.keys;
  for (const key of Object.keys(entry)) {
    if (allowed.includes(key)) continue;
    const owner = KINDS.find((other) => (other.keys as readonly string[]).includes(key));
    if (owner !== undefined) {
      throw new UserError(
        `${location}.${key} applies to ${owner.many}, not to ${kind.many}. Remove it` +
          (kind.kind === 'command' ? ', or check the condition in the command itself.' : '.'),
      );
    }
    const suggestion = closestKey(key, allowed);
    throw new UserError(
      `${location} has an unknown key '${truncate(key)}'.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` Allowed keys for ${kind.one}: ${allowed.join(', ')}.`,
    );
  }
}

function parseCommandCheck(entry: Record<string, unknown>, location: string): CommandCheckSpec {
  const spec: CommandCheckSpec = { kind: 'command', run: requiredRun(entry.run, `${location}.run`) };
  const name = optionalName(entry.name, `${location}.name`);
  if (name !== undefined) spec.name = name;
  return spec;
}

function parseHttpCheck(entry: Record<string, unknown>, location: string): HttpCheckSpec {
  const spec: HttpCheckSpec = { kind: 'http', url: parseCheckUrl(entry.url, `${location}.url`) };
  const name = optionalName(entry.name, `${location}.name`);
  if (name !== undefined) spec.name = name;
  if (entry.status !== undefined) spec.status = parseStatus(entry.status, `${location}.status`);
  if (entry['body-contains'] !== undefined) {
    spec.bodyContains = nonEmptyString(
      entry['body-contains'],
      `${location}.body-contains`,
      'the text the body must contain',
    );
  }
  if (entry['body-matches'] !== undefined) {
    spec.bodyMatches = parseRegExpSource(entry['body-matches'], `${location}.body-matches`);
  }
  if (entry['max-latency'] !== undefined) {
    spec.maxLatencyMs = parseLatency(entry['max-latency'], `${location}.max-latency`);
  }
  return spec;
}

function parseStatus(value: unknown, location: string): number[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) {
    throw new UserError(
      `${location} is an empty list. Give a status code (100-599) or a list of them, e.g. [200, 204].`,
    );
  }
  const codes = values.map((code: unknown, index) => {
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
      const where = Array.isArray(value) ? `${location}[${index}]` : location;
      throw new UserError(
        `${where} is ${describeValue(code)}. A status is a whole number from 100 to 599, e.g. 200, ` +
          'or a list of them, e.g. [200, 204].',
      );
    }
    return code;
  });
  return [...new Set(codes)];
}

function parseRegExpSource(value: unknown, location: string): string {
  const source = nonEmptyString(
    value,
    location,
    'a regular expression (JavaScript syntax) the body must match',
  );
  try {
    new RegExp(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${location} is not a valid regular expression (${reason}). Use JavaScript syntax without slashes or flags, ` +
        `e.g. '"status":\\s*"ok"'.`,
    );
  }
  return source;
}

function parseLatency(value: unknown, location: string): number {
  let milliseconds: number | undefined;
  if (typeof value === 'number') {
    milliseconds = value;
  } else if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(value.trim());
    if (match?.[1] !== undefined) milliseconds = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  }
  if (
    milliseconds === undefined ||
    !Number.isFinite(milliseconds) ||
    milliseconds <= 0 ||
    milliseconds > MAX_LATENCY_LIMIT_MS
  ) {
    throw new UserError(
      `${location} is ${describeValue(value)}. Give the longest acceptable answer time, more than 0 and at most ` +
        `${MAX_LATENCY_LIMIT_MS / 1000} s: milliseconds as a number (500) or a string with a unit ('500ms', '2s').`,
    );
  }
  return milliseconds;
}

function optionalName(value: unknown, location: string): string | undefined {
  if (value === undefined) return undefined;
  return nonEmptyString(value, location, 'the name shown in reports');
}

function requiredRun(value: unknown, location: string): string {
  return nonEmptyString(value, location, "the bash command to run, e.g. './smoke-test.sh'");
}
