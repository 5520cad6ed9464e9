import { InputError } from '../errors.js';
import { parseEnvironmentList, type EnvironmentChain } from '../chain/environment-chain.js';

/** Reads one input as the runner passed it (`INPUT_<NAME>`), trimmed; empty means not given. */
export type InputReader = (name: string) => string;

/** The inputs every action takes (SPEC section 4). */
export interface CommonInputs {
  token: string;
  /** The target environment; empty for actions that need none (status). */
  environment: string;
  /** Path of the configuration file. */
  config: string;
  /** The chain, from the `environments` input. */
  chain: EnvironmentChain;
  dryRun: boolean;
}

/** Parses a boolean input the way YAML 1.2 core schema spells booleans. */
export function readBoolean(read: InputReader, name: string, fallback = false): boolean {
  const raw = read(name);
  if (raw === '') return fallback;
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  throw new InputError(name, `is '${raw}', not a boolean`, `Set it to 'true' or 'false'.`);
}

/** Reads and validates the inputs every action takes. */
export function readCommonInputs(read: InputReader, options: { environmentRequired: boolean }): CommonInputs {
  const token = read('token');
  if (!token) {
    throw new InputError(
      'token',
      'is empty',
      "Pass a token with 'token: ${{ github.token }}' (the default).",
    );
  }
  const environment = read('environment');
  if (options.environmentRequired && !environment) {
    throw new InputError(
      'environment',
      'is required',
      "Name the target environment, e.g. 'environment: production'.",
    );
  }
  const chain = parseEnvironmentList(read('environments'));
  if (!chain) {
    throw new InputError(
      'environments',
      'is empty',
      "List the environments in promotion order, e.g. 'environments: integration, preproduction, production'.",
    );
  }
  if (environment) chain.get(environment);
  return { token, environment, config: read('config'), chain, dryRun: readBoolean(read, 'dry-run') };
}
