/**
 * A cache, across processes, of data derived from large files of the emulator's dependencies (GitHub's OpenAPI
 * description, its GraphQL schema): each test file is a new process or module registry, and deriving the data
 * again each time costs far more than reading it back. Entries live in the temporary directory, named after
 * everything they depend on, so that any change makes a new one; an entry that cannot be read is derived again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What an entry depends on: source files (their path, size and time of change) and anything else. */
export interface DerivedFrom {
  files: string[];
  /** The code deriving it and its parameters, e.g. the source of the functions that do it. */
  other: unknown;
}

/** The data `derive` makes from `from`, read back from the cache `name` when it was made before. */
export function cachedDerivation<T>(name: string, from: DerivedFrom, derive: () => T): T {
  const file = entryFile(name, from);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    // Not made yet (or unreadable): made below.
  }
  const data = derive();
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written whole or not at all: another process may read it at any moment.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(data));
    renameSync(partial, file);
  } catch {
    // A read-only or full temporary directory: every process derives the data itself.
  }
  return data;
}

function entryFile(name: string, from: DerivedFrom): string {
  const hash = createHash('sha256');
  for (const file of from.files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(JSON.stringify([file, size, mtimeMs]));
  }
  hash.update(JSON.stringify(from.other));
  return join(tmpdir(), 'github-emulator-cache', `${name}-${hash.digest('hex').slice(0, 32)}.json`);
}
