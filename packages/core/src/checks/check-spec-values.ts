/**
 * The pieces every kind of check is validated with: how a YAML value is described in messages, non-empty
 * strings, check URLs, and the key an author most likely meant. Shared by `parse-check-specs.ts` and
 * `parse-prometheus-check.ts`.
 */
import { UserError } from '../errors.js';

/** What messages about a check URL say: what it is, an example, and how to do without a scheme or credentials. */
export interface CheckUrlWording {
  /** E.g. 'the http(s) URL to check'. */
  what: string;
  example: string;
  /** The sentence after "Only http and https URLs can be checked;". */
  otherScheme: string;
  /** The sentence after "They would be shown in logs and summaries;". */
  credentials: string;
}

/** The wording for the URL of an HTTP check. */
export const HTTP_CHECK_URL_WORDING: CheckUrlWording = {
  what: 'the http(s) URL to check',
  example: 'https://example.com/healthz',
  otherScheme: "use a command check ('run') for anything else.",
  credentials:
    "remove them and check the endpoint with a command check ('run') that reads the secret from the environment.",
};

/** Validates a check URL: it parses, is http(s) and carries no credentials. Returns it trimmed. */
export function parseCheckUrl(
  value: unknown,
  location: string,
  wording: CheckUrlWording = HTTP_CHECK_URL_WORDING,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UserError(
      `${location} is ${describeValue(value)}. Give ${wording.what}, e.g. '${wording.example}'.`,
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
      `${location} is '${truncate(trimmed)}', which is not a URL. Give an absolute URL, e.g. '${wording.example}'.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `${location} uses the scheme '${truncate(url.protocol.slice(0, -1))}'. Only http and https URLs can be checked; ` +
        wording.otherScheme,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new UserError(
      `${location} contains credentials ('user:password@'). They would be shown in logs and summaries; ` +
        wording.credentials,
    );
  }
  return trimmed;
}

/** `value` when it is a string with something other than white space in it. */
export function nonEmptyString(value: unknown, location: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UserError(
      `${location} is ${describeValue(value)}. Give ${what} as a non-empty string (quote it if YAML reads it as a number or boolean).`,
    );
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The allowed key an author most likely meant, or undefined when none is close. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
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
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : `'${truncate(value)}'`;
  return `${typeof value === 'number' ? 'the number' : 'the ' + typeof value} ${String(value)}`;
}

export function truncate(value: string, length = 80): string {
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
