/**
 * Request headers with `${NAME}` in their values: NAME is an environment variable of the step, read when a check
 * runs. A token stays in the workflow's secrets (`env: {PROM_TOKEN: ${{ secrets.PROM_TOKEN }}}`) and never in the
 * configuration file. The validator, the check and the verify action's early refusal share these rules.
 */
import { UserError } from '../errors.js';
import type { CheckSpec } from './check-spec.js';

/** The name of a variable: a letter or `_`, then letters, digits and `_` (what a shell accepts). */
export const VARIABLE_NAME_PATTERN = '[A-Za-z_][A-Za-z0-9_]*';

/**
 * A header value as written: no line break, and every `${` opens a reference `${NAME}`; a `$` not followed by
 * `{` is itself. The published schema checks the same pattern.
 */
export const HEADER_VALUE_PATTERN = `^(?:[^$\\r\\n]|\\$(?!\\{)|\\$\\{${VARIABLE_NAME_PATTERN}\\})*$`;

/** A header name: an HTTP token (RFC 9110, section 5.6.2). */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

const REFERENCE = new RegExp(`\\$\\{(${VARIABLE_NAME_PATTERN})\\}`, 'g');

/** The environment the variables are read from (a process environment, or a test's plain object). */
export type VariableSource = Readonly<Record<string, string | undefined>>;

/** Why `value` cannot be a header value, or undefined when it can (see {@link HEADER_VALUE_PATTERN}). */
export function headerValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break, which no header value may hold';
  if (value.includes('${{')) {
    return (
      "contains an expression ('${{ … }}'), which GitHub expands only in workflow files: write '${NAME}' and set " +
      "NAME in the step's env:, e.g. 'NAME: ${{ secrets.NAME }}'"
    );
  }
  const withoutReferences = value.replace(REFERENCE, '');
  const open = withoutReferences.indexOf('${');
  if (open === -1) return undefined;
  const rest = withoutReferences.slice(open, open + 20);
  return (
    `has '${rest}${withoutReferences.length > open + 20 ? '…' : ''}', which does not name a variable: write ` +
    "'${NAME}' with a name of letters, digits and '_' that does not start with a digit"
  );
}

/** The variables `value` refers to, in order of first appearance. */
export function referencedVariables(value: string): string[] {
  return [...new Set([...value.matchAll(REFERENCE)].map((match) => match[1] ?? ''))];
}

/** Whether a variable counts as set: present and not empty (a secret that does not exist expands to ''). */
function isSet(env: VariableSource, name: string): boolean {
  const value = env[name];
  return value !== undefined && value !== '';
}

/** Headers with every `${NAME}` replaced, the values put in, and the variables that are not set. */
export interface ExpandedHeaders {
  headers: Record<string, string>;
  /** The values of the variables substituted, each once: the caller masks them in the log. */
  substituted: string[];
  /** The variables referred to but not set (or empty), each once. */
  missing: string[];
  /** The variables whose value cannot go in a header (a line break or a NUL), each once. */
  unusable: string[];
}

/**
 * Replaces every `${NAME}` of the header values from `env`. A variable not set is left as written and listed; a
 * value that no header may hold is listed too, so that the request is not sent (fetch's own error would quote it).
 */
export function expandHeaders(
  headers: Readonly<Record<string, string>>,
  env: VariableSource,
): ExpandedHeaders {
  const substituted = new Set<string>();
  const missing = new Set<string>();
  const unusable = new Set<string>();
  const expanded: Record<string, string> = {};
  for (const [name, template] of Object.entries(headers)) {
    expanded[name] = template.replace(REFERENCE, (reference, variable: string) => {
      if (!isSet(env, variable)) {
        missing.add(variable);
        return reference;
      }
      const value = env[variable] ?? '';
      substituted.add(value);
      if (/[\r\n\0]/.test(value)) unusable.add(variable);
      return value;
    });
  }
  return { headers: expanded, substituted: [...substituted], missing: [...missing], unusable: [...unusable] };
}

/**
 * The variables the headers of `checks` refer to that `env` does not set (or sets to ''), each once, in order:
 * the verify action refuses before anything is written when there is one.
 */
export function missingHeaderVariables(checks: readonly CheckSpec[], env: VariableSource): string[] {
  const missing = new Set<string>();
  for (const check of checks) {
    if (check.kind !== 'prometheus' || !check.headers) continue;
    for (const template of Object.values(check.headers)) {
      for (const name of referencedVariables(template)) if (!isSet(env, name)) missing.add(name);
    }
  }
  return [...missing];
}

/**
 * The refusal of checks whose headers name variables the step does not set (or sets to ''), made before any
 * write; `source` says where the checks come from.
 */
export function missingHeaderVariablesError(missing: string[], source: string): UserError {
  const several = missing.length > 1;
  const example = `${missing[0] ?? 'NAME'}: \${{ secrets.${missing[0] ?? 'NAME'} }}`;
  return new UserError(
    `The headers of the checks (${source}) need the environment variable${several ? 's' : ''} ` +
      `${missing.join(', ')}, which the step does not set (or sets empty). Set ${several ? 'them' : 'it'} in ` +
      `the step's 'env:', e.g. '${example}'.`,
    { hint: ['env:', ...missing.map((name) => `  ${name}: \${{ secrets.${name} }}`)].join('\n') },
  );
}
