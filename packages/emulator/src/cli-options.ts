/** The command line of the emulator (`npm run emulator -- ...`), read and checked before anything starts. */
import { parseArgs } from 'node:util';

/** What the command line asks for. */
export interface CliOptions {
  /** The git repository to serve; absent = the seeded demo repository. */
  repo?: string;
  /** 0 = any free port. */
  port: number;
  /** Default `local` with `--repo`, the emulator's `octo-org` without. */
  owner?: string;
  /** Default: the folder name of `--repo`, the emulator's `shop` without. */
  name?: string;
  /** Demo mode only: where to create the demo repository (kept after stopping). */
  directory?: string;
  validate: boolean;
}

/** A command line the emulator cannot run: the message says what to change. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE =
  'Usage: npm run emulator -- [--repo DIR] [--port N] [--owner O] [--name R] [--no-validate]\n' +
  '  --repo DIR   serve the git repository DIR (never changed) as GitHub repository O/R; without it, a demo repository\n' +
  '  --port N     listen on 127.0.0.1:N (default 0: any free port)\n' +
  '  --owner O    repository owner (default: local with --repo, octo-org without)\n' +
  '  --name R     repository name (default: the folder name of DIR, shop without --repo)';

/** Reads `args` (without `node` and the script); throws {@link CliUsageError} naming the bad option. */
export function parseCliOptions(args: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        repo: { type: 'string' },
        port: { type: 'string' },
        owner: { type: 'string' },
        name: { type: 'string' },
        directory: { type: 'string' },
        'no-validate': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const port = portOf(values.port);
  if (values.repo !== undefined && values.directory !== undefined) {
    throw new CliUsageError('--directory applies to the demo repository only: drop it when serving --repo.');
  }
  for (const name of ['owner', 'name'] as const) {
    const value = values[name];
    if (value !== undefined && !/^[A-Za-z0-9._-]+$/.test(value)) {
      throw new CliUsageError(
        `--${name} '${value}' is not a GitHub name: use letters, digits, '.', '-' and '_'.`,
      );
    }
  }
  return {
    ...(values.repo !== undefined ? { repo: values.repo } : {}),
    port,
    ...(values.owner !== undefined ? { owner: values.owner } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.directory !== undefined ? { directory: values.directory } : {}),
    validate: !values['no-validate'],
  };
}

function portOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new CliUsageError(
      `--port '${text}' is not a port: use 0 (any free port) to 65535, e.g. --port 3000.`,
    );
  }
  return port;
}
