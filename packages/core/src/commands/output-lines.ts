/**
 * How a command's output becomes lines: the pure rules `runShellCommand` applies to what arrives on stdout and
 * stderr, kept apart from the process handling so that each one is checked with a table of cases.
 */

/** A line longer than this is cut in a report's tail (the log receives it whole, up to {@link MAX_PENDING_LINE}). */
export const TAIL_LINE_LENGTH = 500;
/** Output without a newline is passed on in pieces of this size, so a command printing no newline cannot fill memory. */
export const MAX_PENDING_LINE = 64 * 1024;

/**
 * Splits output received so far into the complete lines it holds (without their `\n`, or a `\r\n` as Windows tools
 * print it) and the rest, which waits for more output. A rest longer than `maxLine` is passed on in pieces of
 * `maxLine` characters, as lines of their own.
 */
export function takeLines(
  text: string,
  maxLine: number = MAX_PENDING_LINE,
): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let rest = text;
  let newline: number;
  while ((newline = rest.indexOf('\n')) >= 0) {
    lines.push(rest.slice(0, newline).replace(/\r$/, ''));
    rest = rest.slice(newline + 1);
  }
  while (rest.length > maxLine) {
    lines.push(rest.slice(0, maxLine));
    rest = rest.slice(maxLine);
  }
  return { lines, rest };
}

/** The last piece of output, once the command is done: its line, or none when nothing was left waiting. */
export function lastLine(rest: string): string | undefined {
  return rest === '' ? undefined : rest.replace(/\r$/, '');
}

/** A line as a report's tail keeps it: cut to `length` characters, the cut marked with an ellipsis. */
export function tailEntry(line: string, length: number = TAIL_LINE_LENGTH): string {
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
