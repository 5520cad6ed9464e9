/**
 * Rules for an environment name. A name is used as a GitHub environment and inside a git ref
 * (`refs/tags/env/<name>`), so it must be valid as both: letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit, not ending in `.lock` or `.`, at most 255 characters (GitHub's limit). The rule is stated
 * here once, in parts: the validator's reasons ({@link environmentNameProblem}) and the JSON Schema's pattern
 * ({@link ENVIRONMENT_NAME_RULE}) are both built from them.
 */
import type { ConfigRule } from './config-rule.js';

/** GitHub's longest environment name. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 255;

/** The characters a name is made of: letters, digits, `.`, `_` and `-`, the first a letter or digit. */
const NAME_CHARACTERS = '[A-Za-z0-9][A-Za-z0-9._-]*';

/** What git refuses inside a ref, none of which may match a name: `..`, a trailing `.` or `.lock` (any case). */
const REFUSED_IN_REFS = ['\\.\\.', '\\.$', '\\.[Ll][Oo][Cc][Kk]$'] as const;

/** A name made of the allowed characters only; the git-ref rules are checked apart, to say which one failed. */
export const ENVIRONMENT_NAME_PATTERN = new RegExp(`^${NAME_CHARACTERS}$`);

const REFUSED_IN_REFS_PATTERN = new RegExp(REFUSED_IN_REFS.join('|'));

/**
 * The whole rule as one expression, for the JSON Schema, which cannot run {@link environmentNameProblem}: each
 * git-ref rule becomes a look-ahead. The length limit is the schema's `maxLength`.
 */
export const ENVIRONMENT_NAME_SCHEMA_PATTERN = `^${REFUSED_IN_REFS.map((refused) => `(?!.*${refused})`).join('')}${NAME_CHARACTERS}$`;

/** An environment name as the published schema states it (`definitions.environmentName`). */
export const ENVIRONMENT_NAME_RULE = {
  description:
    "A GitHub environment name, also used inside git refs: letters, digits, '.', '_' and '-', starting with " +
    `a letter or digit, without '..' and not ending in '.' or '.lock'; at most ${MAX_ENVIRONMENT_NAME_LENGTH} characters.`,
  type: 'string',
  minLength: 1,
  maxLength: MAX_ENVIRONMENT_NAME_LENGTH,
  pattern: ENVIRONMENT_NAME_SCHEMA_PATTERN,
  examples: ['integration', 'preproduction', 'production'],
  fix: "Write the GitHub environment's name, e.g. 'production'.",
} as const satisfies ConfigRule;

/** Why `name` cannot be an environment name, or undefined when it can. */
export function environmentNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_ENVIRONMENT_NAME_LENGTH) {
    return `is ${name.length} characters long; GitHub allows at most ${MAX_ENVIRONMENT_NAME_LENGTH}`;
  }
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    return 'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit';
  }
  if (REFUSED_IN_REFS_PATTERN.test(name)) {
    return 'is not valid inside a git ref (no "..", no trailing "." or ".lock")';
  }
  return undefined;
}
