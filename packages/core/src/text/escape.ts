/**
 * Escaping of untrusted text, for every place the suite writes it: Markdown (job summaries, Release bodies),
 * Mermaid labels inside a summary, HTML (the promotion board) and the job log. Commit messages, names, payload
 * fields, reviewers' comments and a deploy command's output all come from people or programs the workflow does
 * not control, so each goes through one of these functions before it is written.
 *
 * This module imports nothing from the project, so every layer may use it.
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|~>]/g;
const HTML_IN_MARKDOWN: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const HTML_SPECIAL: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Untrusted text as inert inline Markdown: one line, no HTML, no formatting, no @mentions or #references. */
export function markdownText(value: string): string {
  return (
    value
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/[&<>"]/g, (character) => HTML_IN_MARKDOWN[character] ?? character)
      .replace(MARKDOWN_SPECIAL, (character) => `\\${character}`)
      // A zero-width space after `@` keeps the name readable but notifies nobody; one after `\#` keeps a
      // number from being linked to an issue or pull request.
      .replace(/@(?=\w)/g, '@\u200b')
      .replace(/(?<=\\#)(?=\d)/g, '\u200b')
  );
}

/** Untrusted text for a table cell (pipes are escaped by {@link markdownText}). Empty becomes an em dash. */
export function markdownCell(value: string | null | undefined): string {
  return value ? markdownText(value) : '—';
}

/**
 * A value in code style (sha, number, version, environment name). Backticks cannot end the span, a pipe
 * cannot end a table cell, and line breaks become spaces.
 */
export function markdownCode(value: string): string {
  return `\`${value
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')}\``;
}

/**
 * The address of a Markdown link, or undefined when it is not http(s) (a `javascript:` or relative address is
 * never linked). Characters that could end the address or the link are percent-encoded.
 */
export function markdownUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  return url.replace(
    /[()\s<>"]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/**
 * A fenced code block that its content cannot close: the fence is one backtick longer than the longest run of
 * backticks inside (three at least), so the content is shown exactly as it is, whatever it holds.
 */
export function markdownCodeBlock(content: string, language = 'text'): string {
  let longest = 2;
  for (const run of content.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${content.replace(/\r/g, '')}\n${fence}`;
}

/**
 * One line of program output as inert Markdown that keeps its indentation: leading spaces become
 * non-breaking spaces (tabs count two), the rest is {@link markdownText}, and an invisible first character
 * keeps the line from starting a heading, list, quote, rule or code block.
 */
export function markdownLiteralLine(line: string): string {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  const nbsp = indent.replace(/\t/g, '  ').replace(/ /g, '&nbsp;');
  return `&#8203;${nbsp}${markdownText(line.slice(indent.length))}`;
}

/** A label of a Mermaid diagram: it cannot break out of its quotes, its line or its edge. */
export function mermaidLabel(value: string): string {
  return value.replace(/["<>`|]/g, '').replace(/[\r\n]+/g, ' ');
}

/**
 * Untrusted text as inert HTML, safe in element text and in a quoted attribute value (single or double
 * quotes): no tag, entity or attribute can start or end inside it.
 */
export function htmlText(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_SPECIAL[character] ?? character);
}

/*
 * How the runner reads a step's log: each line printed is checked for a workflow command. A line whose first
 * characters, once blanks are skipped, are `::` is one (`::name key=value::data`); the older form
 * `##[name key=value]data` is found anywhere in a line. `::stop-commands::TOKEN` makes the runner ignore
 * every command until one named TOKEN (`::TOKEN::`), so a single untrusted line could also silence the suite's
 * own later errors and masks. The blanks the runner skips include U+0085 (next line), which `\s` does not
 * match. A zero-width space is not a blank to the runner: written first on a line, it keeps the line from
 * starting with `::`, and written between the two `#` it breaks `##[`.
 */
const COMMAND_START = /^[\s\u0085]*::/;
const OLD_COMMAND = /##\[/g;

/**
 * `message` for the job log with no line the runner would read as a workflow command: a zero-width space goes
 * first on every line starting with `::` (after blanks) and into every `##[`. Line breaks become `\n`.
 */
export function inertWorkflowCommands(message: string): string {
  return message
    .split(/\r?\n|\r/)
    .map((line) => (COMMAND_START.test(line) ? `\u200b${line}` : line).replace(OLD_COMMAND, '#\u200b#['))
    .join('\n');
}
