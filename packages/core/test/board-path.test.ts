/**
 * Where status may write the promotion board (`use-cases/board-path.ts`): inside the workspace only. A row per
 * path a workflow may give: what the input alone refuses, then where the file lands or why it is refused.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { InputError } from '../src/errors.js';
import { boardFilePath, readBoardInput } from '../src/use-cases/board-path.js';

const WORKSPACE = '/home/runner/work/shop/shop';

describe('readBoardInput: what the input alone tells', () => {
  it.each([
    { given: '', board: undefined },
    { given: '   ', board: undefined },
    { given: 'board/index.html', board: 'board/index.html' },
    { given: ' board.html ', board: 'board.html' },
    { given: './site/board.html', board: './site/board.html' },
    { given: 'site/../board.html', board: 'site/../board.html' },
    { given: '..board.html', board: '..board.html' },
    { given: '/tmp/board.html', board: '/tmp/board.html' },
    { given: `${WORKSPACE}/board.html`, board: `${WORKSPACE}/board.html` },
  ])('keeps $given', ({ given, board }) => {
    expect(readBoardInput(given)).toBe(board);
  });

  it.each([
    { given: '..', says: "Input 'board' is '..', which leads outside the workspace. Give a path inside" },
    { given: '../site/index.html', says: "'../site/index.html', which leads outside the workspace" },
    { given: 'board/../../index.html', says: "'board/../../index.html', which leads outside the workspace" },
    { given: '..\\site\\index.html', says: 'which leads outside the workspace' },
    {
      given: '.',
      says: "Input 'board' is '.', a directory. Give the path of the HTML file, e.g. 'board/index.html'.",
    },
    { given: 'site/', says: "Input 'board' is 'site/', a directory." },
  ])('refuses $given', ({ given, says }) => {
    expect(() => readBoardInput(given)).toThrow(InputError);
    expect(() => readBoardInput(given)).toThrow(says);
  });
});

describe('boardFilePath: the file, inside the workspace', () => {
  it.each([
    { board: 'board/index.html', file: `${WORKSPACE}/board/index.html` },
    { board: './board.html', file: `${WORKSPACE}/board.html` },
    { board: 'site/../board.html', file: `${WORKSPACE}/board.html` },
    { board: `${WORKSPACE}/site/board.html`, file: `${WORKSPACE}/site/board.html` },
    { board: `${WORKSPACE}/../shop/board.html`, file: `${WORKSPACE}/board.html` },
  ])('writes $board at $file', ({ board, file }) => {
    expect(boardFilePath(board, WORKSPACE)).toBe(file);
  });

  it.each([
    { board: '/tmp/board.html' },
    { board: '/home/runner/work/shop/shop-other/board.html' },
    { board: `${WORKSPACE}/../board.html` },
    { board: WORKSPACE },
    { board: '../board.html' },
  ])('refuses $board', ({ board }) => {
    expect(() => boardFilePath(board, WORKSPACE)).toThrow(InputError);
    expect(() => boardFilePath(board, WORKSPACE)).toThrow(
      `Input 'board' is '${board}', which is not a file inside the workspace (${WORKSPACE}). ` +
        "Give a path relative to the workspace, e.g. 'board/index.html', or an absolute path inside it",
    );
  });

  it('resolves against the current directory when the workspace is unknown', () => {
    expect(boardFilePath('board.html', undefined)).toBe(path.resolve('board.html'));
    expect(() => boardFilePath('../board.html', undefined)).toThrow(/not a file inside the workspace/);
  });
});
