/**
 * Where status may write the promotion board: a file inside the workspace, never outside it. The `board` input
 * is a path the workflow gives, relative to the workspace (or absolute inside it, as `${{ github.workspace }}/…`
 * spells it); a path that leaves the workspace would let a step overwrite files of the runner, so it is refused
 * before anything is read from GitHub.
 */
import path from 'node:path';
import { InputError } from '../errors.js';

const EXAMPLE = "'board/index.html'";

/**
 * The `board` input checked as far as the input alone tells: undefined when empty (no page); refused when a
 * relative path climbs out of the workspace with `..` or names a directory. An absolute path is kept as given:
 * whether it lies inside the workspace is {@link boardFilePath}'s question, which knows the workspace.
 */
export function readBoardInput(given: string): string | undefined {
  const board = given.trim();
  if (board === '') return undefined;
  if (isAbsolutePath(board)) return board;
  const normalized = path.posix.normalize(board.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(
      'board',
      `is '${board}', which leads outside the workspace`,
      `Give a path inside the workspace, relative to it, e.g. ${EXAMPLE}; to publish the page elsewhere, ` +
        'write it there and upload or copy it in a later step.',
    );
  }
  if (normalized === '.' || normalized.endsWith('/')) {
    throw new InputError(
      'board',
      `is '${board}', a directory`,
      `Give the path of the HTML file, e.g. ${EXAMPLE}.`,
    );
  }
  return board;
}

/**
 * The absolute path of the board file: `board` resolved against the workspace (the current directory when
 * `GITHUB_WORKSPACE` is unknown, as before). Throws an input error when it is not inside the workspace — an
 * absolute path elsewhere, or the workspace itself.
 */
export function boardFilePath(board: string, workspace: string | undefined): string {
  const root = path.resolve(workspace ?? process.cwd());
  const file = path.resolve(root, board);
  const inside = path.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw new InputError(
      'board',
      `is '${board}', which is not a file inside the workspace (${root})`,
      `Give a path relative to the workspace, e.g. ${EXAMPLE}, or an absolute path inside it ` +
        "(e.g. '${{ github.workspace }}/board/index.html').",
    );
  }
  return file;
}

/** Whether `text` is an absolute path on either kind of runner (`/home/runner/…`, `D:\a\…`). */
function isAbsolutePath(text: string): boolean {
  return path.posix.isAbsolute(text) || path.win32.isAbsolute(text);
}
