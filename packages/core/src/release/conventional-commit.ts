/**
 * Reading a commit message as a Conventional Commit (`type(scope)!: description`, then an optional body and
 * footers). Anything that does not have that shape is still a commit: it parses with no type, and its subject
 * becomes the description, so release notes can list it under "other changes".
 */

/** What a commit message says about itself, read as a Conventional Commit. */
export interface ConventionalCommit {
  /** The type in lower case (`feat`, `fix`, ...); `undefined` when the subject is not conventional. */
  type: string | undefined;
  /** The scope between parentheses, trimmed; `undefined` when absent or empty. */
  scope: string | undefined;
  /** A `!` before the colon, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer. */
  breaking: boolean;
  /** The text after `type(scope)!:`, trimmed; for a non-conventional message, its whole first line, trimmed. */
  description: string;
}

/**
 * `type`, optional `(scope)`, optional `!`, a colon, at least one space, then a description. The type is a word
 * of letters, digits, `-` and `_` starting with a letter (so `http://...` or `12:30 meeting` do not match).
 */
const HEADER = /^([a-z][\w-]*)(?:\(([^()]*)\))?(!)?:\s+(\S.*)$/i;

/** A footer announcing a breaking change. The Conventional Commits specification wants these tokens upper case. */
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:\s*\S/;

/**
 * Parses a commit message (its first line is the subject). The type is matched case-insensitively and returned
 * lower case. A `BREAKING CHANGE:` or `BREAKING-CHANGE:` line after the subject marks the commit breaking even
 * when the subject is not conventional: the footer states the author's intent on its own.
 */
export function parseConventionalCommit(message: string): ConventionalCommit {
  const [firstLine = '', ...rest] = message.split(/\r?\n|\r/);
  const subject = firstLine.trim();
  const footerBreaking = rest.some((line) => BREAKING_FOOTER.test(line.trim()));
  const match = HEADER.exec(subject);
  if (!match) {
    return { type: undefined, scope: undefined, breaking: footerBreaking, description: subject };
  }
  const [, type = '', scope, bang, description = ''] = match;
  const trimmedScope = scope?.trim();
  return {
    type: type.toLowerCase(),
    scope: trimmedScope ? trimmedScope : undefined,
    breaking: bang === '!' || footerBreaking,
    description: description.trim(),
  };
}
