/**
 * Markdown for job summaries and release bodies. Every piece of untrusted text (commit messages, names,
 * payload fields) goes through {@link text} or {@link cell} before it reaches Markdown, so it cannot inject
 * HTML, break a table, form links or mention people.
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|~>]/g;
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Untrusted text as inert inline Markdown: one line, no HTML, no formatting, no @mentions or #references. */
export function text(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[&<>"]/g, (character) => HTML_SPECIAL[character] ?? character)
    .replace(MARKDOWN_SPECIAL, (character) => `\\${character}`)
    .replace(/@(?=\w)/g, '@\u200b')
    .replace(/(?<=\\#)(?=\d)/g, '\u200b');
}

/** Untrusted text for a table cell (pipes are escaped by {@link text}). Empty becomes an em dash. */
export function cell(value: string | null | undefined): string {
  return value ? text(value) : '—';
}

/**
 * A value in code style (sha, number, version, environment name). Backticks cannot end the span, a pipe
 * cannot end a table cell, and line breaks become spaces.
 */
export function code(value: string): string {
  return `\`${value
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')}\``;
}

/** A link; the label is untrusted text, the URL must be http(s) or the label is shown alone. */
export function link(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return text(label);
  const safeUrl = url.replace(
    /[()\s<>"]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${text(label)}](${safeUrl})`;
}

/** A Markdown table. Cells must already be escaped. */
export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The first 7 characters of a sha. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
