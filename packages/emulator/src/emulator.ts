/** `startEmulator()`: a GitHub REST API for one repository, backed by a real git repository. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FaultInjector } from './faults.js';
import { GitRepository } from './git-repository.js';
import { OpenApiValidator } from './openapi-validator.js';
import { RepositoryContext } from './repository-context.js';
import { RequestLog } from './request-log.js';
import type { EmulatorState, RouteHandler } from './route-handler.js';
import { Router } from './router.js';
import { allRoutes } from './routes/index.js';
import { createSeeder, type Seeder } from './seed.js';
import { EmulatorServer } from './server.js';
import { Store, type StoreView } from './store.js';
import { EmulatorSnapshots } from './checkpoint.js';
import type { EmulatorOptions, FaultRule, RecordedRequest, ValidationProblem } from './types.js';
import { UserDirectory } from './users.js';

/** Options of {@link Emulator.git.commit}. */
export interface EmulatorCommitOptions {
  /** Files to write (path → content). Default: a marker file is rewritten so every commit differs. */
  files?: Record<string, string>;
  /** The author; with `login`, commit responses show that GitHub user as author. */
  author?: { name: string; email: string; login?: string };
  /** The branch to advance (created from the default branch when missing). Default: the default branch. */
  branch?: string;
  /** Author and committer date, ISO 8601 (`2024-05-01T12:00:00Z`). Default: now. */
  date?: string;
}

/** The backing git repository, as exposed to tests. */
export interface EmulatorGit {
  /** The repository's directory. */
  directory: string;
  /** Commits and returns the new sha; the branch advances. */
  commit(message: string, options?: EmulatorCommitOptions): string;
  /** Makes `count` commits in one git process (fast) and returns their shas, oldest first. */
  commits(count: number, options?: EmulatorCommitOptions & { message?: (index: number) => string }): string[];
  /** The sha of a branch tip (default: the default branch). */
  head(branch?: string): string;
  /** Runs git in the repository and returns its trimmed standard output. */
  run(args: string[]): string;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: use as `GITHUB_API_URL` (routes are at the root, like api.github.com). */
  url: string;
  /** `${url}/graphql`: use as `GITHUB_GRAPHQL_URL`. */
  graphqlUrl: string;
  owner: string;
  repo: string;
  /** `owner/repo`. */
  fullName: string;
  git: EmulatorGit;
  /** Every request, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Request counts per `METHOD template`, e.g. `POST /repos/{owner}/{repo}/deployments`. */
  requestCounts(): Record<string, number>;
  /** Requests that may change state: methods other than GET/HEAD, except GraphQL queries. */
  writeRequests(): RecordedRequest[];
  /** Every OpenAPI mismatch found in requests and in the emulator's own responses (live array). */
  problems: ValidationProblem[];
  /** Clears the request log (not the problems). */
  resetLog(): void;
  faults: { add(rule: FaultRule): void; clear(): void };
  seed: Seeder;
  /** Read access to deployments, statuses, releases, environments and approvals. */
  store: StoreView;
  /**
   * Saves the emulator's state: the refs of its repository (branches and tags), deployments and their statuses,
   * releases, environments, run approvals, known users, the request log, the fault rules with their counts and the
   * rate-limit count. Cheap (the refs are read from git's files): build a fixture once, then {@link restore} it
   * before each case (a restore runs one git process, when refs changed).
   */
  checkpoint(): EmulatorCheckpoint;
  /**
   * Puts back a state {@link checkpoint} saved, as often as wanted; call it with no request in flight. `problems`
   * is kept as it is (a mismatch found after the checkpoint still fails a test's final check). Commits made since
   * stay in git's object store, reachable from no ref, as after a force-push.
   */
  restore(checkpoint: EmulatorCheckpoint): void;
  /** Stops the server and removes the temporary directory it created. */
  close(): Promise<void>;
}

/** A saved state of one emulator, from {@link Emulator.checkpoint}; only that emulator can restore it. */
export interface EmulatorCheckpoint {
  /** The emulator's URL, to tell checkpoints apart in messages. */
  readonly url: string;
}

const DEFAULTS = { owner: 'octo-org', repo: 'shop', defaultBranch: 'main' };

/** Starts an emulator on a random local port, with a fresh git repository holding one commit. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const owner = options.owner ?? DEFAULTS.owner;
  const repo = options.repo ?? DEFAULTS.repo;
  const defaultBranch = options.defaultBranch ?? DEFAULTS.defaultBranch;
  const createdDirectory = options.directory === undefined;
  const directory = options.directory
    ? resolve(options.directory)
    : mkdtempSync(join(tmpdir(), 'github-emulator-'));
  if (!createdDirectory) mkdirSync(directory, { recursive: true });

  const git = GitRepository.initialize(directory, defaultBranch);
  const validator = options.validate === false ? undefined : OpenApiValidator.shared();
  const store = new Store();
  const log = new RequestLog();
  const faults = new FaultInjector();
  const problems: ValidationProblem[] = [];
  // The state needs the URL, known once the server listens; requests cannot arrive before that.
  const current: { state?: EmulatorState } = {};
  const server = new EmulatorServer({
    router: new Router<RouteHandler>().add(...allRoutes),
    state: () => {
      if (!current.state) throw new Error('The emulator is not listening yet');
      return current.state;
    },
    log,
    faults,
    validator,
    problems,
  });

  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    if (createdDirectory) rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const users = new UserDirectory(url);
  users.register(owner, undefined, 'Organization');
  const state: EmulatorState = {
    repository: new RepositoryContext(owner, repo, defaultBranch, url),
    store,
    git,
    users,
    refWriteRules: {
      ...(options.workflowsRule ? { workflowsRule: options.workflowsRule } : {}),
      tagRulesets: [...(options.tagRulesets ?? [])],
    },
  };
  current.state = state;
  const seeder = createSeeder(state);

  const snapshots = new EmulatorSnapshots(url, { git, store, users, log, faults, server });
  const registerAuthor = (author: EmulatorCommitOptions['author']) => {
    if (author?.login) users.register(author.login, author.email);
  };

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    owner,
    repo,
    fullName: `${owner}/${repo}`,
    git: {
      directory,
      commit(message, commitOptions = {}) {
        registerAuthor(commitOptions.author);
        return git.commit(message, commitOptions);
      },
      commits(count, commitOptions = {}) {
        registerAuthor(commitOptions.author);
        const message = commitOptions.message ?? ((index: number) => `Commit ${index + 1}`);
        return git.commitMany(
          Array.from({ length: count }, (_, index) => ({ ...commitOptions, message: message(index) })),
        );
      },
      head: (branch) => git.head(branch),
      run: (args) => {
        // The command may change refs: the emulator reads them afresh.
        git.forgetRefs();
        try {
          return git.run(args);
        } finally {
          git.forgetRefs();
        }
      },
    },
    requests: log.entries,
    requestCounts: () => log.counts(),
    writeRequests: () => log.writes(),
    problems,
    resetLog: () => log.clear(),
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    seed: seeder,
    store,
    checkpoint: () => snapshots.save(),
    restore: (checkpoint) => snapshots.restore(checkpoint),
    async close() {
      await server.close();
      if (createdDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
