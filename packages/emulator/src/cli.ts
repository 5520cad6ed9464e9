#!/usr/bin/env node
/**
 * The emulator from the command line: `npm run emulator -- [--repo DIR] [--port N] [--owner O] [--name R]
 * [--no-validate]`. With `--repo`, serves that git repository (never changed: the emulator works in a temporary
 * copy that borrows its objects) as `O/R`; without, a seeded demo repository. The first two lines printed are
 * `GITHUB_API_URL=...` and `GITHUB_REPOSITORY=...`, for a shell to `eval`; then where the state lives and how to
 * stop. Serves until SIGINT/SIGTERM, then removes its temporary state. A bad option or `--repo`: a message, exit 1.
 */
import { CONTROL_PREFIX, ControlApi } from './control-api.js';
import { CliUsageError, parseCliOptions, type CliOptions } from './cli-options.js';
import { startEmulator, type Emulator } from './emulator.js';
import { openFrontDoor } from './front-door.js';
import { RepositorySourceError, serveRepository } from './serve-repository.js';

/** A started emulator, what to tell about it, and how to stop it. */
interface Started {
  emulator: Emulator;
  /** Lines printed after the two variables. */
  details: string[];
  close(): Promise<void>;
}

/** Serves `--repo`: its default branch and head, where the state lives. */
async function startForRepository(options: CliOptions & { repo: string }): Promise<Started> {
  const served = await serveRepository({
    source: options.repo,
    owner: options.owner ?? 'local',
    ...(options.name !== undefined ? { name: options.name } : {}),
    validate: options.validate,
  });
  const { prepared } = served;
  return {
    emulator: served.emulator,
    details: [
      `Serving ${prepared.source} (read only: its refs and objects are never changed).`,
      `Default branch: ${prepared.defaultBranch} at ${prepared.head}`,
      `Emulator state: ${prepared.stateDirectory} (removed when the emulator stops)`,
    ],
    close: () => served.close(),
  };
}

/** Today's demo: a fresh repository with a few seeded commits. */
async function startDemo(options: CliOptions): Promise<Started> {
  const emulator = await startEmulator({
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
    ...(options.name !== undefined ? { repo: options.name } : {}),
    ...(options.directory !== undefined ? { directory: options.directory } : {}),
    validate: options.validate,
  });
  emulator.seed.user('octocat', 'octocat@example.com');
  const author = { name: 'The Octocat', email: 'octocat@example.com' };
  emulator.seed.file('package.json', '{ "name": "shop", "version": "1.0.0" }\n', 'Add package.json');
  emulator.git.commit('Add checkout page', { author });
  emulator.git.commit('Fix cart total rounding', { author });
  return {
    emulator,
    details: [
      'Serving a demo repository (seeded commits; pass --repo DIR to serve your own).',
      `Default branch: main at ${emulator.git.head()}`,
      `Emulator state: ${emulator.git.directory}`,
    ],
    close: () => emulator.close(),
  };
}

/** Prints the request counts and stops everything, once. */
function stopper(started: Started, closeFrontDoor: () => Promise<void>): () => Promise<void> {
  let stopping = false;
  return async () => {
    if (stopping) return;
    stopping = true;
    const { emulator } = started;
    console.log(
      `\nServed ${emulator.requests.length} requests; ${emulator.problems.length} OpenAPI problems.`,
    );
    for (const [route, count] of Object.entries(emulator.requestCounts()))
      console.log(`  ${count.toString().padStart(5)}  ${route}`);
    await closeFrontDoor();
    await started.close();
    process.exit(0);
  };
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  const started =
    options.repo !== undefined
      ? await startForRepository({ ...options, repo: options.repo })
      : await startDemo(options);
  let frontDoor;
  try {
    frontDoor = await openFrontDoor({
      target: started.emulator.url,
      control: new ControlApi(started.emulator),
      port: options.port,
    });
  } catch (error) {
    await started.close();
    throw new CliUsageError(
      `Cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}. Choose another --port (0: any free port).`,
    );
  }
  console.log(`GITHUB_API_URL=${frontDoor.url}`);
  console.log(`GITHUB_REPOSITORY=${started.emulator.fullName}`);
  for (const line of started.details) console.log(line);
  console.log(`GraphQL: ${frontDoor.url}/graphql (GITHUB_GRAPHQL_URL). Any token is accepted.`);
  console.log(
    `Control API: ${frontDoor.url}${CONTROL_PREFIX} (approvals, faults, request log; see docs/emulator.md)`,
  );
  console.log(`Stop: Ctrl+C, or kill -TERM ${process.pid}`);
  const stop = stopper(started, () => frontDoor.close());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  const known = error instanceof CliUsageError || error instanceof RepositorySourceError;
  console.error(`emulator: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
  process.exit(1);
});
