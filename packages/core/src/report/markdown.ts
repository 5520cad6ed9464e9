/**
 * Building blocks of the Markdown the suite writes (job summaries, Release bodies). They escape nothing
 * themselves beyond what they say: untrusted text goes through the Markdown functions of `text/escape.ts`
 * (`markdownText`, `markdownCell`, `markdownCode`) before it reaches them.
 */
import { markdownText, markdownUrl } from '../text/escape.js';

/** A link; the label is untrusted text, the URL must be http(s) or the label is shown alone. */
export function link(label: string, url: string | undefined): string {
  const safeUrl = markdownUrl(url);
  return safeUrl ? `[${markdownText(label)}](${safeUrl})` : markdownText(label);
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
