/**
 * Validation of post-deployment checks as the workflow author writes them: the `verify` list of an environment in
 * `.github/promotion.yml`, the verify action's `checks` input (YAML) and its `url` shorthand. Every problem is
 * reported with its location (e.g. `checks[1].status`, indices from 0) and what is allowed there.
 */
import { parse as parseYaml } from 'yaml';
import { InputError, UserError } from '../errors.js';
import type { CheckSpec, CommandCheckSpec, HttpCheckSpec } from './check-spec.js';

const HTTP_KEYS = ['url', 'name', 'status', 'body-contains', 'body-matches', 'max-latency'] as const;
const COMMAND_KEYS = ['run', 'name'] as const;
const ALL_KEYS: readonly string[] = [...new Set<string>([...HTTP_KEYS, ...COMMAND_KEYS])];

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
  const hasUrl = 'url' in entry;
  const hasRun = 'run' in entry;
  if (hasUrl && hasRun) {
    throw new UserError(
      `${location} has both 'url' and 'run'. A check is either an HTTP check (url) or a command check (run); ` +
        'split it into two checks.',
    );
  }
  if (!hasUrl && !hasRun) {
    const unknownKey = Object.keys(entry).find((key) => !ALL_KEYS.includes(key));
    const suggestion = unknownKey === undefined ? undefined : closestKey(unknownKey, ['url', 'run']);
    throw new UserError(
      `${location} has neither 'url' nor 'run'` +
        (unknownKey !== undefined && suggestion
          ? ` (did you mean '${suggestion}' instead of '${unknownKey}'?)`
          : '') +
        `. Give one of them, ${ENTRY_EXAMPLE}.`,
    );
  }
  const allowed: readonly string[] = hasUrl ? HTTP_KEYS : COMMAND_KEYS;
  for (const key of Object.keys(entry)) {
    if (allowed.includes(key)) continue;
    if (!hasUrl && (HTTP_KEYS as readonly string[]).includes(key)) {
      throw new UserError(
        `${location}.${key} applies to HTTP checks (url), not to command checks (run). ` +
          `Remove it, or check the condition in the command itself.`,
      );
    }
    const suggestion = closestKey(key, allowed);
    throw new UserError(
      `${location} has an unknown key '${truncate(key)}'.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` Allowed keys for ${hasUrl ? 'an HTTP' : 'a command'} check: ${allowed.join(', ')}.`,
    );
  }
  const name = optionalName(entry.name, `${location}.name`);
  if (hasRun) {
    const spec: CommandCheckSpec = { kind: 'command', run: requiredRun(entry.run, `${location}.run`) };
    if (name !== undefined) spec.name = name;
    return spec;
  }
  const spec: HttpCheckSpec = { kind: 'http', url: parseCheckUrl(entry.url, `${location}.url`) };
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

/** Validates a check URL: it parses, is http(s) and carries no credentials. Returns it trimmed. */
function parseCheckUrl(value: unknown, location: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UserError(
      `${location} is ${describeValue(value)}. Give the http(s) URL to check, e.g. 'https://example.com/healthz'.`,
    );
  }
  const trimmed = value.trim();
  if (trimmed.includes('${{')) {
    throw new UserError(
      `${location} contains an unexpanded expression ('\${{ ... }}'). GitHub expands expressions only in ` +
        "workflow files: pass such URLs through the verify action's 'url' or 'checks' input.",
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UserError(
      `${location} is '${truncate(trimmed)}', which is not a URL. Give an absolute URL, e.g. 'https://example.com/healthz'.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `${location} uses the scheme '${truncate(url.protocol.slice(0, -1))}'. Only http and https URLs can be checked; ` +
        "use a command check ('run') for anything else.",
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new UserError(
      `${location} contains credentials ('user:password@'). They would be shown in logs and summaries; ` +
        "remove them and check the endpoint with a command check ('run') that reads the secret from the environment.",
    );
  }
  return trimmed;
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

function nonEmptyString(value: unknown, location: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UserError(
      `${location} is ${describeValue(value)}. Give ${what} as a non-empty string (quote it if YAML reads it as a number or boolean).`,
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The allowed key an author most likely meant, or undefined when none is close. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const normalized = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
  if (allowed.includes(normalized)) return normalized;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(normalized, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(normalized.length / 3)) ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A short description of a YAML value for error messages. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : `'${truncate(value)}'`;
  return `${typeof value === 'number' ? 'the number' : 'the ' + typeof value} ${String(value)}`;
}

function truncate(value: string, length = 80): string {
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
