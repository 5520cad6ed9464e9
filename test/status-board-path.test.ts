/**
 * status's `board` input, in-process on the emulator: a page inside the workspace is written (relative or
 * absolute), a path leaving it is refused before any request to GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { statusAction } from '../packages/core/src/definitions/status.js';
import { runActionInProcess } from './harness/in-process-action.js';

let emulator: Emulator;
let sha: string;
let workspace: string;
const outside = mkdtempSync(join(tmpdir(), 'board-outside-'));

beforeAll(async () => {
  emulator = await startEmulator();
  sha = emulator.git.commit('feat: first');
  workspace = mkdtempSync(join(tmpdir(), 'board-workspace-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github', 'promotion.yml'), 'environments: [integration, production]\n');
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Runs status with `board`, the request log cleared first. */
async function status(board: string) {
  emulator.resetLog();
  return runActionInProcess(statusAction, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha,
    workspace,
    inputs: { board },
  });
}

describe("status's board: inside the workspace only", () => {
  it.each([
    { board: 'site/board.html', file: () => join(workspace, 'site', 'board.html') },
    { board: 'ABSOLUTE/site/absolute.html', file: () => join(workspace, 'site', 'absolute.html') },
  ])('writes $board', async ({ board, file }) => {
    const result = await status(board.replace('ABSOLUTE', workspace));
    expect(result.errors).toEqual([]);
    expect(result.outputs.board).toBe(file());
    // The log counts status's reads, so an empty one below means no request was made.
    expect(Object.keys(emulator.requestCounts()).length).toBeGreaterThan(0);
    expect(readFileSync(file(), 'utf8')).toContain('<title>Promotion board');
  });

  it.each([
    { board: '../board.html', says: /'board' is '\.\.\/board\.html', which leads outside the workspace/ },
    { board: 'OUTSIDE/board.html', says: /which is not a file inside the workspace/ },
    { board: 'ABSOLUTE/../board.html', says: /which is not a file inside the workspace/ },
  ])('refuses $board before any request, writing nothing', async ({ board, says }) => {
    const given = board.replace('OUTSIDE', outside).replace('ABSOLUTE', workspace);
    const result = await status(given);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(says);
    expect(emulator.requestCounts()).toEqual({});
    expect(existsSync(join(outside, 'board.html'))).toBe(false);
    expect(result.outputs.board).toBeUndefined();
  });
});
