/**
 * Reads a repository's refs from its files (`.git/refs/**` and `.git/packed-refs`, git's "files" ref storage)
 * without starting git: the emulator lists refs on nearly every request, and a git process costs far more than
 * reading a few small files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{40}$/;
const SYMBOLIC = /^ref: (refs\/\S+)$/;
/** How deep symbolic refs are followed (git's own limit is 5). */
const MAX_SYMBOLIC_DEPTH = 5;

/**
 * Every ref under `refs/` with the object it points at, sorted by name as `git for-each-ref` sorts them;
 * `undefined` when the repository does not keep its refs in files (reftable, a bare or linked repository), so
 * that the caller asks git instead. Loose refs are read before `packed-refs` and win over it, as in git.
 */
export function readRefFiles(
  directory: string,
): { refs: Array<{ name: string; sha: string }>; looseFiles: number } | undefined {
  const gitDirectory = join(directory, '.git');
  if (!isDirectory(join(gitDirectory, 'refs')) || existsSync(join(gitDirectory, 'reftable')))
    return undefined;
  const values = new Map<string, string>();
  readLooseRefs(join(gitDirectory, 'refs'), 'refs', values);
  const looseFiles = values.size;
  for (const [name, value] of readPackedRefs(gitDirectory)) if (!values.has(name)) values.set(name, value);
  const refs: Array<{ name: string; sha: string }> = [];
  for (const name of values.keys()) {
    const sha = resolveValue(values, name);
    if (sha) refs.push({ name, sha });
  }
  refs.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return { refs, looseFiles };
}

/**
 * The object the full ref `name` (`refs/heads/main`) points at, read from its file or `packed-refs`, following
 * symbolic refs; `null` when there is no such ref; `undefined` when the repository does not keep its refs in files.
 */
export function readRefFile(directory: string, name: string): string | null | undefined {
  const gitDirectory = join(directory, '.git');
  if (!isDirectory(join(gitDirectory, 'refs')) || existsSync(join(gitDirectory, 'reftable')))
    return undefined;
  let packed: Map<string, string> | undefined;
  const valueOf = (ref: string): string | undefined => {
    if (!ref.startsWith('refs/') || ref.split('/').some((part) => part === '..' || part === ''))
      return undefined;
    try {
      return readFileSync(join(gitDirectory, ref), 'utf8').trim();
    } catch {
      packed ??= readPackedRefs(gitDirectory);
      return packed.get(ref);
    }
  };
  let value = valueOf(name);
  for (let depth = 0; value !== undefined && depth <= MAX_SYMBOLIC_DEPTH; depth++) {
    if (SHA.test(value)) return value;
    const target = SYMBOLIC.exec(value)?.[1];
    value = target === undefined ? undefined : valueOf(target);
  }
  return null;
}

/** The object a ref leads to, following symbolic refs; `undefined` for a broken one (git skips those too). */
function resolveValue(values: Map<string, string>, name: string): string | undefined {
  let value = values.get(name);
  for (let depth = 0; value !== undefined && depth <= MAX_SYMBOLIC_DEPTH; depth++) {
    if (SHA.test(value)) return value;
    const target = SYMBOLIC.exec(value)?.[1];
    value = target === undefined ? undefined : values.get(target);
  }
  return undefined;
}

function readLooseRefs(folder: string, prefix: string, values: Map<string, string>): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.endsWith('.lock')) continue;
    const path = join(folder, entry);
    const name = `${prefix}/${entry}`;
    if (isDirectory(path)) {
      readLooseRefs(path, name, values);
      continue;
    }
    try {
      values.set(name, readFileSync(path, 'utf8').trim());
    } catch {
      // Deleted while being listed: the ref is gone.
    }
  }
}

function readPackedRefs(gitDirectory: string): Map<string, string> {
  const values = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(join(gitDirectory, 'packed-refs'), 'utf8');
  } catch {
    return values;
  }
  for (const line of text.split('\n')) {
    // `# pack-refs with: ...` is the header, `^<sha>` the peeled object of the tag above.
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space === -1) continue;
    const sha = line.slice(0, space);
    const name = line.slice(space + 1).trim();
    if (SHA.test(sha) && name.startsWith('refs/')) values.set(name, sha);
  }
  return values;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
