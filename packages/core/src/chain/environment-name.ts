/**
 * Rules for an environment name. A name is used as a GitHub environment and inside a git ref
 * (`refs/tags/env/<name>`), so it must be valid as both: letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit, not ending in `.lock` or `.`, at most 255 characters (GitHub's limit).
 */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** GitHub's longest environment name. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 255;

/** Why `name` cannot be an environment name, or undefined when it can. */
export function environmentNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_ENVIRONMENT_NAME_LENGTH) {
    return `is ${name.length} characters long; GitHub allows at most ${MAX_ENVIRONMENT_NAME_LENGTH}`;
  }
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    return 'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit';
  }
  if (name.includes('..') || name.endsWith('.') || name.toLowerCase().endsWith('.lock')) {
    return 'is not valid inside a git ref (no "..", no trailing "." or ".lock")';
  }
  return undefined;
}
