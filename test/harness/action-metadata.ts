import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SUITE_ACTIONS } from '../../packages/core/src/github/action-permissions.js';

/** The repository root (where `<action>/action.yml` live). */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The six actions of the suite (the core's own list). */
export const ACTION_NAMES = SUITE_ACTIONS;
export type ActionName = (typeof ACTION_NAMES)[number];

/** The parts of `action.yml` the runner reads to start a JavaScript action. */
export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
  /** Absolute path of `runs.main`. */
  mainPath: string;
  /** Absolute path of the action.yml. */
  file: string;
}

/** The metadata read so far, by file, with the file's size and time of change when it was read. */
const read = new Map<string, { version: string; metadata: ActionMetadata }>();

/**
 * Reads `<action>/action.yml` as the runner does, resolving `runs.main` against the action's folder. Every step
 * of every test reads it: it is parsed again only when the file changed. The answer is a copy, free to change.
 */
export function readActionMetadata(action: string): ActionMetadata {
  const file = join(REPOSITORY_ROOT, action, 'action.yml');
  const { size, mtimeMs } = statSync(file);
  const version = `${size} ${mtimeMs}`;
  const known = read.get(file);
  if (known?.version === version) return structuredClone(known.metadata);
  const document = parse(readFileSync(file, 'utf8')) as Omit<ActionMetadata, 'mainPath' | 'file'>;
  const metadata: ActionMetadata = {
    ...document,
    inputs: document.inputs ?? {},
    outputs: document.outputs ?? {},
    file,
    mainPath: resolve(dirname(file), document.runs.main),
  };
  read.set(file, { version, metadata });
  return structuredClone(metadata);
}
