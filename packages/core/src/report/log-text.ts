/**
 * Text for the job log. The runner reads any log line that starts with `::` (or `##[`) as a workflow command,
 * so a commit message, a payload field or a deploy command's output could otherwise add masks, annotations or
 * stop command processing. Every line that could be read so is made inert by a zero-width space in front.
 */
const COMMAND_LIKE = /^\s*(::|##\[)/;

/** `message` with every line that would read as a workflow command made inert. */
export function inertLogText(message: string): string {
  return message
    .split(/\r?\n|\r/)
    .map((line) => (COMMAND_LIKE.test(line) ? `\u200b${line}` : line))
    .join('\n');
}
