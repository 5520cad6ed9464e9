/**
 * The real git repository behind the emulator, driven through the git CLI. Commits are written with
 * `git fast-import` straight into branches (the work tree is never checked out), refs with `git update-ref`,
 * annotated tags with `git mktag`.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRefFile, readRefFiles } from './ref-files.js';

/** A person in a git commit or tag, with an ISO 8601 date (`2024-05-01T12:00:00Z`). */
export interface GitIdentity {
  name: string;
  email: string;
  date: string;
}

/** A commit as read from git. */
export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

/** A ref as read from git. */
export interface GitRef {
  /** Full name, e.g. `refs/tags/v1.0.0`. */
  name: string;
  sha: string;
  /** Type of the object the ref points at: `commit` or `tag` (or, rarely, `tree`/`blob`). */
  type: string;
}

/** One change of an atomic ref transaction ({@link GitRepository.updateRefsAtomically}). */
export interface RefTransactionStep {
  /** Full ref name, e.g. `refs/tags/env/production`. */
  name: string;
  /** The new value; `undefined` deletes the ref. */
  newSha: string | undefined;
  /** The value the ref must have for the transaction to apply; `undefined` = the ref must not exist. */
  oldSha: string | undefined;
}

/** An annotated tag object as read from git. */
export interface GitTag {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: string };
  tagger: GitIdentity;
}

/** An entry of a tree, as listed by `git ls-tree`. */
export interface GitTreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number;
  path: string;
}

/** What a path names at a revision: a file (with its bytes) or a directory (with its entries). */
export type GitPathContent =
  | { kind: 'file'; sha: string; content: Buffer }
  | { kind: 'directory'; sha: string; entries: GitTreeEntry[] };

/** Options of {@link GitRepository.commit}. */
export interface CommitOptions {
  /** Files to write (path → content); without any, a marker file is rewritten so every commit differs. */
  files?: Record<string, string>;
  author?: { name: string; email: string };
  /** Branch to advance (created from the default branch when missing). Default: the default branch. */
  branch?: string;
  /**
   * Author and committer date, ISO 8601 (`2024-05-01T12:00:00Z`; an offset such as `+02:00` is kept as the
   * commit's time zone). Default: now.
   */
  date?: string;
}

/** The refs of a repository and its commit counter, as {@link GitRepository.saveRefs} records them. */
export interface GitRefState {
  /** Every ref under `refs/`: full name → the object it points at. */
  refs: Map<string, string>;
  commitCounter: number;
}

/** Above this many loose ref files, the refs are packed (`git pack-refs`), so that reading them stays cheap. */
const LOOSE_REFS_PACKED_ABOVE = 100;

/** Whether git accepts a full ref name (`git check-ref-format`), by name: the answer depends on the name alone. */
const refNameFormats = new Map<string, boolean>();

/**
 * The places git looks for a ref named in a revision, in its order (`refs/heads/main` may also be
 * `refs/tags/refs/heads/main`, and so on).
 */
const REF_LOOKUP_PLACES = (name: string) => [
  name,
  `refs/${name}`,
  `refs/tags/${name}`,
  `refs/heads/${name}`,
  `refs/remotes/${name}`,
  `refs/remotes/${name}/HEAD`,
];

/** The identity of local commits when no author is given. */
export const DEFAULT_COMMITTER = { name: 'Octo Developer', email: 'developer@example.com' };

/** The object id git and GitHub use for "no object" (a ref that does not exist). */
export const ZERO_SHA = '0'.repeat(40);

const FIELD = '\x00';
const RECORD = '\x1e';
const COMMIT_FORMAT =
  ['%H', '%T', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x00') + '%x1e';
const MARKER_FILE = '.emulator-commit';
/** A full object id: what git answers about it never changes (objects are immutable). */
const FULL_SHA = /^[0-9a-f]{40}$/;
/** A revision of full object ids only (`a`, `^a`, `a..b`, `a...b`): the commits it names never change. */
const FIXED_REVISION = /^\^?[0-9a-f]{40}(\.\.\.?[0-9a-f]{40})?$/;

/** Thrown when a git command exits with a non-zero status. */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${exitCode ?? 'signal'}): ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

/** A git repository on disk, accessed only through the git CLI. All calls are synchronous. */
export class GitRepository {
  private commitCounter = 0;
  /**
   * Answers about objects named by full object id (their type, a commit, a tag, a path in a commit, whether one
   * commit is an ancestor of another), by question. Objects never change, so neither do these answers; only
   * answers that found something are kept (an object missing now may be written later).
   */
  private readonly objectAnswers = new Map<string, unknown>();
  /** How many holders (requests being handled) asked for one reading of the refs; see {@link holdRefs}. */
  private refHolders = 0;
  /** The refs as read while held; dropped on every ref write and when the last holder lets go. */
  private heldRefs: GitRef[] | undefined;

  private constructor(
    /** Absolute path of the repository (its work tree). */
    readonly directory: string,
    /** The branch `HEAD` points at. */
    readonly defaultBranch: string,
  ) {}

  /** Works with an existing repository (e.g. the one of a running emulator) without changing it. */
  static open(directory: string, defaultBranch: string): GitRepository {
    return new GitRepository(directory, defaultBranch);
  }

  /** Creates a repository with `git init` and a local identity, and makes an initial commit. */
  static initialize(directory: string, defaultBranch: string): GitRepository {
    const repository = new GitRepository(directory, defaultBranch);
    repository.run(['init', '--quiet', '-b', defaultBranch]);
    // What `git config` would write, in one go (each git process costs more than the whole file): the local
    // identity, no signing, and clones of this repository may push back into it although its default branch is
    // "checked out".
    appendFileSync(
      join(directory, '.git', 'config'),
      [
        '[user]',
        `\tname = ${DEFAULT_COMMITTER.name}`,
        `\temail = ${DEFAULT_COMMITTER.email}`,
        '[commit]',
        '\tgpgsign = false',
        '[tag]',
        '\tgpgsign = false',
        '[receive]',
        '\tdenyCurrentBranch = ignore',
        '',
      ].join('\n'),
    );
    repository.commit('Initial commit', { files: { 'README.md': '# Emulated repository\n' } });
    return repository;
  }

  /** Runs git with `args` and returns its trimmed standard output; throws {@link GitCommandError} on failure. */
  run(args: string[], input?: string): string {
    return this.runRaw(args, input).toString('utf8').trim();
  }

  /** Runs git and returns its standard output as bytes. */
  runRaw(args: string[], input?: string): Buffer {
    try {
      return execFileSync('git', args, {
        cwd: this.directory,
        input,
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
      });
    } catch (error) {
      const failure = error as { status?: number | null; stderr?: Buffer };
      throw new GitCommandError(args, failure.status ?? null, failure.stderr?.toString('utf8') ?? '');
    }
  }

  /** Like {@link run}, but answers `undefined` instead of throwing when git fails. */
  tryRun(args: string[], input?: string): string | undefined {
    try {
      return this.run(args, input);
    } catch (error) {
      if (error instanceof GitCommandError) return undefined;
      throw error;
    }
  }

  /**
   * While held, {@link listRefs} (and {@link readRef}) read git once and answer that reading until a ref is written
   * through this object or {@link forgetRefs} is called. The server holds the refs around each request, so one
   * request reads them once; a request starting reads them afresh. Returns the function that lets go.
   */
  holdRefs(): () => void {
    this.heldRefs = undefined;
    this.refHolders += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.refHolders -= 1;
      if (this.refHolders === 0) this.heldRefs = undefined;
    };
  }

  /** Forgets the refs read while held: call after changing refs other than through this object. */
  forgetRefs(): void {
    this.heldRefs = undefined;
  }

  /** The answer kept for `question`, else `compute()`'s (kept unless `undefined`). */
  private objectAnswer<T>(question: string, compute: () => T | undefined): T | undefined {
    if (this.objectAnswers.has(question)) return this.objectAnswers.get(question) as T;
    const answer = compute();
    if (answer !== undefined) this.objectAnswers.set(question, answer);
    return answer;
  }

  /** Commits on a branch (default: the default branch) and returns the new commit's sha. */
  commit(message: string, options: CommitOptions = {}): string {
    const [sha] = this.commitMany([{ message, ...options }]);
    return sha as string;
  }

  /**
   * Writes several commits in one `git fast-import` run (fast: one process for any number of commits) and returns
   * their shas in order. Each commit advances its branch.
   */
  commitMany(commits: Array<CommitOptions & { message: string }>): string[] {
    const now = Math.floor(Date.now() / 1000);
    const tips = new Map<string, string | undefined>();
    const lines: string[] = [];
    const markOf = (index: number) => `:${index + 1}`;
    commits.forEach((commit, index) => {
      const branch = commit.branch ?? this.defaultBranch;
      if (!tips.has(branch)) tips.set(branch, this.resolveCommit(`refs/heads/${branch}`) ?? this.head());
      const parent = tips.get(branch);
      const author = commit.author ?? DEFAULT_COMMITTER;
      const files = commit.files ?? { [MARKER_FILE]: `${++this.commitCounter} ${commit.message}\n` };
      lines.push(`commit refs/heads/${branch}`, `mark ${markOf(index)}`);
      const when = commit.date === undefined ? `${now} +0000` : gitDateOf(commit.date);
      lines.push(`author ${identityLine(author.name, author.email)} ${when}`);
      lines.push(`committer ${identityLine(author.name, author.email)} ${when}`);
      lines.push(...dataBlock(commit.message));
      if (parent) lines.push(`from ${parent}`);
      for (const [path, content] of Object.entries(files)) {
        lines.push(`M 100644 inline ${quotePath(path)}`, ...dataBlock(content));
      }
      lines.push('');
      tips.set(branch, markOf(index));
    });
    commits.forEach((_, index) => lines.push(`get-mark ${markOf(index)}`));
    this.forgetRefs();
    const output = this.run(['fast-import', '--quiet', '--date-format=raw'], lines.join('\n') + '\n');
    const shas = output.split('\n').map((line) => line.trim());
    for (const sha of shas) {
      this.objectAnswers.set(`type of ${sha}`, 'commit');
      this.objectAnswers.set(`commit of ${sha}`, sha);
    }
    return shas;
  }

  /** The sha of a branch tip (default: the default branch); throws when the branch does not exist. */
  head(branch = this.defaultBranch): string {
    const sha = this.resolveCommit(`refs/heads/${branch}`);
    if (!sha) {
      if (branch === this.defaultBranch) return '';
      throw new Error(`No branch ${branch}`);
    }
    return sha;
  }

  /** Resolves a branch, tag, full or abbreviated sha or any revision to a commit sha; `undefined` when it does not. */
  resolveCommit(revision: string): string | undefined {
    if (!isSafeRevision(revision)) return undefined;
    const resolve = () =>
      this.tryRun(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]) ||
      undefined;
    if (FULL_SHA.test(revision)) return this.objectAnswer(`commit of ${revision}`, resolve);
    if (!revision.startsWith('refs/')) return resolve();
    // A full ref name is read from the ref files, without a git process: a ref pointing straight at a commit is
    // that commit, and a name found in none of the places git would look names nothing.
    const ref = this.readRef(revision);
    if (ref?.type === 'commit') return ref.sha;
    const nowhere = REF_LOOKUP_PLACES(revision).every((place) => readRefFile(this.directory, place) === null);
    return ref === undefined && nowhere ? undefined : resolve();
  }

  /** The type of an object (`commit`, `tag`, `tree`, `blob`), `undefined` when the sha names nothing. */
  objectType(sha: string): string | undefined {
    if (!/^[0-9a-f]{4,64}$/.test(sha)) return undefined;
    const read = () => this.tryRun(['cat-file', '-t', sha]);
    return FULL_SHA.test(sha) ? this.objectAnswer(`type of ${sha}`, read) : read();
  }

  /** Every ref under `refs/`, sorted by name. */
  listRefs(): GitRef[] {
    const refs = this.heldRefs ?? this.readRefs();
    if (this.refHolders > 0) this.heldRefs = refs;
    return refs.map((ref) => ({ ...ref }));
  }

  /** The refs from git's files when it keeps them there (no process), else from `git for-each-ref`. */
  private readRefs(): GitRef[] {
    const files = readRefFiles(this.directory);
    if (!files) return this.readRefsWithGit();
    const refs: GitRef[] = [];
    for (const { name, sha } of files.refs) {
      const type = this.objectType(sha);
      // `git for-each-ref` fails on a ref to a missing object: ask it, for its answer.
      if (type === undefined) return this.readRefsWithGit();
      refs.push({ name, sha, type });
    }
    // Many loose ref files (a thousand seeded tags) cost a file read each, every time: git packs them into one
    // file, the same refs stored another way (what `git gc` does too).
    if (files.looseFiles > LOOSE_REFS_PACKED_ABOVE) this.tryRun(['pack-refs', '--all']);
    return refs;
  }

  private readRefsWithGit(): GitRef[] {
    const output = this.run(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)', 'refs/']);
    if (!output) return [];
    return output.split('\n').map((line) => {
      const [name = '', sha = '', type = ''] = line.split(FIELD);
      return { name, sha, type };
    });
  }

  /** One ref by full name (`refs/tags/v1`), `undefined` when absent. */
  readRef(name: string): GitRef | undefined {
    if (this.heldRefs === undefined) {
      // Outside a request's reading of every ref: this one ref's file alone.
      const sha = readRefFile(this.directory, name);
      if (sha === null) return undefined;
      const type = sha === undefined ? undefined : this.objectType(sha);
      if (sha !== undefined && type !== undefined) return { name, sha, type };
    }
    return this.listRefs().find((ref) => ref.name === name);
  }

  /** Every ref and the counter that makes marker commits differ, for {@link restoreRefs}. */
  saveRefs(): GitRefState {
    return {
      refs: new Map(this.listRefs().map((ref) => [ref.name, ref.sha])),
      commitCounter: this.commitCounter,
    };
  }

  /**
   * Points every ref back where {@link saveRefs} found it and deletes the refs made since, in one
   * `git update-ref --stdin` run (all or nothing). Objects written since stay in the object store, reachable from
   * no ref, as after a force-push. No git process runs when nothing changed.
   */
  restoreRefs(saved: GitRefState): void {
    const current = new Map(this.listRefs().map((ref) => [ref.name, ref.sha]));
    const lines: string[] = [];
    for (const name of current.keys()) if (!saved.refs.has(name)) lines.push(`delete ${name}`);
    for (const [name, sha] of saved.refs) if (current.get(name) !== sha) lines.push(`update ${name} ${sha}`);
    this.forgetRefs();
    if (lines.length > 0) this.run(['update-ref', '--no-deref', '--stdin'], `${lines.join('\n')}\n`);
    this.commitCounter = saved.commitCounter;
  }

  /** Whether `name` is a valid full ref name for git. */
  isValidRefName(name: string): boolean {
    let valid = refNameFormats.get(name);
    if (valid === undefined) {
      valid = this.tryRun(['check-ref-format', name]) !== undefined;
      refNameFormats.set(name, valid);
    }
    return valid;
  }

  /**
   * Points a ref at `sha`. `expectedOld` makes the update a compare-and-swap (`''` = the ref must not exist).
   * Returns false when the expectation did not hold.
   */
  writeRef(name: string, sha: string, expectedOld?: string): boolean {
    const args = ['update-ref', '--no-deref', name, sha];
    if (expectedOld !== undefined) args.push(expectedOld);
    this.forgetRefs();
    return this.tryRun(args) !== undefined;
  }

  /** Deletes a ref (optionally only if it still points at `expectedOld`); false when it could not. */
  deleteRef(name: string, expectedOld?: string): boolean {
    const args = ['update-ref', '--no-deref', '-d', name];
    if (expectedOld !== undefined) args.push(expectedOld);
    this.forgetRefs();
    return this.tryRun(args) !== undefined;
  }

  /**
   * Applies every step or none (`git update-ref --stdin` in a start/prepare/commit transaction): each ref must
   * still hold its `oldSha`. Returns `undefined` on success, git's explanation when nothing was applied.
   */
  updateRefsAtomically(steps: RefTransactionStep[]): string | undefined {
    const missing = ZERO_SHA;
    const lines = ['start'];
    for (const step of steps) {
      const old = step.oldSha ?? missing;
      lines.push(
        step.newSha === undefined
          ? `delete ${step.name} ${old}`
          : `update ${step.name} ${step.newSha} ${old}`,
      );
    }
    lines.push('prepare', 'commit');
    this.forgetRefs();
    try {
      this.run(['update-ref', '--no-deref', '--stdin'], `${lines.join('\n')}\n`);
      return undefined;
    } catch (error) {
      if (error instanceof GitCommandError) return error.stderr.trim() || error.message;
      throw error;
    }
  }

  /**
   * The committer date (seconds since the epoch) of the commit each ref leads to, following one annotated tag;
   * refs leading to no commit are left out.
   */
  refCommitDates(): Map<string, number> {
    const output = this.run([
      'for-each-ref',
      '--format=%(refname)%00%(committerdate:unix)%00%(*committerdate:unix)',
      'refs/',
    ]);
    const dates = new Map<string, number>();
    for (const line of output ? output.split('\n') : []) {
      const [name = '', direct = '', peeled = ''] = line.split(FIELD);
      const date = Number(peeled || direct);
      if ((peeled || direct) && Number.isFinite(date)) dates.set(name, date);
    }
    return dates;
  }

  /** Whether commit `ancestor` is reachable from commit `descendant` (a commit is its own ancestor). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const check = () =>
      this.tryRun(['merge-base', '--is-ancestor', ancestor, descendant]) !== undefined || undefined;
    // Only "yes" is kept: a commit missing now (a "no") may be written later.
    if (!FULL_SHA.test(ancestor) || !FULL_SHA.test(descendant)) return check() === true;
    return this.objectAnswer(`ancestry of ${ancestor} in ${descendant}`, check) === true;
  }

  /** The best common ancestor of two commits, `undefined` when they share no history. */
  mergeBase(first: string, second: string): string | undefined {
    const find = () => this.tryRun(['merge-base', first, second]) || undefined;
    if (!FULL_SHA.test(first) || !FULL_SHA.test(second)) return find();
    return this.objectAnswer(`merge base of ${first} and ${second}`, find);
  }

  /** Counts the commits `git rev-list` would list for these revisions (e.g. `['a..b']`). */
  countCommits(revisions: string[]): number {
    const count = () => Number(this.run(['rev-list', '--count', ...revisions, '--']));
    if (!revisions.every((revision) => FIXED_REVISION.test(revision))) return count();
    return this.objectAnswer(`count of ${revisions.join(' ')}`, count) as number;
  }

  /** Reads commits (`git log` order: newest first, or oldest first with `reverse`). */
  log(
    revisions: string[],
    options: { skip?: number; maxCount?: number; reverse?: boolean } = {},
  ): GitCommit[] {
    const args = ['log', `--format=${COMMIT_FORMAT}`, '--topo-order'];
    if (options.skip) args.push(`--skip=${options.skip}`);
    if (options.maxCount !== undefined) args.push(`--max-count=${options.maxCount}`);
    if (options.reverse) args.push('--reverse');
    const read = () =>
      this.runRaw([...args, ...revisions, '--'])
        .toString('utf8')
        .split(RECORD)
        .map((record) => record.replace(/^\n/, ''))
        .filter((record) => record.length > 0)
        .map(parseCommitRecord);
    if (!revisions.every((revision) => FIXED_REVISION.test(revision))) return read();
    return structuredClone(
      this.objectAnswer(`log ${args.slice(2).join(' ')} ${revisions.join(' ')}`, read) ?? [],
    );
  }

  /** One commit by sha, `undefined` when it is not a commit. */
  readCommit(sha: string): GitCommit | undefined {
    const resolved = this.resolveCommit(sha);
    if (!resolved) return undefined;
    const commit = this.objectAnswer(`commit ${resolved}`, () => this.log([resolved], { maxCount: 1 })[0]);
    return commit && structuredClone(commit);
  }

  /**
   * Several commits by full sha in one git process (what {@link readCommit} gives for each), by sha. Answers an
   * empty map when any of them is not a commit: read those one by one with {@link readCommit}.
   */
  readCommits(shas: string[]): Map<string, GitCommit> {
    const commits = new Map<string, GitCommit>();
    const wanted: string[] = [];
    for (const sha of new Set(shas)) {
      if (!FULL_SHA.test(sha)) continue;
      const known = this.objectAnswers.get(`commit ${sha}`) as GitCommit | undefined;
      if (known) commits.set(sha, structuredClone(known));
      else wanted.push(sha);
    }
    if (wanted.length === 0) return commits;
    let output: string;
    try {
      output = this.runRaw([
        'log',
        '--no-walk=unsorted',
        `--format=${COMMIT_FORMAT}`,
        ...wanted,
        '--',
      ]).toString('utf8');
    } catch (error) {
      if (error instanceof GitCommandError) return new Map();
      throw error;
    }
    for (const record of output.split(RECORD)) {
      const text = record.replace(/^\n/, '');
      if (text.length > 0) {
        const commit = parseCommitRecord(text);
        this.objectAnswers.set(`commit ${commit.sha}`, structuredClone(commit));
        commits.set(commit.sha, commit);
      }
    }
    return commits;
  }

  /** Creates an annotated tag object with `git mktag` (no ref) and returns its sha. */
  createTagObject(tag: {
    object: string;
    type: string;
    tag: string;
    message: string;
    tagger: GitIdentity;
  }): string {
    const { seconds, offset } = toGitDate(tag.tagger.date);
    const text =
      `object ${tag.object}\ntype ${tag.type}\ntag ${tag.tag}\n` +
      `tagger ${identityLine(tag.tagger.name, tag.tagger.email)} ${seconds} ${offset}\n\n${tag.message}`;
    const sha = this.run(['mktag'], text.endsWith('\n') ? text : `${text}\n`);
    this.objectAnswers.set(`type of ${sha}`, 'tag');
    return sha;
  }

  /** Reads an annotated tag object, `undefined` when `sha` is not one. */
  readTag(sha: string): GitTag | undefined {
    if (this.objectType(sha) !== 'tag') return undefined;
    if (!FULL_SHA.test(sha)) return this.parseTag(sha);
    const tag = this.objectAnswer(`tag ${sha}`, () => this.parseTag(sha));
    return tag && structuredClone(tag);
  }

  private parseTag(sha: string): GitTag {
    const text = this.runRaw(['cat-file', 'tag', sha]).toString('utf8');
    const separator = text.indexOf('\n\n');
    const header = separator === -1 ? text : text.slice(0, separator);
    const message = separator === -1 ? '' : text.slice(separator + 2).replace(/\n$/, '');
    const fields = new Map<string, string>();
    for (const line of header.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) fields.set(line.slice(0, space), line.slice(space + 1));
    }
    return {
      sha,
      tag: fields.get('tag') ?? '',
      message,
      object: { sha: fields.get('object') ?? '', type: fields.get('type') ?? '' },
      tagger: parseIdentityLine(fields.get('tagger') ?? ''),
    };
  }

  /**
   * The object a revision expression names (`spec`, e.g. `<revision>:<path>` or `<revision>^{object}`, where
   * `revision` is its revision part); `undefined` when it names none.
   */
  resolveObject(revision: string, spec: string): string | undefined {
    // An object named by its full id is itself.
    if (spec === `${revision}^{object}` && FULL_SHA.test(revision) && this.objectType(revision))
      return revision;
    const lookUp = () => this.tryRun(['rev-parse', '--verify', '--quiet', '--end-of-options', spec]) ?? '';
    // Below an object that exists, a path missing now is missing for good: that answer ('') is kept too.
    const immutable = FULL_SHA.test(revision) && this.objectType(revision) !== undefined;
    return (immutable ? this.objectAnswer(`object at ${spec}`, lookUp) : lookUp()) || undefined;
  }

  /** The bytes of a blob (a copy: change it freely). */
  readBlob(sha: string): Buffer {
    const read = () => this.runRaw(['cat-file', 'blob', sha]);
    return Buffer.from((FULL_SHA.test(sha) ? this.objectAnswer(`blob ${sha}`, read) : read()) ?? '');
  }

  /** What `path` names at `revision`; `undefined` when the path does not exist there. */
  readPath(revision: string, path: string): GitPathContent | undefined {
    const spec = path === '' ? `${revision}^{tree}` : `${revision}:${path}`;
    const sha = this.resolveObject(revision, spec);
    if (!sha) return undefined;
    const type = this.objectType(sha);
    if (type === 'blob') return { kind: 'file', sha, content: this.readBlob(sha) };
    if (type !== 'tree') return undefined;
    const listing = this.objectAnswer(`tree ${sha}`, () => this.run(['ls-tree', '-l', '-z', sha])) ?? '';
    const entries = listing
      .split('\x00')
      .filter(Boolean)
      .map((line): GitTreeEntry => {
        const [meta = '', name = ''] = line.split('\t');
        const [mode = '', entryType = 'blob', entrySha = '', size = '-'] = meta.split(/\s+/);
        return {
          mode,
          type: entryType as GitTreeEntry['type'],
          sha: entrySha,
          size: size === '-' ? 0 : Number(size),
          path: path === '' ? name : `${path}/${name}`,
        };
      });
    return { kind: 'directory', sha, entries };
  }
}

/** Whether a user-supplied revision is safe to hand to git (no options, no revision ranges or magic). */
export function isSafeRevision(revision: string): boolean {
  return (
    revision.length > 0 &&
    !revision.startsWith('-') &&
    !revision.includes('..') &&
    !/[\s:?*[\\\x00-\x1f\x7f]/.test(revision) &&
    !revision.includes('@{')
  );
}

/** Converts seconds since the epoch to GitHub's timestamp format (`2024-05-01T12:00:00Z`). */
export function isoFromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseCommitRecord(record: string): GitCommit {
  const [sha = '', tree = '', parents = '', an = '', ae = '', at = '0', cn = '', ce = '', ct = '0', ...rest] =
    record.split(FIELD);
  return {
    sha,
    tree,
    parents: parents ? parents.split(' ') : [],
    author: { name: an, email: ae, date: isoFromEpochSeconds(Number(at)) },
    committer: { name: cn, email: ce, date: isoFromEpochSeconds(Number(ct)) },
    message: rest.join(FIELD).replace(/\n+$/, ''),
  };
}

/** Parses `Name <email> 1700000000 +0100` into an identity with an ISO date. */
function parseIdentityLine(line: string): GitIdentity {
  const match = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!match) return { name: line, email: '', date: isoFromEpochSeconds(0) };
  return { name: match[1] ?? '', email: match[2] ?? '', date: isoFromEpochSeconds(Number(match[3])) };
}

/** Converts an ISO 8601 date to git's raw `seconds offset` form, keeping the time zone it was written in. */
function toGitDate(date: string): { seconds: number; offset: string } {
  const milliseconds = Date.parse(date);
  const seconds = Number.isNaN(milliseconds)
    ? Math.floor(Date.now() / 1000)
    : Math.floor(milliseconds / 1000);
  const zone = /([+-])(\d{2}):?(\d{2})$/.exec(date);
  const offset = zone ? `${zone[1]}${zone[2]}${zone[3]}` : '+0000';
  return { seconds, offset };
}

/** An ISO 8601 date as git's raw `seconds offset`; throws on a date that does not parse. */
function gitDateOf(date: string): string {
  if (Number.isNaN(Date.parse(date))) throw new Error(`Not an ISO 8601 date: ${JSON.stringify(date)}`);
  const { seconds, offset } = toGitDate(date);
  return `${seconds} ${offset}`;
}

function identityLine(name: string, email: string): string {
  return `${name.replace(/[<>\n]/g, '')} <${email.replace(/[<>\n]/g, '')}>`;
}

function dataBlock(content: string): string[] {
  return [`data ${Buffer.byteLength(content, 'utf8')}`, content];
}

function quotePath(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : JSON.stringify(path);
}
