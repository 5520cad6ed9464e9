import { refuse, type Refusal } from './decision.js';

/** One rule `force` overrode. */
export interface ReleaseOverride {
  /** `freeze`: the environment's freeze window; `gate`: not accepted below, or rolled back here. */
  kind: 'freeze' | 'gate';
  /** What was overridden, e.g. `commit abc1234 was not accepted in preproduction`. */
  description: string;
}

/** A rule prepare-release found broken: what `force` overrides, and the refusal without `force`. */
export interface BrokenRule extends ReleaseOverride {
  refusal: string;
}

/** What `force` overrode, and the warning logged for each. */
export interface ForcedRules {
  overrides: ReleaseOverride[];
  warnings: string[];
}

/**
 * The overrides of the rules found broken (pure). Without `force`, the refusal of the first one; with it,
 * every one is recorded in the order given (the release's payload and summary list them) and warned about.
 */
export function forceOverrides(
  broken: readonly BrokenRule[],
  force: boolean,
  reason: string | undefined,
): ForcedRules | Refusal {
  const [first] = broken;
  if (first && !force) return refuse(first.refusal);
  return {
    overrides: broken.map(({ kind, description }) => ({ kind, description })),
    warnings: broken.map(
      ({ kind, description }) =>
        `${kind === 'freeze' ? 'Freeze' : 'Gate'} overridden with force (${reason ?? ''}): ${description}`,
    ),
  };
}
