import type { BrokenRule } from './release-overrides.js';

/** What the gate looks at: the candidate commit and what the environment below accepted. */
export interface GateSituation {
  /** The environment the release is prepared for. */
  environment: string;
  /** The environment below; undefined for the first environment, which has no gate. */
  below: string | undefined;
  /** The commit the environment below accepted last (its environment tag), if any. */
  belowSha: string | undefined;
  /** The candidate commit. */
  sha: string;
  /** Whether the candidate's newest deployment below was marked accepted (an older acceptance counts too). */
  acceptedBelow: boolean;
}

/**
 * The gate (pure): only a commit accepted in the environment below may be prepared, the one its tag names or
 * any other it accepted once. Returns the broken rule, which `force` with a `reason` overrides; undefined when
 * the commit passes.
 */
export function releaseGate(situation: GateSituation): BrokenRule | undefined {
  const { environment, below, belowSha, sha, acceptedBelow } = situation;
  if (!below || sha === belowSha || acceptedBelow) return undefined;
  const short = sha.slice(0, 7);
  return {
    kind: 'gate',
    description: `commit ${short} was not accepted in ${below}`,
    refusal:
      `Commit ${short} was never accepted in '${below}', so it cannot be prepared for '${environment}'. ` +
      `Promote what '${below}' accepted (leave 'ref' empty)` +
      (belowSha ? `, currently ${belowSha.slice(0, 7)}` : '') +
      `, or override the gate with 'force: true' and a 'reason'.`,
  };
}
