import { InputError } from '../errors.js';

/** Reads one input as the runner passed it (`INPUT_<NAME>`), trimmed; empty means not given. */
export type InputReader = (name: string) => string;

/** The inputs every action takes (SPEC section 4). */
export interface CommonInputs {
  token: string;
  /** The target environment; empty for actions that need none (status). */
  environment: string;
  /** Path of the configuration file. */
  config: string;
  /** The `environments` input, '' when not given. */
  environments: string;
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

/** Reads a positive integer input such as `deployment-id`; undefined when not given. */
export function readPositiveInteger(
  read: InputReader,
  name: string,
  example = "an id such as '123456789'",
): number | undefined {
  const raw = read(name);
  if (raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(name, `is '${raw}', not a positive whole number`, `Pass ${example}.`);
  }
  return value;
}

/** Reads one of a fixed set of values; undefined when not given. */
export function readChoice<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = read(name);
  if (raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new InputError(
      name,
      `is '${raw}'`,
      `Allowed values: ${allowed.map((value) => `'${value}'`).join(', ')}.`,
    );
  }
  return raw as T;
}

/** The `force` + `reason` pair that overrides a gate; `force` without a reason is refused. */
export interface GateOverride {
  force: boolean;
  reason: string | undefined;
}

/** Reads `force` and `reason`; `force: true` requires a `reason`. */
export function readGateOverride(read: InputReader): GateOverride {
  const force = readBoolean(read, 'force');
  const reason = read('reason') || undefined;
  if (force && !reason) {
    throw new InputError(
      'reason',
      "is required with 'force: true'",
      'Say why the gate is overridden, e.g. "reason: hotfix for incident 42"; it is recorded on the deployment.',
    );
  }
  return { force, reason };
}

/** Reads an input that must be given; empty is refused with `howToFix` (and `problem`, default "is required"). */
export function readRequired(
  read: InputReader,
  name: string,
  howToFix: string,
  problem = 'is required',
): string {
  const value = read(name);
  if (!value) throw new InputError(name, problem, howToFix);
  return value;
}

/** Reads and validates the inputs every action takes. */
export function readCommonInputs(read: InputReader, options: { environmentRequired: boolean }): CommonInputs {
  const token = readRequired(
    read,
    'token',
    "Pass a token with 'token: ${{ github.token }}' (the default).",
    'is empty',
  );
  const environment = options.environmentRequired
    ? readRequired(read, 'environment', "Name the target environment, e.g. 'environment: production'.")
    : read('environment');
  return {
    token,
    environment,
    config: read('config'),
    environments: read('environments'),
    dryRun: readBoolean(read, 'dry-run'),
  };
}
