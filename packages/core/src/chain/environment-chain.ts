import type { CheckSpec } from '../checks/check-spec.js';
import { UserError } from '../errors.js';
import type { RolloutConfig } from '../rollout/rollout-config.js';
import { closestMatch } from './closest-match.js';
import { environmentNameProblem } from './environment-name.js';

/** One environment of the chain and its settings. */
export interface EnvironmentConfig {
  /** The GitHub environment name, e.g. `production`. */
  name: string;
  /** Where the environment is served, shown on the deployment. */
  url?: string;
  /** Checks verify runs after a deployment here (when the verify step gives none). */
  verify?: CheckSpec[];
  /** `required`: accept refuses unless an approval for this environment is recorded in the run. */
  approval?: 'required' | 'optional';
  /** The approver must not be the person who prepared the release. */
  preventSelfApproval?: boolean;
  /** How a release rolls out here (`rollout`); undefined: all at once. */
  rollout?: RolloutConfig;
}

/**
 * The ordered environments a release moves through, first (continuous deployment) to last (production).
 * Immutable; names are unique ignoring case (GitHub environment names are case-insensitive).
 */
export class EnvironmentChain {
  readonly environments: readonly EnvironmentConfig[];

  constructor(environments: EnvironmentConfig[], source = 'the environments input') {
    if (environments.length === 0) {
      throw new UserError(
        `${source} lists no environments. List them in promotion order, e.g. 'integration, preproduction, production'.`,
      );
    }
    const seen = new Map<string, string>();
    for (const environment of environments) {
      const problem = environmentNameProblem(environment.name);
      if (problem) {
        throw new UserError(
          `Environment name '${truncate(environment.name)}' in ${source} ${problem}. ` +
            `Use a GitHub environment name such as 'production'.`,
        );
      }
      const key = environment.name.toLowerCase();
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new UserError(
          `Environment '${environment.name}' appears twice in ${source}` +
            (earlier !== environment.name ? ` (as '${earlier}'; GitHub environment names ignore case)` : '') +
            '. List each environment once, in promotion order.',
        );
      }
      seen.set(key, environment.name);
    }
    this.environments = Object.freeze(environments.map((environment) => Object.freeze({ ...environment })));
  }

  /** The environment names in order. */
  get names(): string[] {
    return this.environments.map((environment) => environment.name);
  }

  /**
   * The environment called `name`, ignoring case as GitHub does (`Production` is the chain's `production`; its
   * `name` is the chain's spelling, which tags use); throws a user error naming the chain when there is none,
   * with the chain's closest name when `name` looks like a typo of it (`prodution`: "Did you mean 'production'?").
   */
  get(name: string): EnvironmentConfig {
    const wanted = name.toLowerCase();
    const environment = this.environments.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (!environment) {
      const problem = environmentNameProblem(name);
      const why = problem ? `: the name ${problem}` : '';
      const suggestion = closestMatch(name, this.names);
      const didYouMean = suggestion ? ` Did you mean '${suggestion}'?` : '';
      throw new UserError(
        `Environment '${truncate(name)}' is not in the chain (${this.names.join(' -> ')})${why}.${didYouMean} ` +
          `Set 'environment' to one of them, or add it to the chain.`,
      );
    }
    return environment;
  }

  /** Position of `name` in the chain, 0 for the first. */
  indexOf(name: string): number {
    return this.environments.indexOf(this.get(name));
  }

  /** The environment below `name`, or undefined for the first. */
  previous(name: string): EnvironmentConfig | undefined {
    const index = this.indexOf(name);
    return index > 0 ? this.environments[index - 1] : undefined;
  }

  /** The environment above `name`, or undefined for the last. */
  next(name: string): EnvironmentConfig | undefined {
    return this.environments[this.indexOf(name) + 1];
  }

  /** Whether `name` is the first environment (where every commit is deployed continuously). */
  isFirst(name: string): boolean {
    return this.indexOf(name) === 0;
  }

  /** Whether `name` is the last environment (production). */
  isLast(name: string): boolean {
    return this.indexOf(name) === this.environments.length - 1;
  }
}

/**
 * Parses the `environments` input: names separated by commas, newlines or `->`, in promotion order.
 * Empty entries (a trailing comma, a blank line) are ignored. Returns undefined when the input lists nothing.
 */
export function parseEnvironmentList(text: string): EnvironmentChain | undefined {
  const names = text
    .split(/,|\n|->/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) return undefined;
  return new EnvironmentChain(
    names.map((name) => ({ name })),
    "the 'environments' input",
  );
}

function truncate(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
