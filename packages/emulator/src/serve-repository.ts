/**
 * Serving an existing git repository without changing it: the emulator works in a state repository of its own
 * (a temporary directory), which borrows the source's objects through git's alternates and copies its branches
 * and tags. Every object and ref the emulator writes lands there; the source is only read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { startEmulator, type Emulator } from './emulator.js';

/** A `--repo` the emulator cannot serve: not a git repository, or one without a commit. */
export class RepositorySourceError extends Error {
  override readonly name = 'RepositorySourceError';
}

/** What was read of the source repository, and where the emulator's own copy lives. */
export interface PreparedRepository {
  /** The source repository's work tree (or git directory, for a bare one), absolute. */
  source: string;
  /** The temporary directory holding the emulator's state; removed by {@link ServedRepository.close}. */
  stateDirectory: string;
  /** The emulator's repository (a work tree whose `.git` borrows the source's objects). */
  repositoryDirectory: string;
  /** The branch the source's `HEAD` names (`main` when `HEAD` is detached). */
  defaultBranch: string;
  /** The commit at the tip of {@link defaultBranch}. */
  head: string;
  /** The source folder's name: the repository name served by default. */
  folderName: string;
}

/** Options of {@link serveRepository}. */
export interface ServeRepositoryOptions {
  /** The git repository to serve (its work tree or, for a bare repository, its directory). */
  source: string;
  owner: string;
  /** Default: the source folder's name. */
  name?: string;
  /** Check requests and answers against GitHub's OpenAPI description. Default `true`. */
  validate?: boolean;
}

/** An emulator serving a prepared repository; `close()` also removes the state directory. */
export interface ServedRepository {
  emulator: Emulator;
  prepared: PreparedRepository;
  close(): Promise<void>;
}

/** Runs git read-only in `directory` and returns its trimmed output, `undefined` when git fails. */
function readGit(directory: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    })
      .toString('utf8')
      .trim();
  } catch {
    return undefined;
  }
}

/** Runs git in the emulator's own repository; throws with git's message when it fails. */
function writeGit(directory: string, args: string[]): void {
  execFileSync('git', args, {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
}

/**
 * Reads what the emulator needs of `source`: the branch `HEAD` names and its commit, and the objects directory
 * to borrow. Throws {@link RepositorySourceError} naming the fix when `source` is not a git repository or has no
 * commit. Only reads.
 */
export function inspectRepository(source: string): {
  source: string;
  objectsDirectory: string;
  defaultBranch: string;
  head: string;
} {
  // Relative to where the user called npm from (npm runs the script in the suite's folder).
  const absolute = resolve(process.env.INIT_CWD ?? process.cwd(), source);
  const gitDirectory = readGit(absolute, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (gitDirectory === undefined) {
    throw new RepositorySourceError(
      `--repo ${source}: not a git repository (git rev-parse found none at ${absolute}). ` +
        'Pass the folder of a git repository (its work tree, or a bare repository), e.g. --repo .',
    );
  }
  const branch = readGit(absolute, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const head = readGit(absolute, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head) {
    throw new RepositorySourceError(
      `--repo ${source}: the repository has no commit yet` +
        (branch ? ` (branch ${branch} is unborn)` : '') +
        '. Commit at least once (git commit --allow-empty -m "Initial commit") and start the emulator again.',
    );
  }
  return {
    source: absolute,
    objectsDirectory: join(gitDirectory, 'objects'),
    defaultBranch: branch || 'main',
    head,
  };
}

/**
 * Makes the emulator's state repository for `source` in a new temporary directory: `git init`, the source's
 * objects borrowed through `objects/info/alternates` (nothing is copied, nothing is written to the source), its
 * branches and tags fetched, `HEAD` on the source's branch. Throws {@link RepositorySourceError} as
 * {@link inspectRepository} does; removes the directory again when a later step fails.
 */
export function prepareRepository(source: string): PreparedRepository {
  const found = inspectRepository(source);
  const stateDirectory = mkdtempSync(join(tmpdir(), 'github-emulator-repo-'));
  const repositoryDirectory = join(stateDirectory, 'repository');
  try {
    writeGit(stateDirectory, ['init', '--quiet', '-b', found.defaultBranch, repositoryDirectory]);
    writeFileSync(
      join(repositoryDirectory, '.git', 'objects', 'info', 'alternates'),
      `${found.objectsDirectory}\n`,
    );
    writeGit(repositoryDirectory, [
      'fetch',
      '--quiet',
      '--no-tags',
      '--update-head-ok',
      '--no-write-fetch-head',
      found.source,
      '+refs/heads/*:refs/heads/*',
      '+refs/tags/*:refs/tags/*',
    ]);
    // A detached HEAD names no branch: the emulator serves its commit as `main`.
    writeGit(repositoryDirectory, ['update-ref', `refs/heads/${found.defaultBranch}`, found.head]);
  } catch (error) {
    rmSync(stateDirectory, { recursive: true, force: true });
    throw error;
  }
  return {
    source: found.source,
    stateDirectory,
    repositoryDirectory,
    defaultBranch: found.defaultBranch,
    head: found.head,
    folderName: basename(found.source).replace(/\.git$/, '') || 'repository',
  };
}

/**
 * Starts an emulator serving `options.source` as `owner/name`. The emulator's start-up commit (it always makes
 * one) is taken back, so the default branch is at the source's head: the commits served are the source's own.
 */
export async function serveRepository(options: ServeRepositoryOptions): Promise<ServedRepository> {
  const prepared = prepareRepository(options.source);
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      owner: options.owner,
      repo: options.name ?? prepared.folderName,
      defaultBranch: prepared.defaultBranch,
      directory: prepared.repositoryDirectory,
      validate: options.validate,
    });
    emulator.git.run(['update-ref', `refs/heads/${prepared.defaultBranch}`, prepared.head]);
  } catch (error) {
    rmSync(prepared.stateDirectory, { recursive: true, force: true });
    throw error;
  }
  return {
    emulator,
    prepared,
    async close() {
      await emulator.close();
      rmSync(prepared.stateDirectory, { recursive: true, force: true });
    },
  };
}
